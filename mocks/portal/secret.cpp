#include "mocks/portal/secret.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tekser::mocks::portal {
namespace {

std::string trim(const std::string& text) {
  constexpr const char* kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

}  // namespace

PortalSecret resolve_secret(std::optional<std::string> environment, const std::string& file) {
  if (environment) {
    // Set but empty is a deployment mistake, never "no secret".
    if (environment->empty())
      throw std::runtime_error(std::string(kSecretEnvironmentVariable) + " is set but empty");
    return {std::move(*environment), "environment", false};
  }
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("--portal-secret-file " + file + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    auto secret = trim(text.str());
    if (secret.empty()) throw std::runtime_error("--portal-secret-file " + file + ": empty");
    return {std::move(secret), "file " + file, false};
  }
  return {std::string(kDevelopmentSecret), "development default", true};
}

std::optional<std::string> secret_from_environment() {
  const char* value = std::getenv(kSecretEnvironmentVariable);
  if (!value) return std::nullopt;
  return std::string(value);
}

}  // namespace tekser::mocks::portal

// The secret the mock portal checks signatures with: TEKSER_PORTAL_SECRET, else the file given by
// --portal-secret-file, else a development default that start-up announces with a warning.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tekser::mocks::portal {

inline constexpr const char* kSecretEnvironmentVariable = "TEKSER_PORTAL_SECRET";
// Published in mocks/README.md: anyone can sign with it, so it is for a developer's machine only.
inline constexpr std::string_view kDevelopmentSecret = "tekser-mock-portal-development-secret";

struct PortalSecret {
  std::string value;
  std::string source;  // "environment", "file <path>" or "development default"
  bool is_development_default = false;
};

// `environment` is the variable's value (nullopt when unset), `file` the option's value (empty
// when not given). A file's content is used with surrounding whitespace (the trailing newline an
// editor adds) trimmed. Throws std::runtime_error naming the source when the chosen secret is
// empty or the file cannot be read.
PortalSecret resolve_secret(std::optional<std::string> environment, const std::string& file);

// The variable's value, or nullopt when it is not set.
std::optional<std::string> secret_from_environment();

}  // namespace tekser::mocks::portal

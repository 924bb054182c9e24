#include "mocks/rest/rest.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

namespace tekser::mocks::rest {

namespace http = boost::beast::http;
namespace json = boost::json;

HttpResponse json_response(http::status status, unsigned version, const json::value& body) {
  HttpResponse response{status, version};
  response.set(http::field::server, "tekser-mocks");
  response.set(http::field::content_type, "application/json; charset=utf-8");
  response.body() = json::serialize(body);
  return response;
}

HttpResponse json_error(http::status status, unsigned version, std::string_view error,
                        std::string message) {
  return json_response(status, version,
                       json::object{{"error", error}, {"message", std::move(message)}});
}

std::optional<HttpResponse> require_bearer(const HttpRequest& request) {
  const std::string_view value = request[http::field::authorization];
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() > kScheme.size() && value.substr(0, kScheme.size()) == kScheme &&
      value.find_first_not_of(' ', kScheme.size()) != std::string_view::npos)
    return std::nullopt;
  auto response = json_error(http::status::unauthorized, request.version(), "unauthorized",
                             "an Authorization: Bearer <token> header is required");
  response.set(http::field::www_authenticate, "Bearer");
  return response;
}

std::optional<Target> parse_target(std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return std::nullopt;
  Target out;
  out.path = parsed->path();
  for (const auto& param : parsed->params())
    out.params.emplace_back(std::string(param.key), std::string(param.value));
  return out;
}

std::optional<std::int64_t> read_int(std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto parsed = std::from_chars(text.data(), end, value);
  if (text.empty() || parsed.ec != std::errc{} || parsed.ptr != end) return std::nullopt;
  if (value < min || value > max) return std::nullopt;
  return value;
}

json::value load_json(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto value = json::parse(text.str(), ec);
  if (ec) throw std::runtime_error(file.string() + ": not JSON (" + ec.message() + ")");
  return value;
}

}  // namespace tekser::mocks::rest

// What the mocks' REST APIs (goszakup OWS v3, the assumed Samruk-Kazyna API) share: JSON replies
// and errors, bearer-token checking, query parameters, and reading a fixture file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include "mocks/shep_server/http_server.hpp"

namespace tekser::mocks::rest {

HttpResponse json_response(boost::beast::http::status status, unsigned version,
                           const boost::json::value& body);
// {"error": <short>, "message": <message>}
HttpResponse json_error(boost::beast::http::status status, unsigned version, std::string_view error,
                        std::string message);

// The mocks accept any non-empty bearer token; a request without one gets this 401 (with
// WWW-Authenticate: Bearer), and nullopt means "go on".
std::optional<HttpResponse> require_bearer(const HttpRequest& request);

// A request target split into path and decoded query parameters (in order; repeated keys kept).
struct Target {
  std::string path;
  std::vector<std::pair<std::string, std::string>> params;
};
std::optional<Target> parse_target(std::string_view target);

// A non-negative integer parameter within [min, max]; nullopt when it is not one.
std::optional<std::int64_t> read_int(std::string_view text, std::int64_t min, std::int64_t max);

// Reads and parses a JSON fixture file; throws std::runtime_error naming the file.
boost::json::value load_json(const std::filesystem::path& file);

}  // namespace tekser::mocks::rest

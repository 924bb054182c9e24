// What the API's handlers share: the error they raise, and the JSON response they build.
#pragma once

#include <string>
#include <string_view>

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include "common/net/http_server.hpp"

namespace tekser::api {

// A 4xx/5xx a handler raises; the request boundary turns it into {"error": {field, reason}}.
struct ApiError {
  boost::beast::http::status status;
  std::string field;
  std::string reason;
};

// A query parameter or path segment that must be an integer in [min, max]; else a 400 naming it.
long long integer_param(std::string_view name, std::string_view text, long long min, long long max);

net::HttpResponse respond(const net::HttpRequest& request, boost::beast::http::status status,
                          const boost::json::value& body);
// The same with a body already serialized.
net::HttpResponse respond_json_text(const net::HttpRequest& request,
                                    boost::beast::http::status status, std::string body);

}  // namespace tekser::api

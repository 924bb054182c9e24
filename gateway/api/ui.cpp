#include "gateway/api/ui.hpp"

#include <boost/beast/http.hpp>

#include "gateway/api/reply.hpp"

namespace tekser::api {

namespace http = boost::beast::http;

std::string_view ui_content_type(std::string_view name) {
  const auto ends_with = [name](std::string_view suffix) { return name.ends_with(suffix); };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

bool is_ui_route(const std::vector<std::string>& segments) {
  return !segments.empty() && segments[0] == "ui";
}

net::HttpResponse ui_route(const net::HttpRequest& request,
                           const std::vector<std::string>& segments) {
  if (request.method() != http::verb::get)
    throw ApiError{http::status::method_not_allowed, "method",
                   std::string(request.method_string()) + " is not allowed here (allowed: GET)"};
  net::HttpResponse response{http::status::ok, request.version()};
  response.keep_alive(request.keep_alive());
  if (segments.size() == 1) {
    // Relative, so that it also holds behind a proxy that adds a path prefix.
    response.result(http::status::permanent_redirect);
    response.set(http::field::location, "ui/");
    return response;
  }
  const std::string name = segments.size() == 2 && segments[1].empty() ? "index.html"
                           : segments.size() == 2                      ? segments[1]
                                                                       : std::string();
  for (const auto& file : embedded_ui_files()) {
    if (file.name != name) continue;
    response.set(http::field::content_type, ui_content_type(file.name));
    // Revalidated on every load: a new gateway's page is never mixed with an old one's script.
    response.set(http::field::cache_control, "no-cache");
    response.set("Content-Security-Policy", kUiContentSecurityPolicy);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Frame-Options", "DENY");
    response.body() = std::string(file.body);
    return response;
  }
  throw ApiError{http::status::not_found, "target", "no such file of the operator's page"};
}

}  // namespace tekser::api

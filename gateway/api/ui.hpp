// The operator's page (GET /ui/): static HTML, CSS and JavaScript embedded into the binary at
// build time from gateway/ui/ (embed_ui.cmake), served with no files at run time. Open without a
// token: the page holds no data, and its calls to the API carry the operator's token.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/net/http_server.hpp"

namespace tekser::api {

struct EmbeddedUiFile {
  std::string_view name;  // "index.html"
  std::string_view body;
};

// Generated from gateway/ui/*.html, *.js, *.css.
std::span<const EmbeddedUiFile> embedded_ui_files();

// "text/html; charset=utf-8" ... by the name's extension; application/octet-stream otherwise.
std::string_view ui_content_type(std::string_view name);

// The policy the page is served with: its own script and styles, its calls to this origin, and
// nothing inline, from elsewhere, or framing it.
inline constexpr std::string_view kUiContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// /ui, /ui/ and /ui/<file>.
bool is_ui_route(const std::vector<std::string>& segments);
// /ui redirects to /ui/ (so that the page's relative paths resolve), /ui/ is index.html, an
// unknown file a 404; throws ApiError.
net::HttpResponse ui_route(const net::HttpRequest& request,
                           const std::vector<std::string>& segments);

}  // namespace tekser::api

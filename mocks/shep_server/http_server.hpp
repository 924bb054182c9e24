// The mocks use the project's small HTTP server (common/net) under their own names.
#pragma once

#include "common/net/http_server.hpp"
#include "mocks/shep_server/json_log.hpp"

namespace tekser::mocks {
using net::HttpAction;
using net::HttpHandler;
using net::HttpLimits;
using net::HttpRequest;
using net::HttpResponse;
using net::HttpServer;
}  // namespace tekser::mocks

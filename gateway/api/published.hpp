// What describes the API to its clients: GET /v1/openapi.json (contracts/api/openapi.json,
// embedded at build time) and GET /v1/version (the version, the commit, the rule sets, the
// contracts spoken). Any authenticated client may read them (access.cpp says why).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/net/http_server.hpp"

namespace tekser::api {

// The OpenAPI document exactly as the repository keeps it.
std::string_view openapi_document();

// {"version", "commit", "rule_sets", "contracts"}.
boost::json::object version_json();

bool is_published_route(const std::vector<std::string>& segments);

// Throws ApiError (405) for a method other than GET.
net::HttpResponse published_route(const net::HttpRequest& request,
                                  const std::vector<std::string>& segments);

}  // namespace tekser::api

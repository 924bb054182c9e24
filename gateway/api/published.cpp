#include "gateway/api/published.hpp"

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/shep/services.hpp"
#include "gateway/api/reply.hpp"
#include "gateway/eligibility/eligibility.hpp"

#ifndef TEKSER_VERSION
#error "TEKSER_VERSION: the project version, set by gateway/CMakeLists.txt"
#endif
#ifndef TEKSER_GIT_COMMIT
#error "TEKSER_GIT_COMMIT: the commit at configure time, set by gateway/CMakeLists.txt"
#endif

namespace tekser::api {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

json::object contract(std::string_view system, std::string_view name, std::string_view transport,
                      bool assumed) {
  return {{"system", system}, {"name", name}, {"transport", transport}, {"assumed", assumed}};
}

}  // namespace

json::object version_json() {
  json::array rule_sets;
  for (const auto& rules : eligibility::shipped_rule_sets()) rule_sets.emplace_back(rules.id);
  // The bus, each SHEP service (common/shep/services.cpp), the REST registers and the portal's
  // webhook: what contracts/ holds and this binary speaks.
  json::array contracts{contract("shep", "SyncChannel v10", "shep", false)};
  for (const auto& service : shep::services())
    contracts.push_back(contract(service.system, service.service_id, "shep", service.assumed));
  contracts.push_back(contract("goszakup", "OWS v3 /v3/rnu", "rest", false));
  contracts.push_back(contract("samruk", "unreliable suppliers lists", "rest", true));
  contracts.push_back(contract("portal", "supplier trigger v1", "webhook", false));
  return {{"version", TEKSER_VERSION},
          {"commit", TEKSER_GIT_COMMIT},
          {"rule_sets", std::move(rule_sets)},
          {"contracts", std::move(contracts)}};
}

bool is_published_route(const std::vector<std::string>& segments) {
  return segments.size() == 2 && segments[0] == "v1" &&
         (segments[1] == "openapi.json" || segments[1] == "version");
}

net::HttpResponse published_route(const net::HttpRequest& request,
                                  const std::vector<std::string>& segments) {
  if (request.method() != http::verb::get)
    throw ApiError{http::status::method_not_allowed, "method",
                   std::string(request.method_string()) + " is not allowed here (allowed: GET)"};
  if (segments[1] == "openapi.json")
    return respond_json_text(request, http::status::ok, std::string(openapi_document()));
  return respond(request, http::status::ok, version_json());
}

}  // namespace tekser::api

#include "gateway/api/rederive.hpp"

#include <algorithm>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "gateway/api/audit.hpp"
#include "gateway/api/input.hpp"
#include "gateway/api/reply.hpp"
#include "gateway/rederive/rederive.hpp"

namespace tekser::api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// "gbd_ul,kgd" (or the parameter repeated): each a system whose replies are re-read.
void add_systems(std::vector<std::string>& systems, const std::string& value) {
  const auto known = rederive::rederivable_systems();
  for (const auto& name : comma_separated(value)) {
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw ApiError{http::status::bad_request, "system",
                     "'" + name + "' is not a system whose replies are kept per supplier (" +
                         joined(known) +
                         "; the goszakup and samruk registers are read again at their next "
                         "fetch)"};
    if (std::find(systems.begin(), systems.end(), name) == systems.end()) systems.push_back(name);
  }
}

}  // namespace

bool is_rederive_route(const std::vector<std::string>& segments) {
  return segments == std::vector<std::string>{"v1", "facts", "re-derive"};
}

asio::awaitable<net::HttpResponse> rederive_route(store::DbPool& db,
                                                  const net::HttpRequest& request,
                                                  boost::urls::params_view params,
                                                  std::chrono::seconds valid_for) {
  if (request.method() != http::verb::post)
    throw ApiError{http::status::method_not_allowed, "method",
                   std::string(request.method_string()) + " is not allowed here (allowed: POST)"};
  rederive::Request query;
  query.valid_for = valid_for;
  for (auto param : params) {
    const std::string value(param.value);
    if (param.key.empty() && value.empty()) continue;
    if (param.key == "system") {
      add_systems(query.scope.systems, value);
    } else if (param.key == "supplier") {
      const auto parsed = identity::parse(value);
      if (!parsed) throw ApiError{http::status::bad_request, "supplier", parsed.error};
      query.scope.supplier = value;
    } else if (param.key == "since") {
      query.scope.since = time_param("since", value);
    } else if (param.key == "apply") {
      if (value != "true" && value != "false")
        throw ApiError{http::status::bad_request, "apply",
                       "must be true or false, got '" + value + "'"};
      query.apply = value == "true";
    } else if (param.key == "limit") {
      query.limit = static_cast<int>(integer_param("limit", value, 1, 10'000));
    } else {
      throw ApiError{http::status::bad_request, std::string(param.key), "unknown parameter"};
    }
  }
  if (query.scope.systems.empty()) query.scope.systems = rederive::rederivable_systems();
  if (query.scope.since && *query.scope.since > xsd_time::now_ms())
    throw ApiError{http::status::bad_request, "since", "is in the future: no reply is kept yet"};
  query.requested_by = audit_context(request, "").client;
  auto reread_all = [query](pqxx::connection& c) { return rederive::run(c, query); };
  co_return respond(request, http::status::ok, co_await db.run(reread_all));
}

}  // namespace tekser::api

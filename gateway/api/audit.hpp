// The audit of state-system access, on the API's side:
//   - who asks and why, from the request: the client the authentication layer put in
//     X-Tekser-Authenticated-Client ("anonymous" without it) and the purpose the caller gave in
//     X-Tekser-Purpose (printable UTF-8, at most 200 characters) or the endpoint's default;
//   - GET /v1/audit?subject=&client=&system=&request_id=&since=&until=&after=&limit=
//     the audit rows oldest first (cursor: after=<id>, next_after in the answer; limit 1..1000,
//     100 by default); since/until are an xsd:dateTime with offset or a date (Kazakhstan
//     midnight); subject matches the subject or the related subject (a representative);
//     request_id finds the exchanges one API request caused (gateway/api/request_id.hpp).
// Every bad input is a 400 naming the header or the parameter.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/url/params_view.hpp>

#include "common/net/http_server.hpp"
#include "common/time/xsd_time.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/store.hpp"

namespace tekser::api {

inline constexpr std::string_view kClientHeader = "X-Tekser-Authenticated-Client";
inline constexpr std::string_view kPurposeHeader = "X-Tekser-Purpose";
inline constexpr std::string_view kAnonymousClient = "anonymous";

// The endpoints' default purposes (order No. 285).
inline constexpr std::string_view kVerifyPurpose = "supplier registration check (order 285 p.15)";
inline constexpr std::string_view kPowerOfAttorneyPurpose = "power of attorney check (p.12)";

// Who asks and why. Throws ApiError 400 naming the header when a header is not printable UTF-8
// of 1..200 characters.
store::AuditContext audit_context(const net::HttpRequest& request,
                                  std::string_view default_purpose);

// Empty when `text` is printable UTF-8 of 1..max_chars characters; otherwise the reason.
std::string printable_text_problem(std::string_view text, std::size_t max_chars);

// A query parameter that is an xsd:dateTime with its offset, or a date (midnight in
// Kazakhstan); else ApiError 400 naming it.
xsd_time::TimePoint time_param(std::string_view name, std::string text);

bool is_audit_route(const std::vector<std::string>& segments);

// GET /v1/audit. Throws ApiError for what the caller got wrong.
boost::asio::awaitable<net::HttpResponse> audit_route(store::DbPool& db,
                                                      const net::HttpRequest& request,
                                                      boost::urls::params_view params);

}  // namespace tekser::api

// What the REST adapters (goszakup OWS v3, the assumed Samruk-Kazyna API) share: fetching a paged
// JSON resource through the generic HTTP client, recording the exchange for the message log, and
// turning it into a Source's answer.
//
// The exchange is recorded in a shep::Exchange (the record QueryResult and the message log
// already carry): kind transport_error (also a body refused unread: not UTF-8, nested deeper
// than 32) / http_error / malformed (not JSON) / data, `endpoint` the
// first page's URL, `request_body` the request lines sent ("GET /v3/rnu?..."; never the token),
// `response_body` the bodies received (joined by '\n' when several pages), `reply_sha256` the
// SHA-256 of those bytes. The SOAP-only members (reply) stay empty.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include "adapters/shep/client.hpp"
#include "adapters/source.hpp"
#include "common/net/http_client.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::adapters::rest {

struct JsonPages {
  shep::Exchange exchange;                // for the message log; kind data when all pages came
  std::vector<boost::json::value> pages;  // parsed bodies, in order (kind data only)
};

// One page's body as fetch_json_pages reads it (pure; the REST fuzz targets feed it).
struct JsonPage {
  std::optional<boost::json::value> page;  // when the body is JSON that may be read
  // Otherwise: `unsafe` (not UTF-8, nested deeper than 32, a string holding U+0000: the exchange
  // is a transport error, the source unavailable) or not JSON (malformed); `problem` says which.
  bool unsafe = false;
  std::string problem;
};
JsonPage read_json_page(std::string_view body);

// Given a page, the next page's target, or nullopt on the last page.
using NextTarget = std::function<std::optional<std::string>(const boost::json::value& page)>;

// GETs `first_target`, then what `next_target` says, up to `max_pages` pages (more is an error:
// a cursor that never ends). Every request carries `headers` and an X-Request-Id of `request_id`.
// Any transport error, status other than 200, or body that is not JSON ends the fetch. With a
// `deadline` every page's request ends by then.
boost::asio::awaitable<JsonPages> fetch_json_pages(
    net::HttpClient& client, std::vector<std::pair<std::string, std::string>> headers,
    std::string first_target, NextTarget next_target, std::size_t max_pages, std::string request_id,
    std::optional<Deadline> deadline = std::nullopt);

using PagesMapping = std::function<mappings::MappedReply(const std::vector<boost::json::value>&,
                                                         const facts::Provenance&)>;

// The Source's answer: transport and HTTP errors -> unavailable, a body that is not JSON ->
// malformed, otherwise what `mapping` makes of the pages. Provenance: our `message_id`, the
// reply digest, retrieved_at = end of the exchange, valid for `valid_for`.
QueryResult to_query_result(JsonPages fetched, std::string message_id, std::string_view system,
                            std::string_view service_id, const PagesMapping& mapping,
                            std::chrono::seconds valid_for);

// Today's date in Kazakhstan (UTC+5), "YYYY-MM-DD": the "today" the pure mappings are given.
std::string kazakhstan_today(xsd_time::TimePoint now);

// "Authorization: Bearer <token>".
std::pair<std::string, std::string> bearer(std::string_view token);

// Percent-encodes a query parameter value (RFC 3986 unreserved characters stay).
std::string query_escape(std::string_view value);

}  // namespace tekser::adapters::rest

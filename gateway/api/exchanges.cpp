#include "gateway/api/exchanges.hpp"

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "gateway/api/audit.hpp"
#include "gateway/api/input.hpp"
#include "gateway/api/reply.hpp"
#include "gateway/store/exchange_store.hpp"

namespace tekser::api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

json::value text_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return json::value(text);
}

json::object to_json(const store::Exchange& e) {
  json::object out{{"id", e.id},
                   {"message_id", e.message_id},
                   {"subject", text_or_null(e.subject)},
                   {"system", e.system},
                   {"service_id", e.service_id},
                   {"started_at", xsd_time::format_datetime(e.started_at)},
                   {"duration_ms", e.duration_ms},
                   {"outcome", facts::to_string(e.outcome)},
                   {"cause", e.cause},
                   {"signature", facts::to_string(e.signature)},
                   {"signer_sha256", text_or_null(e.signer_sha256)},
                   {"signature_algorithm", text_or_null(e.signature_algorithm)},
                   {"request_id", text_or_null(e.request_id)},
                   {"reply_sha256", text_or_null(e.reply_sha256)}};
  out["http_status"] = e.http_status ? json::value(*e.http_status) : json::value(nullptr);
  out["reply"] = e.response_body ? json::value(*e.response_body) : json::value(nullptr);
  return out;
}

std::vector<facts::Outcome> outcome_list(const std::string& value) {
  std::vector<facts::Outcome> out;
  for (const auto& name : comma_separated(value)) {
    const auto outcome = facts::outcome_from_string(name);
    if (!outcome)
      throw ApiError{http::status::bad_request, "outcome",
                     "unknown outcome '" + name +
                         "' (data, no_data, unavailable, refused, malformed; comma-separated)"};
    out.push_back(*outcome);
  }
  return out;
}

}  // namespace

bool is_exchanges_route(const std::vector<std::string>& segments) {
  return segments.size() == 2 && segments[0] == "v1" && segments[1] == "exchanges";
}

asio::awaitable<net::HttpResponse> exchanges_route(store::DbPool& db,
                                                   const net::HttpRequest& request,
                                                   boost::urls::params_view params) {
  if (request.method() != http::verb::get)
    throw ApiError{http::status::method_not_allowed, "method",
                   std::string(request.method_string()) + " is not allowed here (allowed: GET)"};
  store::ExchangeFilter filter;
  for (auto param : params) {
    const std::string value(param.value);
    if (param.key.empty() && value.empty()) continue;  // "/v1/exchanges?"
    if (param.key == "subject") {
      auto parsed = identity::parse(value);
      if (!parsed) throw ApiError{http::status::bad_request, "subject", parsed.error};
      filter.subject = value;
    } else if (param.key == "system") {
      if (auto problem = printable_text_problem(value, 200); !problem.empty())
        throw ApiError{http::status::bad_request, "system", problem};
      filter.system = value;
    } else if (param.key == "since" || param.key == "from") {
      filter.since = time_param(std::string(param.key), value);
    } else if (param.key == "until" || param.key == "to") {
      filter.until = time_param(std::string(param.key), value);
    } else if (param.key == "outcome") {
      filter.outcomes = outcome_list(value);
    } else if (param.key == "after") {
      filter.after = integer_param("after", value, 0, 1LL << 62);
    } else if (param.key == "limit") {
      filter.limit = static_cast<int>(integer_param("limit", value, 1, 100));
    } else {
      throw ApiError{http::status::bad_request, std::string(param.key), "unknown parameter"};
    }
  }
  if (filter.since && filter.until && *filter.until <= *filter.since)
    throw ApiError{http::status::bad_request, "until", "must be later than since"};

  auto query = [filter](pqxx::connection& c) { return store::ExchangeStore(c).query(filter); };
  const auto rows = co_await db.run(query);
  json::array exchanges;
  for (const auto& row : rows) exchanges.push_back(to_json(row));
  const long long next_after = rows.empty() ? filter.after : rows.back().id;
  co_return respond(request, http::status::ok,
                    json::object{{"exchanges", std::move(exchanges)}, {"next_after", next_after}});
}

}  // namespace tekser::api

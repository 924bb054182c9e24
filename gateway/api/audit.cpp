#include "gateway/api/audit.hpp"

#include <algorithm>
#include <optional>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "gateway/api/reply.hpp"
#include "gateway/api/request_id.hpp"
#include "gateway/store/audit_store.hpp"

namespace tekser::api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

// One code point from strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF);
// nullopt for a malformed sequence. Advances `i` past it.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + length > text.size()) return std::nullopt;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += length;
  return cp;
}

// Control characters, line separators and the bidirectional overrides that could make an
// audit line read as something else.
bool is_unprintable(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0x200E ||
         cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

std::string header_value(const net::HttpRequest& request, std::string_view name,
                         std::string_view fallback) {
  const auto found = request.find(name);
  if (found == request.end()) return std::string(fallback);
  const std::string value(found->value());
  if (auto problem = printable_text_problem(value, 200); !problem.empty())
    throw ApiError{http::status::bad_request, std::string(name), problem};
  return value;
}

json::value text_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return json::value(text);
}

json::object to_json(const store::AuditEntry& e) {
  return {{"id", e.id},
          {"asked_at", xsd_time::format_datetime(e.asked_at)},
          {"recorded_at", xsd_time::format_datetime(e.recorded_at)},
          {"client", e.client},
          {"subject", text_or_null(e.subject)},
          {"related_subject", text_or_null(e.related_subject)},
          {"system", e.system},
          {"service_id", e.service_id},
          {"message_id", e.message_id},
          {"purpose", e.purpose},
          {"consent_sha256", text_or_null(e.consent_sha256)},
          // The API request that caused the exchange (its X-Request-Id); null: none, e.g. the
          // weekly refresh (its client names the run).
          {"request_id", text_or_null(e.request_id)},
          // "pending": written before the request left and not completed (yet); "interrupted":
          // pending for longer than any exchange lasts — the gateway died or lost the database
          // before the answer was recorded.
          {"outcome", e.outcome_text()},
          {"reply_sha256", text_or_null(e.reply_sha256)},
          {"finished_at", e.finished_at ? json::value(xsd_time::format_datetime(*e.finished_at))
                                        : json::value(nullptr)}};
}

}  // namespace

std::string printable_text_problem(std::string_view text, std::size_t max_chars) {
  if (text.empty()) return "must not be empty";
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t at = i;
    const auto cp = next_code_point(text, i);
    if (!cp) return "not valid UTF-8 (byte " + std::to_string(at) + ")";
    if (is_unprintable(*cp))
      return "must be printable text (a control or formatting character at byte " +
             std::to_string(at) + ")";
    if (++chars > max_chars) return "longer than " + std::to_string(max_chars) + " characters";
  }
  return {};
}

// A '+' of an offset left unencoded in the query arrives as a space: it is taken back.
xsd_time::TimePoint time_param(std::string_view name, std::string text) {
  std::replace(text.begin(), text.end(), ' ', '+');
  if (auto date = xsd_time::normalize_date(text); date && text.size() == 10)
    text = *date + "T00:00:00+05:00";
  if (auto parsed = xsd_time::parse_datetime(text)) return *parsed;
  throw ApiError{http::status::bad_request, std::string(name),
                 "must be a date YYYY-MM-DD or an xsd:dateTime with an offset "
                 "(2026-12-07T02:00:00+05:00), got '" +
                     text + "'"};
}

store::AuditContext audit_context(const net::HttpRequest& request,
                                  std::string_view default_purpose) {
  store::AuditContext context;
  context.client = header_value(request, kClientHeader, kAnonymousClient);
  context.purpose = header_value(request, kPurposeHeader, default_purpose);
  // PortalApi::handle has set it (the caller's, checked, or a new one).
  context.request_id = std::string(request[kRequestIdHeader]);
  return context;
}

bool is_audit_route(const std::vector<std::string>& segments) {
  return segments.size() == 2 && segments[0] == "v1" && segments[1] == "audit";
}

asio::awaitable<net::HttpResponse> audit_route(store::DbPool& db, const net::HttpRequest& request,
                                               boost::urls::params_view params) {
  if (request.method() != http::verb::get)
    throw ApiError{http::status::method_not_allowed, "method",
                   std::string(request.method_string()) + " is not allowed here (allowed: GET)"};
  store::AuditFilter filter;
  for (auto param : params) {
    const std::string value(param.value);
    if (param.key.empty() && value.empty()) continue;  // "/v1/audit?" or "a=1&&b=2"
    if (param.key == "subject") {
      auto parsed = identity::parse(value);
      if (!parsed) throw ApiError{http::status::bad_request, "subject", parsed.error};
      filter.subject = value;
    } else if (param.key == "client" || param.key == "system") {
      if (auto problem = printable_text_problem(value, 200); !problem.empty())
        throw ApiError{http::status::bad_request, std::string(param.key), problem};
      (param.key == "client" ? filter.client : filter.system) = value;
    } else if (param.key == "request_id") {
      if (auto problem = request_id_problem(value); !problem.empty())
        throw ApiError{http::status::bad_request, "request_id", problem};
      filter.request_id = value;
    } else if (param.key == "since") {
      filter.since = time_param("since", value);
    } else if (param.key == "until") {
      filter.until = time_param("until", value);
    } else if (param.key == "after") {
      filter.after = integer_param("after", value, 0, 1LL << 62);
    } else if (param.key == "limit") {
      filter.limit = static_cast<int>(integer_param("limit", value, 1, 1000));
    } else {
      throw ApiError{http::status::bad_request, std::string(param.key), "unknown parameter"};
    }
  }
  if (filter.since && filter.until && *filter.until <= *filter.since)
    throw ApiError{http::status::bad_request, "until", "must be later than since"};

  auto query = [filter](pqxx::connection& c) { return store::AuditStore(c).query(filter); };
  const auto rows = co_await db.run(query);
  json::array entries;
  for (const auto& row : rows) entries.push_back(to_json(row));
  const long long next_after = rows.empty() ? filter.after : rows.back().id;
  co_return respond(request, http::status::ok,
                    json::object{{"entries", std::move(entries)}, {"next_after", next_after}});
}

}  // namespace tekser::api

#include "adapters/rest/json_pages.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include "common/digest/sha256.hpp"
#include "common/text/utf8.hpp"

namespace tekser::adapters::rest {

namespace json = boost::json;
using Kind = shep::Exchange::Kind;

namespace {

// Whether a string (or key) anywhere in `value` holds U+0000 ("\u0000" is valid JSON): facts are
// jsonb, and PostgreSQL refuses that character in it. Boost.JSON caps the depth at 32.
bool holds_nul(const json::value& value) {
  const auto has_nul = [](std::string_view s) { return s.find('\0') != std::string_view::npos; };
  if (value.is_string()) return has_nul(value.get_string());
  if (value.is_array()) {
    for (const auto& item : value.get_array())
      if (holds_nul(item)) return true;
  }
  if (value.is_object()) {
    for (const auto& member : value.get_object())
      if (has_nul(member.key()) || holds_nul(member.value())) return true;
  }
  return false;
}

}  // namespace

JsonPage read_json_page(std::string_view body) {
  JsonPage out;
  // A hostile body (not UTF-8, nested past Boost.JSON's default depth of 32, a NUL that jsonb
  // cannot hold) is not read, like one over the size limit: the register is unavailable.
  // Anything else that is not JSON is malformed.
  if (auto bad = text::invalid_utf8_at(body)) {
    out.unsafe = true;
    out.problem = "unsafe JSON, not parsed: not valid UTF-8 at byte " + std::to_string(*bad);
    return out;
  }
  boost::system::error_code ec;
  auto page = json::parse(body, ec);
  if (ec == json::error::too_deep) {
    out.unsafe = true;
    out.problem = "unsafe JSON, not parsed: nested deeper than " +
                  std::to_string(json::parse_options{}.max_depth) + " levels";
    return out;
  }
  if (ec) {
    out.problem = "a body that is not JSON: " + ec.message();
    return out;
  }
  if (holds_nul(page)) {
    out.unsafe = true;
    out.problem = "unsafe JSON, not read: a string holds U+0000";
    return out;
  }
  out.page = std::move(page);
  return out;
}

boost::asio::awaitable<JsonPages> fetch_json_pages(
    net::HttpClient& client, std::vector<std::pair<std::string, std::string>> headers,
    std::string first_target, NextTarget next_target, std::size_t max_pages, std::string request_id,
    std::optional<Deadline> deadline) {
  JsonPages out;
  auto& ex = out.exchange;
  ex.endpoint = net::HttpEndpoint{client.endpoint().host, client.endpoint().port, first_target,
                                  client.endpoint().tls}
                    .url();
  headers.emplace_back("Accept", "application/json");
  headers.emplace_back("X-Request-Id", request_id);
  std::string body_text;
  std::optional<std::string> target = std::move(first_target);
  bool first = true;
  const auto started = std::chrono::steady_clock::now();
  while (target) {
    if (out.pages.size() >= max_pages) {
      ex.kind = Kind::malformed;
      ex.cause = "more than " + std::to_string(max_pages) + " pages: the cursor does not end";
      break;
    }
    net::OutgoingRequest request;
    request.target = *target;
    request.headers = headers;
    if (deadline)
      request.total_timeout = time_for_request(client.options().total_timeout, deadline);
    if (!ex.request_body.empty()) ex.request_body += '\n';
    ex.request_body += "GET " + *target;
    // Named, not a temporary of the co_await expression (g++ 12; see http_client.cpp).
    auto pending = client.request(std::move(request));
    auto reply = co_await std::move(pending);
    if (first) ex.started_at = reply.started_at;
    first = false;
    ex.reused_connection = ex.reused_connection || reply.reused_connection;
    if (!reply.is_response()) {
      ex.kind = Kind::transport_error;
      ex.cause = std::move(reply.cause);
      break;
    }
    ex.http_status = reply.status;
    if (!body_text.empty()) body_text += '\n';
    body_text += reply.body;
    if (reply.status != 200) {
      ex.kind = Kind::http_error;
      ex.cause = reply.status_text();
      boost::system::error_code ec;
      auto problem = json::parse(reply.body, ec);
      if (!ec && problem.is_object()) {
        if (const auto* message = problem.as_object().if_contains("message");
            message && message->is_string())
          ex.cause += ": " + std::string(message->as_string());
      }
      break;
    }
    auto read = read_json_page(reply.body);
    if (!read.page) {
      ex.kind = read.unsafe ? Kind::transport_error : Kind::malformed;
      ex.cause = read.problem + " (" + reply.status_text() + ")";
      break;
    }
    auto page = std::move(*read.page);
    target = next_target(page);
    out.pages.push_back(std::move(page));
    if (!target) ex.kind = Kind::data;
  }
  ex.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  if (ex.http_status) {
    ex.reply_sha256 = digest::sha256_hex(body_text);
    ex.response_body = std::move(body_text);
  }
  if (ex.kind != Kind::data) out.pages.clear();
  co_return out;
}

QueryResult to_query_result(JsonPages fetched, std::string message_id, std::string_view system,
                            std::string_view service_id, const PagesMapping& mapping,
                            std::chrono::seconds valid_for) {
  auto& exchange = fetched.exchange;
  facts::SourceResult result;
  result.system = std::string(system);
  result.service_id = std::string(service_id);
  auto& provenance = result.provenance;
  provenance.system = result.system;
  provenance.service_id = result.service_id;
  provenance.message_id = std::move(message_id);
  provenance.retrieved_at = exchange.started_at + exchange.duration;
  provenance.valid_until = provenance.retrieved_at + valid_for;
  provenance.reply_sha256 = exchange.reply_sha256;
  switch (exchange.kind) {
    case Kind::data: {
      auto mapped = mapping(fetched.pages, provenance);
      result.outcome = mapped.outcome;
      result.cause = std::move(mapped.cause);
      result.error_code = std::move(mapped.error_code);
      result.facts = std::move(mapped.facts);
      break;
    }
    case Kind::malformed:
      result.outcome = facts::Outcome::malformed;
      result.cause = exchange.cause;
      break;
    default:  // transport_error, http_error (the SOAP kinds never occur here)
      result.outcome = facts::Outcome::unavailable;
      result.cause = exchange.cause;
      break;
  }
  return QueryResult{std::move(result), std::move(exchange), {}};
}

std::string kazakhstan_today(xsd_time::TimePoint now) {
  return xsd_time::format_datetime(now, xsd_time::kKazakhstanOffset).substr(0, 10);
}

std::pair<std::string, std::string> bearer(std::string_view token) {
  return {"Authorization", "Bearer " + std::string(token)};
}

std::string query_escape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0F];
    }
  }
  return out;
}

}  // namespace tekser::adapters::rest

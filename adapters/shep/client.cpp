#include "adapters/shep/client.hpp"

#include <cctype>
#include <utility>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/digest/sha256.hpp"
#include "common/net/http_client.hpp"

namespace tekser::shep {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

net::HttpEndpoint to_http(const Endpoint& endpoint) {
  return net::HttpEndpoint{endpoint.host, endpoint.port, endpoint.target, endpoint.tls};
}

// The transport's options from the SyncChannel client's (sender fields stay here).
net::HttpClientOptions to_http(const ClientOptions& options) {
  net::HttpClientOptions out;
  out.connect_timeout = options.connect_timeout;
  out.read_timeout = options.read_timeout;
  out.total_timeout = options.total_timeout;
  out.max_concurrent = options.max_concurrent;
  out.max_idle_connections = options.max_idle_connections;
  out.body_limit = options.body_limit;
  out.user_agent = "tekser-shep-client";
  out.tls = options.tls;
  return out;
}

bool has_data(pugi::xml_node data) {
  if (!data) return false;
  for (auto c = data.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return true;
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      const std::string_view text = c.value();
      if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) return true;
    }
  }
  return false;
}

std::string describe_error_info(const ErrorInfo& error) {
  std::string out = "ErrorInfo " + error.code;
  if (!error.message.empty()) out += ": " + error.message;
  return out;
}

// Whether a Content-Type can carry a SOAP envelope: text/xml (SOAP 1.1), application/soap+xml,
// application/xml — any "xml" media type. None given: the body decides.
bool may_be_soap(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string media(content_type.substr(0, semicolon));
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media.find_first_not_of(" \t") == std::string::npos ||
         media.find("xml") != std::string::npos;
}

}  // namespace

void classify_reply(Exchange& ex, unsigned status, std::string_view reason,
                    std::string_view content_type) {
  const std::string http_text = "HTTP " + std::to_string(status) +
                                (reason.empty() ? std::string() : " " + std::string(reason));
  const bool has_body = ex.response_body && !ex.response_body->empty();
  // An HTML error page of a proxy, a JSON error of a gateway: not SOAP, so not read as XML (its
  // DOCTYPE would be reported as hostile XML); the source is unavailable and the cause says why.
  if (has_body && !may_be_soap(content_type)) {
    ex.kind = Exchange::Kind::http_error;
    ex.cause = status == 200 ? "not SOAP: " + std::string(content_type) + " (" + http_text + ")"
                             : http_text + " (not SOAP: " + std::string(content_type) + ")";
    return;
  }
  if (has_body) ex.reply = parse_reply(*ex.response_body);

  // A hostile reply (a DTD, entities, nesting or elements over the limits, not UTF-8) is not
  // read at all, like one over the size limit: the source is unavailable, whatever the status.
  if (has_body && ex.reply.unsafe) {
    ex.kind = Exchange::Kind::transport_error;
    ex.cause = ex.reply.problem + " (" + http_text + ")";
    return;
  }
  // SOAP 1.1 sends faults with 500: a fault is a fault whatever the status.
  if (has_body && ex.reply.kind == ParsedReply::Kind::fault) {
    ex.kind = Exchange::Kind::soap_fault;
    ex.cause = "SOAP fault " + ex.reply.fault_code;
    if (!ex.reply.fault_string.empty()) ex.cause += ": " + ex.reply.fault_string;
    if (ex.reply.error) ex.cause += " (" + describe_error_info(*ex.reply.error) + ")";
    if (!ex.reply.problem.empty()) ex.cause += "; " + ex.reply.problem;
    return;
  }
  if (status != 200) {
    ex.kind = Exchange::Kind::http_error;
    ex.cause = http_text;
    return;
  }
  if (!has_body) {
    ex.kind = Exchange::Kind::malformed;
    ex.cause = "HTTP 200 with an empty body";
    return;
  }
  if (ex.reply.kind != ParsedReply::Kind::response) {
    ex.kind = Exchange::Kind::malformed;
    ex.cause = ex.reply.problem.empty() ? "not a SyncChannel reply" : ex.reply.problem;
    return;
  }
  if (ex.reply.info.status_code != kSuccessCode) {
    ex.kind = Exchange::Kind::bus_status;
    ex.cause = "bus status " + ex.reply.info.status_code;
    if (!ex.reply.info.status_message.empty()) ex.cause += ": " + ex.reply.info.status_message;
    return;
  }
  if (!has_data(ex.reply.data)) {
    ex.kind = Exchange::Kind::no_data;
    ex.cause = std::string(kSuccessCode) + " with an empty responseData";
    return;
  }
  ex.kind = Exchange::Kind::data;
  ex.cause.clear();
}

std::optional<Endpoint> Endpoint::parse(std::string_view url, std::string& error) {
  auto parsed = net::HttpEndpoint::parse(url, error);
  if (!parsed) return std::nullopt;
  return Endpoint{std::move(parsed->host), std::move(parsed->port), std::move(parsed->target),
                  parsed->tls};
}

std::string Endpoint::url() const {
  return to_http(*this).url();
}

std::string_view to_string(Exchange::Kind kind) {
  switch (kind) {
    case Exchange::Kind::transport_error:
      return "transport_error";
    case Exchange::Kind::http_error:
      return "http_error";
    case Exchange::Kind::soap_fault:
      return "soap_fault";
    case Exchange::Kind::bus_status:
      return "bus_status";
    case Exchange::Kind::malformed:
      return "malformed";
    case Exchange::Kind::no_data:
      return "no_data";
    case Exchange::Kind::data:
      return "data";
  }
  return "unknown";
}

std::string_view to_string(SignatureCheck::Status status) {
  switch (status) {
    case SignatureCheck::Status::not_checked:
      return "not_checked";
    case SignatureCheck::Status::absent:
      return "absent";
    case SignatureCheck::Status::valid:
      return "valid";
    case SignatureCheck::Status::invalid:
      return "invalid";
  }
  return "not_checked";
}

SignatureCheck check_reply_signature(const Exchange& exchange, ReplySignaturePolicy policy,
                                     const xmlsig::TrustStore& trusted_signers) {
  using Kind = Exchange::Kind;
  SignatureCheck check;
  const bool soap_answer = exchange.kind == Kind::soap_fault || exchange.kind == Kind::bus_status ||
                           exchange.kind == Kind::no_data || exchange.kind == Kind::data;
  if (policy == ReplySignaturePolicy::ignore || !soap_answer || !exchange.response_body)
    return check;
  // A small reply verifies in well under a millisecond: fine on the I/O thread.
  const auto verification = xmlsig::verify_soap_body(*exchange.response_body, trusted_signers);
  check.signer_subject = verification.signer_subject;
  check.signer_sha256 = verification.signer_sha256_fingerprint;
  check.signature_algorithm = verification.algorithm;
  switch (verification.status) {
    case xmlsig::Verification::Status::valid:
      check.status = SignatureCheck::Status::valid;
      break;
    case xmlsig::Verification::Status::invalid:
      check.status = SignatureCheck::Status::invalid;
      check.reason = "reply signature invalid: " + verification.reason;
      check.rejected = true;
      break;
    case xmlsig::Verification::Status::absent:
      check.status = SignatureCheck::Status::absent;
      if (policy == ReplySignaturePolicy::require && exchange.kind != Kind::soap_fault) {
        check.reason =
            "reply signature missing: the reply is not signed and signatures are required";
        check.rejected = true;
      }
      break;
  }
  return check;
}

std::string new_message_id() {
  return net::new_uuid();
}

// The SyncChannel client is the generic HTTP client (deadlines, keep-alive pool, concurrency
// bound) plus the envelope and the classification of the reply.
struct Client::Impl {
  Impl(boost::asio::any_io_executor executor, Endpoint endpoint, ClientOptions options)
      : endpoint(std::move(endpoint)),
        options(std::move(options)),
        http(std::move(executor), to_http(this->endpoint), to_http(this->options)) {}

  Endpoint endpoint;
  ClientOptions options;
  net::HttpClient http;
};

Client::Client(boost::asio::any_io_executor executor, Endpoint endpoint, ClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(endpoint), std::move(options))) {}

Client::~Client() {
  impl_->http.close();
}

boost::asio::awaitable<Exchange> Client::send(RequestInfo info, Payload payload) {
  return send(std::move(info), std::move(payload), impl_->options.total_timeout);
}

boost::asio::awaitable<Exchange> Client::send(RequestInfo info, Payload payload,
                                              std::chrono::milliseconds total_timeout) {
  namespace http = boost::beast::http;
  auto impl = impl_;  // in-flight exchanges keep the state alive past ~Client
  Exchange ex;
  ex.started_at = xsd_time::now_ms();
  ex.endpoint = impl->endpoint.url();
  if (info.message_id.empty()) info.message_id = new_message_id();
  if (info.message_date.empty())
    info.message_date = xsd_time::format_datetime(ex.started_at, xsd_time::kKazakhstanOffset);
  info.sender_id = impl->options.sender_id;
  info.password = impl->options.sender_password;
  WireStyle style;
  if (auto shape = impl->options.payload_shapes.find(info.service_id);
      shape != impl->options.payload_shapes.end())
    style.shape = shape->second;
  ex.request_body = build_request(info, payload, style);
  // An RSA-2048 signature of a small envelope is about a millisecond of CPU: fine here. The
  // payload's own signature first, so that the Body's covers it.
  if (const auto& key = impl->options.request_signing_key) {
    if (payload.wants_enveloped_signature)
      ex.request_body = xmlsig::sign_request_data(ex.request_body, *key);
    ex.request_body = xmlsig::sign_soap_body(ex.request_body, *key);
  }

  net::OutgoingRequest request;
  request.method = http::verb::post;
  request.target = impl->endpoint.target;
  request.headers = {
      {std::string(http::to_string(http::field::content_type)), "text/xml; charset=utf-8"},
      {"SOAPAction", "\"\""}};
  request.body = ex.request_body;
  request.total_timeout = total_timeout;
  // Named, not a temporary of the co_await expression (see the g++ 12 note in http_client.cpp).
  auto pending = impl->http.request(std::move(request));
  auto reply = co_await std::move(pending);

  ex.started_at = reply.started_at;
  ex.duration = reply.duration;
  ex.reused_connection = reply.reused_connection;
  if (!reply.is_response()) {
    ex.kind = Exchange::Kind::transport_error;
    ex.cause = std::move(reply.cause);
    co_return ex;
  }
  ex.http_status = reply.status;
  ex.reply_sha256 = digest::sha256_hex(reply.body);
  ex.response_body = std::move(reply.body);
  classify_reply(ex, reply.status, reply.reason, reply.headers[http::field::content_type]);
  ex.signature =
      check_reply_signature(ex, impl->options.reply_signature, impl->options.trusted_signers);
  co_return ex;
}

void Client::close() {
  impl_->http.close();
}

const Endpoint& Client::endpoint() const {
  return impl_->endpoint;
}

const ClientOptions& Client::options() const {
  return impl_->options;
}

}  // namespace tekser::shep

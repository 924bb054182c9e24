// The gateway's SHEP SyncChannel client: sends one SendMessage over asynchronous HTTP/1.1
// (Boost.Beast), with connect / read / total deadlines, keep-alive connection reuse and a bound
// on concurrent requests per destination, and classifies what came back so that "the bus or the
// source is down" can never be read as "the source says the subject is clean".
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/net/tls.hpp"
#include "common/shep/envelope.hpp"
#include "common/time/xsd_time.hpp"
#include "common/xmlsig/xmlsig.hpp"

namespace tekser::shep {

// Where the SyncChannel listens: http(s)://host:port/target.
struct Endpoint {
  std::string host;
  std::string port;
  std::string target = "/bip-sync-wss-gost/";
  bool tls = false;  // https: TLS (mutual with a client certificate) as ClientOptions::tls says

  // Parses "http://host:port/path" or "https://..."; nullopt (and `error` set) for anything else.
  static std::optional<Endpoint> parse(std::string_view url, std::string& error);
  std::string url() const;
};

// What the client demands of the WS-Security signature on SHEP's replies.
enum class ReplySignaturePolicy {
  ignore,             // never checked (not_checked)
  verify_if_present,  // a signature must verify and be trusted; an unsigned reply is accepted
  require,            // every SendMessageResponse must carry a valid, trusted signature
};

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds read_timeout{10000};   // from request sent to whole reply read
  std::chrono::milliseconds total_timeout{15000};  // the whole exchange, queueing included
  std::size_t max_concurrent = 8;                  // requests in flight to this destination
  std::size_t max_idle_connections = 8;            // kept-alive connections for reuse
  std::size_t body_limit = 8 * 1024 * 1024;        // larger replies are a transport error
  std::string sender_id = "tekser";
  std::optional<std::string> sender_password;
  ReplySignaturePolicy reply_signature = ReplySignaturePolicy::ignore;
  xmlsig::TrustStore trusted_signers;  // the certificates a reply may be signed with
  // Signs every request (WS-Security over the Body) when set, as SHEP expects of a sender, and
  // the payloads that want it (Payload::wants_enveloped_signature) with an enveloped signature.
  std::optional<xmlsig::SigningKey> request_signing_key;
  // For an https endpoint: the CA bundle, the client certificate SHEP knows the sender by, the
  // cipher list, the host-name check.
  net::TlsClientConfig tls;
  // How each service's payload goes on the wire (sources.<system>.payload_style), by serviceId;
  // a service not named is sent typed (xsi:type on <data>). Which shape each real service
  // prefers is not confirmed, so both are sendable.
  std::map<std::string, PayloadShape, std::less<>> payload_shapes;
};

// The signature check of one reply, and whether the policy lets its content be used.
struct SignatureCheck {
  enum class Status { not_checked, absent, valid, invalid };
  Status status = Status::not_checked;
  std::string reason;  // absent / invalid: what is wrong
  std::string signer_subject;
  std::string signer_sha256;  // SHA-256 fingerprint of the signer's certificate, when found
  // The SignatureMethod URI that verified it (RSA-SHA256 or a pkigovkz GOST one), when there was
  // a signature; xmlsig::algorithm_name gives its short name.
  std::string signature_algorithm;
  // The reply is untrusted: an invalid signature, or none under `require`. Nothing it says may
  // be used (the source's answer is unknown); `reason` names the problem.
  bool rejected = false;
};

std::string_view to_string(SignatureCheck::Status status);

// What one SendMessage exchange amounted to. The kinds are disjoint and ordered by how far the
// exchange got; only `data` and `no_data` are answers about the subject.
struct Exchange {
  enum class Kind {
    transport_error,  // could not connect, reset, timeout, truncated, oversized or unsafe reply
    http_error,       // an HTTP status other than 200 with no SOAP fault in the body
    soap_fault,       // soap:Fault (ErrorInfo in `reply.error` when the detail carried one)
    bus_status,       // SendMessageResponse whose status code is not SCSS001
    malformed,        // 200 but not a SyncChannel reply
    no_data,          // SCSS001 with an empty responseData
    data,             // SCSS001 with responseData/data: read it from `reply.data`
  };
  Kind kind = Kind::transport_error;
  std::string cause;  // human-readable for every kind but data: "read timeout after 10000 ms"

  std::string endpoint;      // the URL asked
  std::string request_body;  // the envelope as sent
  std::optional<std::string> response_body;
  std::optional<unsigned> http_status;
  std::string reply_sha256;  // SHA-256 (hex) of the reply body bytes; empty without a reply
  ParsedReply reply;         // parsed when there was a body
  SignatureCheck signature;  // of the reply, as ClientOptions::reply_signature demands

  xsd_time::TimePoint started_at{};
  std::chrono::milliseconds duration{0};
  bool reused_connection = false;
};

std::string_view to_string(Exchange::Kind kind);

class Client {
 public:
  Client(boost::asio::any_io_executor executor, Endpoint endpoint, ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Fills message_id (a fresh UUID) and message_date (now, +05:00) when empty, and sender from
  // the options; builds the envelope, sends it and classifies the reply. Never throws for
  // anything the network or the peer can cause.
  boost::asio::awaitable<Exchange> send(RequestInfo info, Payload payload);
  // The same with this exchange's own total deadline in place of options().total_timeout (for a
  // caller that has less time left than that), queueing included.
  boost::asio::awaitable<Exchange> send(RequestInfo info, Payload payload,
                                        std::chrono::milliseconds total_timeout);

  // Closes idle connections; in-flight requests finish or time out. From then on no connection
  // is kept for reuse (later sends still work, each on a fresh connection).
  void close();

  const Endpoint& endpoint() const;
  const ClientOptions& options() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Checks the signature of a classified reply under `policy`. Replies that are no SOAP answer
// (transport or HTTP errors, malformed) are not checked. An invalid signature rejects any reply;
// a missing one rejects a SendMessageResponse under `require` (SOAP faults are refusals that
// carry no facts, and SHEP does not sign them). Pure: the client calls it on every reply.
SignatureCheck check_reply_signature(const Exchange& exchange, ReplySignaturePolicy policy,
                                     const xmlsig::TrustStore& trusted_signers);

// Classifies a complete reply (HTTP status, reason phrase, Content-Type; the body already in
// `exchange.response_body`) into its kind and cause, parsing the body into `exchange.reply`.
// Pure: the client calls it on every reply, and facts re-derive (gateway/rederive) on the replies
// kept in the message log (with no Content-Type kept: the body decides).
void classify_reply(Exchange& exchange, unsigned status, std::string_view reason,
                    std::string_view content_type);

// A fresh RFC 4122 version 4 UUID, lower case.
std::string new_message_id();

}  // namespace tekser::shep

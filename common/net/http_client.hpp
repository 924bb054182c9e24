// A small asynchronous HTTP/1.1 client on Boost.Beast with C++20 coroutines, bound to one
// destination (host:port): connect / read / total deadlines, keep-alive connection reuse (with one
// retry on a fresh connection when the peer had closed a kept-alive one), a bound on concurrent
// requests, and a body limit; https over OpenSSL 3 (common/net/tls: CA bundle, host-name check,
// client certificate, cipher list). Every request ends in a typed result: a transport error with
// its cause (a TLS failure reads "tls: ..."), or a status with headers and body. What the body
// means is the caller's business (the SHEP client classifies SOAP replies; the REST adapters read
// JSON).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/net/tls.hpp"
#include "common/time/xsd_time.hpp"

namespace tekser::net {

// Where a destination listens: http(s)://host:port/target.
struct HttpEndpoint {
  std::string host;
  std::string port;
  std::string target = "/";  // path (and query) of the URL it was parsed from
  bool tls = false;          // https: TLS as HttpClientOptions::tls says

  // Parses "http://host:port/path" or "https://..."; nullopt (and `error` set) for anything else.
  static std::optional<HttpEndpoint> parse(std::string_view url, std::string& error);
  // "http://host:port/target" (the port always written).
  std::string url() const;
  // The Host header: "host:port", "[::1]:port"; the scheme's default port left out, as HTTP
  // clients do.
  std::string host_header() const;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds read_timeout{10000};   // from request sent to whole reply read
  std::chrono::milliseconds total_timeout{15000};  // the whole exchange, queueing included
  std::size_t max_concurrent = 8;                  // requests in flight to this destination
  std::size_t max_idle_connections = 8;            // kept-alive connections for reuse
  std::size_t body_limit = 8 * 1024 * 1024;        // larger replies are a transport error
  std::string user_agent = "tekser";
  // For an https endpoint: whom to trust, which certificate to present, which ciphers. The TLS
  // handshake counts against connect_timeout.
  TlsClientConfig tls;
};

struct OutgoingRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target = "/";  // origin-form: path and query, already encoded
  std::vector<std::pair<std::string, std::string>> headers;  // Host/User-Agent are set for you
  std::string body;
  // This request's own total deadline in place of options().total_timeout (for a caller that
  // has less time left than that), queueing included.
  std::optional<std::chrono::milliseconds> total_timeout;
};

// What one request came to. The kinds are disjoint: a transport error never has a status.
struct HttpReply {
  enum class Kind {
    transport_error,  // could not connect, reset, timeout, truncated or oversized reply
    response,         // a complete HTTP response (any status): read status, headers, body
  };
  Kind kind = Kind::transport_error;
  std::string cause;  // transport_error only: "read timeout after 10000 ms"

  unsigned status = 0;
  std::string reason;  // the reason phrase sent, or the standard one for the status
  boost::beast::http::fields headers;
  std::string body;

  xsd_time::TimePoint started_at{};
  std::chrono::milliseconds duration{0};
  bool reused_connection = false;

  bool is_response() const { return kind == Kind::response; }
  // "HTTP 503 Service Unavailable"
  std::string status_text() const;
};

class HttpClient {
 public:
  // For an https endpoint the TLS context is made here: throws TlsError when options.tls names
  // a file that cannot be used (a start-up error, never a network one).
  HttpClient(boost::asio::any_io_executor executor, HttpEndpoint endpoint,
             HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request to the endpoint's host:port and reads the whole reply. Never throws for
  // anything the network or the peer can cause. In-flight requests keep the client's state
  // alive past ~HttpClient.
  boost::asio::awaitable<HttpReply> request(OutgoingRequest request);

  // Closes idle connections; in-flight requests finish or time out. From then on no connection
  // is kept for reuse (later requests still work, each on a fresh connection).
  void close();

  const HttpEndpoint& endpoint() const;
  const HttpClientOptions& options() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// A fresh RFC 4122 version 4 UUID, lower case (message ids of the exchanges).
std::string new_uuid();

}  // namespace tekser::net

// A small asynchronous HTTP/1.1 server on Boost.Beast with C++20 coroutines: one strand per
// connection, a fresh parser per message with body and header limits, a deadline before every
// read and write (a request begun and not finished in time gets 408), framing as RFC 9112 has it
// (anything a proxy could read otherwise is refused: 400 and close), a cap on open connections,
// an accept loop that pauses when out of descriptors, keep-alive, and a graceful shutdown (stop
// accepting, close the connections, report when the last one has ended); TLS as an option, with
// client certificates (mutual TLS). What to answer is the Handler's business.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/log/json_log.hpp"
#include "common/net/tls.hpp"

namespace tekser::net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Set by the server on every request that came over a TLS connection whose client presented a
// certificate that verified against the listener's client CA: the SHA-256 of the certificate's
// DER (lower-case hex) and its subject (RFC 2253). The server removes these headers from every
// request before the handler sees it, so that a client can never send them itself.
inline constexpr std::string_view kClientCertificateSha256Header =
    "X-Tekser-Client-Certificate-Sha256";
inline constexpr std::string_view kClientCertificateSubjectHeader =
    "X-Tekser-Client-Certificate-Subject";

struct HttpAction {
  enum class Kind {
    respond,  // send `response`
    hold,     // never answer: keep the connection until the client closes it (or shutdown)
    reset,    // close the connection with a TCP reset
    close,    // close the connection in order without a byte of answer ("empty reply")
  };
  Kind kind = Kind::respond;
  HttpResponse response;
  // Wait this long before acting (latency a mock injects); cut short by shutdown, capped by
  // HttpLimits::hold_limit.
  std::chrono::milliseconds delay{0};
};

// Must not throw: it is the request boundary.
using HttpHandler = std::function<HttpAction(const HttpRequest&)>;
// The same for handlers that wait on I/O (a state system, the database pool). The coroutine runs
// on the connection's strand; it must not throw either.
using AsyncHttpHandler = std::function<boost::asio::awaitable<HttpAction>(HttpRequest)>;

struct HttpLimits {
  std::size_t body_limit = 1024 * 1024;  // larger bodies get 413
  std::size_t header_limit = 16 * 1024;
  // The header, then the body, must each arrive within this: a client dribbling bytes
  // (slowloris) is cut off when it passes.
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds hold_limit{600};  // a held connection is dropped after this anyway
  // Open connections at most; more wait in the kernel's backlog until one ends.
  std::size_t max_connections = 4096;
};

class HttpServer {
 public:
  // Binds and listens at once, so that port() is known before start(). With `tls` every
  // connection is TLS (its handshake bounded by read_timeout); throws TlsError when the
  // certificate, key or client CA cannot be used.
  HttpServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
             HttpLimits limits, HttpHandler handler, logging::JsonLog& log,
             std::optional<TlsServerConfig> tls = std::nullopt);
  HttpServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
             HttpLimits limits, AsyncHttpHandler handler, logging::JsonLog& log,
             std::optional<TlsServerConfig> tls = std::nullopt);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  unsigned short port() const;
  void start();
  // Stops accepting and closes every connection; `on_stopped` runs once none is left.
  void shutdown(std::function<void()> on_stopped);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace tekser::net

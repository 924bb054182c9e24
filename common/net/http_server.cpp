#include "common/net/http_server.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json.hpp>

namespace tekser::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds kAcceptBackoffFirst{10};
constexpr std::chrono::milliseconds kAcceptBackoffLast{1000};

// Errors that only mean "the peer went away or was too slow": not worth a log line.
bool is_disconnect(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == asio::error::broken_pipe || ec == beast::error::timeout ||
         ec == asio::ssl::error::stream_truncated;  // closed under TLS without close_notify
}

// One accepted connection, plain or TLS.
struct SessionStream {
  std::optional<beast::tcp_stream> plain;
  std::optional<TlsStream> tls;
  // The TCP stream under it all (deadlines, close, reset).
  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

// The certificate headers come from the TLS layer only: whatever a client sent is dropped, then
// the verified peer's identity (if any) is set.
void set_client_certificate_headers(HttpRequest& request,
                                    const std::optional<CertificateIdentity>& peer) {
  request.erase(kClientCertificateSha256Header);
  request.erase(kClientCertificateSubjectHeader);
  if (!peer) return;
  request.set(kClientCertificateSha256Header, peer->sha256);
  request.set(kClientCertificateSubjectHeader, peer->subject);
}

// A refusal of the server itself, in the one error shape of every layer:
// {"error": {"field": ..., "reason": ...}}; the connection closes after it.
HttpResponse plain_error(http::status status, std::string_view field, std::string_view reason) {
  HttpResponse response{status, 11};
  response.set(http::field::content_type, "application/json");
  boost::json::object error;
  error["field"] = field;
  error["reason"] = reason;
  response.body() = boost::json::serialize(boost::json::object{{"error", std::move(error)}});
  response.keep_alive(false);
  response.prepare_payload();
  return response;
}

struct FramingRefusal {
  std::string field;
  std::string reason;
};

std::string trimmed_lower(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What RFC 9112 has a server refuse in a request head that Beast's parser lets through. A framing
// that two readers could see differently (a proxy in front of us, and us) is the door to request
// smuggling, so anything but the one plain form is refused and the connection closed.
std::optional<FramingRefusal> framing_refusal(const HttpRequest& head) {
  const auto hosts = head.count(http::field::host);
  if (head.version() >= 11 && hosts == 0)
    return FramingRefusal{"Host", "HTTP/1.1 requires a Host header (RFC 9112 section 3.2)"};
  if (hosts > 1)
    return FramingRefusal{"Host", "sent " + std::to_string(hosts) + " times; one is allowed"};
  const auto encodings = head.count(http::field::transfer_encoding);
  if (encodings == 0) return std::nullopt;
  if (head.version() < 11)
    return FramingRefusal{"Transfer-Encoding", "not allowed in HTTP/1.0 (RFC 9112 section 6.1)"};
  if (head.count(http::field::content_length) > 0)
    return FramingRefusal{"Content-Length",
                          "must not come with Transfer-Encoding (RFC 9112 section 6.1)"};
  const auto value = head[http::field::transfer_encoding];
  if (encodings > 1 || trimmed_lower(value) != "chunked")
    return FramingRefusal{"Transfer-Encoding", "only \"chunked\" is accepted, got \"" +
                                                   std::string(value) +
                                                   (encodings > 1 ? "\" and more" : "\"")};
  return std::nullopt;
}

// The part of the request a parse error of Beast's is about, for the error's "field".
std::string_view field_of(const beast::error_code& ec) {
  if (ec == http::error::bad_method) return "method";
  if (ec == http::error::bad_target) return "target";
  if (ec == http::error::bad_version) return "version";
  if (ec == http::error::bad_content_length || ec == http::error::multiple_content_length)
    return "Content-Length";
  if (ec == http::error::bad_transfer_encoding) return "Transfer-Encoding";
  if (ec == http::error::bad_chunk || ec == http::error::bad_chunk_extension) return "body";
  return "header";
}

// Errors of accept() that mean "out of descriptors or memory for now": retried after a pause,
// not at once (a tight loop of failing accepts would only burn the CPU and the log).
bool is_resource_shortage(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec == boost::system::errc::too_many_files_open_in_system;
}

// A deadline on the reads of one connection that cancels the pending read when it passes but keeps
// the socket open: beast::tcp_stream's own expiry closes it, and then no 408 could be sent.
class ReadDeadline {
 public:
  explicit ReadDeadline(beast::tcp_stream& stream)
      : stream_(stream), timer_(stream.get_executor()) {}

  void arm(std::chrono::milliseconds after) {
    fired_ = false;
    const auto generation = ++generation_;
    timer_.expires_after(after);
    // Runs on the connection's strand, as the reads do. Once the deadline is disarmed or
    // re-armed, a handler already on its way sees another generation and does nothing.
    timer_.async_wait([this, generation](const beast::error_code& ec) {
      if (ec || generation != generation_) return;
      fired_ = true;
      beast::error_code ignored;
      stream_.socket().cancel(ignored);
    });
  }
  // Stops it; true when it had passed.
  bool disarm() {
    ++generation_;
    timer_.cancel();
    return fired_;
  }

 private:
  beast::tcp_stream& stream_;
  asio::steady_timer timer_;
  std::uint64_t generation_ = 0;
  bool fired_ = false;
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, HttpLimits limits, AsyncHttpHandler handler, logging::JsonLog& log,
       std::shared_ptr<asio::ssl::context> tls_context)
      : io(io),
        acceptor(asio::make_strand(io)),
        limits(limits),
        handler(std::move(handler)),
        log(log),
        tls_context(std::move(tls_context)) {}

  asio::io_context& io;
  tcp::acceptor acceptor;
  HttpLimits limits;
  AsyncHttpHandler handler;
  logging::JsonLog& log;
  std::shared_ptr<asio::ssl::context> tls_context;  // null: plain HTTP

  // Wakes the accept loop when a connection ends while it waits below the connection cap. Used
  // on the acceptor's strand only.
  asio::steady_timer capacity_freed{acceptor.get_executor()};

  std::mutex mutex;  // guards everything below
  std::unordered_map<std::uint64_t, std::weak_ptr<SessionStream>> sessions;
  std::uint64_t next_session = 0;
  bool accepting = false;
  bool stopping = false;
  std::function<void()> on_stopped;

  // Called with the mutex held.
  void notify_if_stopped() {
    if (stopping && !accepting && sessions.empty() && on_stopped)
      asio::post(io, std::exchange(on_stopped, nullptr));
  }

  void log_exception(std::string_view where, const std::exception_ptr& error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      log.error("connection_failed", {{"where", where}, {"error", e.what()}});
    } catch (...) {
      log.error("connection_failed", {{"where", where}, {"error", "non-standard exception"}});
    }
  }

  std::size_t open_sessions() {
    std::lock_guard lock(mutex);
    return sessions.size();
  }

  asio::awaitable<void> accept_loop() {
    auto backoff = kAcceptBackoffFirst;
    bool capped = false;
    for (;;) {
      // At the cap, new connections wait in the kernel's backlog until one of ours ends.
      while (open_sessions() >= limits.max_connections && acceptor.is_open()) {
        if (!capped)
          log.write("warn", "connection_cap_reached", {{"open", limits.max_connections}});
        capped = true;
        capacity_freed.expires_after(std::chrono::seconds(1));  // a missed wake-up costs 1 s
        co_await capacity_freed.async_wait(kNoThrow);
      }
      capped = false;
      tcp::socket socket(asio::make_strand(io));
      auto [ec] = co_await acceptor.async_accept(socket, kNoThrow);
      if (ec) {
        if (!acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
        if (is_resource_shortage(ec)) {
          // Out of descriptors: the pending connection stays in the backlog; try again later,
          // when some connection has ended, and say so once per episode, not per attempt.
          if (backoff == kAcceptBackoffFirst)
            log.write("warn", "accept_paused",
                      {{"error", ec.message()}, {"open", open_sessions()}});
          asio::steady_timer pause(acceptor.get_executor());
          pause.expires_after(backoff);
          co_await pause.async_wait(kNoThrow);
          backoff = std::min(backoff * 2, kAcceptBackoffLast);
          continue;
        }
        log.error("accept_failed", {{"error", ec.message()}});
        continue;
      }
      if (backoff != kAcceptBackoffFirst) log.info("accept_resumed", {{"open", open_sessions()}});
      backoff = kAcceptBackoffFirst;
      auto stream = std::make_shared<SessionStream>();
      if (tls_context)
        stream->tls.emplace(std::move(socket), *tls_context);
      else
        stream->plain.emplace(std::move(socket));
      std::uint64_t id = 0;
      {
        std::lock_guard lock(mutex);
        if (stopping) continue;  // `stream` closes as it goes out of scope
        id = next_session++;
        sessions.emplace(id, stream);
      }
      asio::co_spawn(stream->lowest().get_executor(), session(stream),
                     [self = shared_from_this(), id](std::exception_ptr error) {
                       self->log_exception("session", error);
                       {
                         std::lock_guard lock(self->mutex);
                         self->sessions.erase(id);
                         self->notify_if_stopped();
                       }
                       asio::post(self->acceptor.get_executor(),
                                  [self] { self->capacity_freed.cancel(); });
                     });
    }
  }

  // Reads and discards until the peer closes or the deadline passes: used to wait out a client
  // that the handler chose not to answer, and to let a 413 reach a client still sending.
  template <class Stream>
  asio::awaitable<void> drain(Stream& stream, std::chrono::seconds limit, std::size_t max_bytes) {
    beast::get_lowest_layer(stream).expires_after(limit);
    char sink[4096];
    std::size_t drained = 0;
    while (drained < max_bytes) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kNoThrow);
      if (ec) break;
      drained += n;
    }
  }

  // Waits `delay` (at most hold_limit) in short slices so that a shutdown need not wait it out;
  // false when the server is stopping.
  asio::awaitable<bool> wait(std::chrono::milliseconds delay) {
    const auto until = std::chrono::steady_clock::now() +
                       std::min<std::chrono::milliseconds>(delay, limits.hold_limit);
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (stopping) co_return false;
      }
      const auto now = std::chrono::steady_clock::now();
      if (now >= until) co_return true;
      timer.expires_after(std::min<std::chrono::steady_clock::duration>(
          until - now, std::chrono::milliseconds(100)));
      co_await timer.async_wait(kNoThrow);
    }
  }

  template <class Stream>
  asio::awaitable<bool> write(Stream& stream, HttpResponse& response) {
    beast::get_lowest_layer(stream).expires_after(limits.write_timeout);
    auto [ec, n] = co_await http::async_write(stream, response, kNoThrow);
    if (ec && !is_disconnect(ec)) log.error("write_failed", {{"error", ec.message()}});
    co_return !ec;
  }

  asio::awaitable<void> session(std::shared_ptr<SessionStream> stream) {
    if (!stream->tls) {
      co_await serve(*stream->plain, std::nullopt);
      co_return;
    }
    // The handshake has the read timeout: a client that connects and says nothing is dropped.
    auto& tls = *stream->tls;
    stream->lowest().expires_after(limits.read_timeout);
    auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::server, kNoThrow);
    if (ec) {
      // A client we refuse (no or untrusted certificate, no common cipher) or one that is not
      // speaking TLS: worth a line for whoever runs the server, not an error of ours.
      if (!is_disconnect(ec))
        log.write("warn", "tls_handshake_failed",
                  {{"reason", describe_tls_failure(tls.native_handle(), ec, "handshake failed")}});
      co_return;
    }
    const auto peer = verified_peer(tls.native_handle());
    if (peer)
      log.info("tls_client_certificate", {{"sha256", peer->sha256}, {"subject", peer->subject}});
    if (co_await serve(tls, peer)) {
      // A clean end: close_notify, so that the client can tell it from a truncation.
      stream->lowest().expires_after(limits.write_timeout);
      co_await tls.async_shutdown(kNoThrow);
    }
  }

  // Sends a refusal of the server's own and closes the connection the polite way: stop sending,
  // then read what the client is still sending, so that the close is not a reset that destroys
  // the answer before the client reads it.
  template <class Stream>
  asio::awaitable<void> refuse(Stream& stream, http::status status, std::string_view field,
                               std::string_view reason, std::size_t drain_limit) {
    auto response = plain_error(status, field, reason);
    if (co_await write(stream, response)) {
      beast::error_code ignored;
      beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
      co_await drain(stream, std::chrono::seconds(2), drain_limit);
    }
  }

  // The request loop of one connection. True when it ended in order (the last response sent with
  // Connection: close, or the client done), false when the connection was dropped or reset.
  template <class Stream>
  asio::awaitable<bool> serve(Stream& stream_ref, const std::optional<CertificateIdentity>& peer) {
    auto* stream = &stream_ref;
    auto& tcp_stream = beast::get_lowest_layer(stream_ref);
    beast::flat_buffer buffer;
    ReadDeadline deadline(tcp_stream);
    for (;;) {
      http::request_parser<http::string_body> parser;  // fresh per message
      parser.body_limit(limits.body_limit);
      parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
      // The read deadline cancels the read but keeps the connection, so that a client who began
      // a request and stalled is told 408; the stream's own expiry is only a backstop.
      tcp_stream.expires_after(limits.read_timeout + limits.write_timeout);
      deadline.arm(limits.read_timeout);
      auto [ec, n] = co_await http::async_read_header(*stream, buffer, parser, kNoThrow);
      // The head decides how the body is framed: judged before a byte of the body is read.
      if (auto refusal = ec ? std::nullopt : framing_refusal(parser.get())) {
        deadline.disarm();
        co_await refuse(*stream, http::status::bad_request, refusal->field, refusal->reason,
                        limits.body_limit);
        co_return false;
      }
      if (!ec && !parser.is_done()) {
        // curl and others wait for "100 Continue" before sending a body over 1 KiB.
        if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
          http::response<http::empty_body> go_on{http::status::continue_, 11};
          tcp_stream.expires_after(limits.write_timeout);
          auto [wec, wn] = co_await http::async_write(*stream, go_on, kNoThrow);
          if (wec) break;
        }
        tcp_stream.expires_after(limits.read_timeout + limits.write_timeout);
        deadline.arm(limits.read_timeout);
        std::tie(ec, n) = co_await http::async_read(*stream, buffer, parser, kNoThrow);
      }
      // (A deadline that passed as the read completed does not count.)
      if (deadline.disarm() && ec) {
        // Nothing of a request yet: an idle keep-alive connection, closed without a word.
        if (!parser.got_some()) co_return false;
        const bool in_body = parser.is_header_done();
        std::string reason = std::string("the request ") + (in_body ? "body" : "header") +
                             " did not arrive within " +
                             std::to_string(limits.read_timeout.count()) + " ms";
        if (in_body && parser.content_length() && parser.content_length_remaining())
          reason += ": " + std::to_string(*parser.content_length_remaining()) + " of the " +
                    std::to_string(*parser.content_length()) +
                    " bytes its Content-Length announced are missing";
        co_await refuse(*stream, http::status::request_timeout, in_body ? "body" : "header", reason,
                        limits.header_limit);
        co_return false;
      }
      if (ec == http::error::body_limit) {
        co_await refuse(*stream, http::status::payload_too_large, "body",
                        "request body exceeds " + std::to_string(limits.body_limit) + " bytes",
                        16 * limits.body_limit);
        co_return false;
      }
      if (ec) {
        if (ec == http::error::header_limit) {
          co_await refuse(
              *stream, http::status::request_header_fields_too_large, "header",
              "request header exceeds " + std::to_string(limits.header_limit) + " bytes",
              16 * limits.header_limit);
          co_return false;
        } else if (!is_disconnect(ec) &&
                   ec.category() == http::make_error_code(http::error::bad_target).category()) {
          co_await refuse(*stream, http::status::bad_request, field_of(ec),
                          "malformed HTTP request: " + ec.message(), limits.body_limit);
          co_return false;
        } else if (!is_disconnect(ec)) {
          log.error("read_failed", {{"error", ec.message()}});
        }
        if (ec != http::error::end_of_stream) co_return false;
        break;
      }

      HttpRequest request = parser.release();
      set_client_certificate_headers(request, peer);
      const bool client_keep_alive = request.keep_alive();
      HttpAction action = co_await handler(std::move(request));
      if (action.delay.count() > 0 && !co_await wait(action.delay)) co_return false;
      if (action.kind == HttpAction::Kind::hold) {
        co_await drain(*stream, limits.hold_limit, SIZE_MAX);
        co_return false;
      }
      if (action.kind == HttpAction::Kind::reset) {
        beast::error_code ignored;
        tcp_stream.socket().set_option(asio::socket_base::linger(true, 0), ignored);
        tcp_stream.socket().close(ignored);
        co_return false;
      }
      if (action.kind == HttpAction::Kind::close) {
        beast::error_code ignored;
        tcp_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        tcp_stream.socket().close(ignored);
        co_return false;
      }
      bool stopping_now = false;
      {
        std::lock_guard lock(mutex);
        stopping_now = stopping;
      }
      action.response.keep_alive(client_keep_alive && action.response.keep_alive() &&
                                 !stopping_now);
      action.response.prepare_payload();
      if (!co_await write(*stream, action.response)) co_return false;
      if (!action.response.keep_alive()) break;
    }
    // Over TLS the caller sends close_notify first.
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      beast::error_code ignored;
      tcp_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    co_return true;
  }
};

HttpServer::HttpServer(asio::io_context& io, const tcp::endpoint& endpoint, HttpLimits limits,
                       HttpHandler handler, logging::JsonLog& log,
                       std::optional<TlsServerConfig> tls)
    : HttpServer(io, endpoint, limits,
                 AsyncHttpHandler([handler = std::move(handler)](
                                      HttpRequest request) -> asio::awaitable<HttpAction> {
                   co_return handler(request);
                 }),
                 log, std::move(tls)) {}

HttpServer::HttpServer(asio::io_context& io, const tcp::endpoint& endpoint, HttpLimits limits,
                       AsyncHttpHandler handler, logging::JsonLog& log,
                       std::optional<TlsServerConfig> tls)
    : impl_(std::make_shared<Impl>(io, limits, std::move(handler), log,
                                   tls ? make_server_context(*tls) : nullptr)) {
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void HttpServer::start() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->accepting = true;
  }
  asio::co_spawn(impl_->acceptor.get_executor(), impl_->accept_loop(),
                 [self = impl_](std::exception_ptr error) {
                   self->log_exception("accept", error);
                   std::lock_guard lock(self->mutex);
                   self->accepting = false;
                   self->notify_if_stopped();
                 });
}

void HttpServer::shutdown(std::function<void()> on_stopped) {
  std::vector<std::shared_ptr<SessionStream>> open;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    impl_->on_stopped = std::move(on_stopped);
    for (auto& [id, weak] : impl_->sessions) {
      if (auto stream = weak.lock()) open.push_back(std::move(stream));
    }
    impl_->notify_if_stopped();
  }
  asio::post(impl_->acceptor.get_executor(), [self = impl_] {
    beast::error_code ignored;
    self->acceptor.close(ignored);
    self->capacity_freed.cancel();
  });
  // Each connection is closed on its own strand; its pending read or write then fails and the
  // session ends.
  for (auto& stream : open) {
    asio::post(stream->lowest().get_executor(), [stream] {
      beast::error_code ignored;
      stream->lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->lowest().socket().close(ignored);
    });
  }
}

}  // namespace tekser::net

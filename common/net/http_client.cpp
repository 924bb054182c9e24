#include "common/net/http_client.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <random>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/system/system_error.hpp>
#include <boost/url/parse.hpp>

namespace tekser::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string ms_text(milliseconds ms) {
  return std::to_string(ms.count()) + " ms";
}

// Errors by which a kept-alive connection shows that the peer closed it while it sat idle.
bool is_closed_by_peer(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == asio::error::not_connected ||
         ec == asio::ssl::error::stream_truncated;  // TCP closed under TLS without close_notify
}

const char* default_port(const HttpEndpoint& endpoint) {
  return endpoint.tls ? "443" : "80";
}

// "127.0.0.1:8080", "[::1]:8080", "bus.example.kz" (the scheme's default port left out, as HTTP
// clients do).
std::string host_port(const HttpEndpoint& endpoint, bool keep_default_port) {
  std::string host =
      endpoint.host.find(':') != std::string::npos ? "[" + endpoint.host + "]" : endpoint.host;
  if (!keep_default_port && endpoint.port == default_port(endpoint)) return host;
  return host + ":" + endpoint.port;
}

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One kept-alive HTTP connection, plain or TLS. Its stream lives on its own strand and every
// operation on it runs in a coroutine spawned on that strand, whichever thread the caller of
// request() is on.
struct Connection {
  Connection(const asio::any_io_executor& executor, asio::ssl::context* tls_context) {
    if (tls_context)
      tls.emplace(asio::make_strand(executor), *tls_context);
    else
      plain.emplace(asio::make_strand(executor));
  }
  // The TCP stream under it all (deadlines, connect, close).
  beast::tcp_stream& stream() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  std::optional<beast::tcp_stream> plain;
  std::optional<TlsStream> tls;
  beast::flat_buffer buffer;
  bool connected = false;
};

// What one attempt on one connection came to.
struct Attempt {
  bool ok = false;
  std::string cause;  // when !ok
  // The request may not have reached the peer: a kept-alive connection the peer had closed.
  bool stale = false;
  bool reusable = false;
  http::response<http::string_body> response;
};

// The end of one step: its own timeout or the total deadline, whichever comes first.
struct StepDeadline {
  SteadyClock::time_point end;
  bool total_bound = false;  // the total deadline, not the step's own timeout, is the limit
  bool passed() const { return end <= SteadyClock::now(); }
};

// The whole exchange's deadline, and the total timeout it came from (for the message).
struct Budget {
  SteadyClock::time_point deadline;
  milliseconds total{0};
};

StepDeadline until(SteadyClock::time_point step_end, SteadyClock::time_point total_deadline) {
  const bool total_bound = total_deadline < step_end;
  return {total_bound ? total_deadline : step_end, total_bound};
}

}  // namespace

std::optional<HttpEndpoint> HttpEndpoint::parse(std::string_view url, std::string& error) {
  auto fail = [&](std::string problem) -> std::optional<HttpEndpoint> {
    error = std::move(problem) + ": " + std::string(url);
    return std::nullopt;
  };
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return fail("not an absolute URL (" + parsed.error().message() + ")");
  const auto& u = *parsed;
  const auto scheme = u.scheme();
  const bool tls = beast::iequals(scheme, "https");
  if (!tls && !beast::iequals(scheme, "http"))
    return fail("unsupported scheme '" + std::string(scheme) + "'");
  if (u.has_userinfo()) return fail("credentials in the URL are not supported");
  if (u.has_fragment()) return fail("a fragment has no place in an endpoint URL");
  HttpEndpoint endpoint;
  endpoint.tls = tls;
  switch (u.host_type()) {
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::name:
      endpoint.host = u.encoded_host().decode();
      break;
    case boost::urls::host_type::ipv6:
      endpoint.host = u.host_ipv6_address().to_string();
      break;
    default:
      return fail("unsupported host");
  }
  if (endpoint.host.empty()) return fail("no host");
  if (u.has_port()) {
    const auto port = u.port();
    if (port.empty()) return fail("empty port");
    if (u.port_number() == 0) return fail("port must be 1..65535");
    endpoint.port = std::to_string(u.port_number());
  } else {
    endpoint.port = default_port(endpoint);
  }
  endpoint.target = std::string(u.encoded_path());
  if (endpoint.target.empty()) endpoint.target = "/";
  if (u.has_query()) endpoint.target += "?" + std::string(u.encoded_query());
  error.clear();
  return endpoint;
}

std::string HttpEndpoint::url() const {
  return (tls ? "https://" : "http://") + host_port(*this, true) + target;
}

std::string HttpEndpoint::host_header() const {
  return host_port(*this, false);
}

std::string HttpReply::status_text() const {
  return "HTTP " + std::to_string(status) + (reason.empty() ? std::string() : " " + reason);
}

std::string new_uuid() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    thread_local std::random_device device;
    for (auto& b : bytes) b = static_cast<unsigned char>(device() & 0xFF);
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

struct HttpClient::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::any_io_executor executor, HttpEndpoint endpoint, HttpClientOptions options)
      : executor(std::move(executor)), endpoint(std::move(endpoint)), options(std::move(options)) {
    this->options.max_concurrent = std::max<std::size_t>(this->options.max_concurrent, 1);
    if (this->endpoint.tls) tls_context = make_client_context(this->options.tls);
  }

  // One request waiting for a slot. `timer` runs until the total deadline; a release hands the
  // slot over by setting `granted` and cancelling it. Both happen under the mutex.
  struct Waiter {
    explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
    asio::steady_timer timer;
    bool granted = false;
  };

  // Gives the slot back when the exchange ends, however it ends.
  struct Slot {
    explicit Slot(std::shared_ptr<Impl> impl) : impl(std::move(impl)) {}
    Slot(Slot&& other) noexcept : impl(std::move(other.impl)) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (impl) impl->release();
    }
    std::shared_ptr<Impl> impl;
  };

  asio::any_io_executor executor;
  HttpEndpoint endpoint;
  HttpClientOptions options;
  std::shared_ptr<asio::ssl::context> tls_context;  // https only; shared by the connections

  std::shared_ptr<Connection> fresh_connection() const {
    return std::make_shared<Connection>(executor, tls_context.get());
  }

  std::mutex mutex;  // guards everything below
  std::size_t in_flight = 0;
  std::deque<std::shared_ptr<Waiter>> waiters;
  std::vector<std::shared_ptr<Connection>> idle;  // most recently used last
  bool closed = false;

  // Waits (asynchronously) for one of max_concurrent slots until `deadline`.
  asio::awaitable<std::optional<Slot>> acquire(SteadyClock::time_point deadline) {
    const auto own_executor = co_await asio::this_coro::executor;
    std::shared_ptr<Waiter> waiter;
    {
      std::lock_guard lock(mutex);
      if (in_flight < options.max_concurrent) {
        ++in_flight;
        co_return Slot(shared_from_this());
      }
      waiter = std::make_shared<Waiter>(own_executor);
      waiter->timer.expires_at(deadline);
      waiters.push_back(waiter);
    }
    // The wait is started under the mutex so that release() never touches the timer while the
    // wait is being set up on another thread. (Named, and owning nothing: g++ 12 may destroy the
    // temporaries of a co_await expression twice.)
    const auto start_wait = [this, w = waiter.get()](auto handler) {
      std::lock_guard lock(mutex);
      w->timer.async_wait(std::move(handler));
      if (w->granted) w->timer.cancel();
    };
    co_await asio::async_initiate<decltype(kNoThrow), void(boost::system::error_code)>(start_wait,
                                                                                       kNoThrow);
    std::lock_guard lock(mutex);
    if (waiter->granted) co_return Slot(shared_from_this());  // in_flight was handed over
    std::erase(waiters, waiter);
    co_return std::nullopt;
  }

  void release() {
    std::lock_guard lock(mutex);
    if (!waiters.empty()) {
      auto next = std::move(waiters.front());
      waiters.pop_front();
      next->granted = true;  // the slot passes on: in_flight stays
      next->timer.cancel();
      return;
    }
    --in_flight;
  }

  std::shared_ptr<Connection> take_idle() {
    std::lock_guard lock(mutex);
    if (idle.empty()) return nullptr;
    auto connection = std::move(idle.back());
    idle.pop_back();
    return connection;
  }

  void give_back(std::shared_ptr<Connection> connection) {
    std::lock_guard lock(mutex);
    if (closed || idle.size() >= options.max_idle_connections) return;  // closes as it goes
    idle.push_back(std::move(connection));
  }

  void close_idle() {
    std::vector<std::shared_ptr<Connection>> dropped;
    {
      std::lock_guard lock(mutex);
      closed = true;
      dropped.swap(idle);
    }
    // Idle connections have no operation pending, so closing them from here is safe.
    for (auto& connection : dropped) {
      beast::error_code ignored;
      connection->stream().socket().shutdown(tcp::socket::shutdown_both, ignored);
      connection->stream().socket().close(ignored);
    }
  }

  http::request<http::string_body> make_request(OutgoingRequest& spec) const {
    http::request<http::string_body> request{spec.method, spec.target, 11};
    request.set(http::field::host, endpoint.host_header());
    request.set(http::field::user_agent, options.user_agent);
    for (auto& [name, value] : spec.headers) request.set(name, value);
    request.keep_alive(true);
    request.body() = std::move(spec.body);
    request.prepare_payload();
    return request;
  }

  static std::string timeout_cause(std::string_view step, milliseconds step_timeout,
                                   std::string_view while_doing, const Budget& budget,
                                   bool total_bound) {
    if (total_bound)
      return "total deadline of " + ms_text(budget.total) + " exceeded " + std::string(while_doing);
    return std::string(step) + " timeout after " + ms_text(step_timeout);
  }

  // Resolves and connects a fresh connection. Runs on the connection's strand.
  asio::awaitable<std::optional<std::string>> connect(Connection& connection, Budget budget) {
    const auto connect_end = SteadyClock::now() + options.connect_timeout;
    const auto step = until(connect_end, budget.deadline);
    const auto timed_out = [&] {
      return timeout_cause("connect", options.connect_timeout, "while connecting", budget,
                           step.total_bound);
    };
    if (step.passed()) co_return timed_out();
    auto& stream = connection.stream();
    const auto executor = stream.get_executor();
    std::vector<tcp::endpoint> targets;
    beast::error_code address_ec;
    const auto address = asio::ip::make_address(endpoint.host, address_ec);
    if (!address_ec) {
      unsigned short port = 0;
      const auto* end = endpoint.port.data() + endpoint.port.size();
      const auto parsed = std::from_chars(endpoint.port.data(), end, port);
      if (parsed.ec != std::errc{} || parsed.ptr != end || port == 0)
        co_return "invalid port '" + endpoint.port + "'";
      targets.emplace_back(address, port);
    } else {
      // The resolver cannot be cancelled per operation: a timer on the same strand cancels it.
      auto resolver = std::make_shared<tcp::resolver>(executor);
      auto timer = std::make_shared<asio::steady_timer>(executor);
      auto expired = std::make_shared<bool>(false);
      timer->expires_at(step.end);
      timer->async_wait([resolver, expired](const boost::system::error_code& ec) {
        if (ec) return;
        *expired = true;
        resolver->cancel();
      });
      auto [ec, results] = co_await resolver->async_resolve(endpoint.host, endpoint.port, kNoThrow);
      timer->cancel();
      if (*expired) co_return timed_out();
      if (ec) co_return "cannot resolve " + endpoint.host + ": " + ec.message();
      for (const auto& entry : results) targets.push_back(entry.endpoint());
      if (targets.empty()) co_return "cannot resolve " + endpoint.host + ": no address";
    }
    // The connect timeout covers resolving and connecting together.
    if (step.passed()) co_return timed_out();
    stream.expires_at(step.end);
    auto [ec, connected_to] = co_await stream.async_connect(targets, kNoThrow);
    if (ec == beast::error::timeout) co_return timed_out();
    if (ec) co_return "connect to " + host_port(endpoint, true) + " failed: " + ec.message();
    stream.socket().set_option(tcp::no_delay(true), ec);
    if (connection.tls) {
      // The handshake shares the connect deadline, as curl's connect timeout does.
      SSL* ssl = connection.tls->native_handle();
      if (!prepare_client_session(ssl, endpoint.host, options.tls.verify_host))
        co_return "tls: cannot set the expected host name '" + endpoint.host + "'";
      auto [hs_ec] =
          co_await connection.tls->async_handshake(asio::ssl::stream_base::client, kNoThrow);
      if (hs_ec == beast::error::timeout)
        co_return step.total_bound
            ? timed_out()
            : "tls: handshake timeout after " + ms_text(options.connect_timeout) +
                  " (the connect timeout)";
      if (hs_ec) co_return describe_tls_failure(ssl, hs_ec, "handshake failed");
    }
    connection.connected = true;
    co_return std::nullopt;
  }

  // One request on one connection: connect if needed, write, read the whole reply. Runs on the
  // connection's strand.
  asio::awaitable<Attempt> attempt(std::shared_ptr<Connection> connection, bool reused,
                                   const http::request<http::string_body>& request, Budget budget) {
    Attempt out;
    if (!connection->connected) {
      if (auto problem = co_await connect(*connection, budget)) {
        out.cause = std::move(*problem);
        co_return out;
      }
    }
    const auto step = until(SteadyClock::now() + options.read_timeout, budget.deadline);
    const auto timed_out = [&] {
      return timeout_cause("read", options.read_timeout, "while waiting for the reply", budget,
                           step.total_bound);
    };
    if (step.passed()) {
      out.cause = timed_out();
      co_return out;
    }
    connection->stream().expires_at(step.end);
    if (connection->tls)
      co_await transfer(*connection->tls, *connection, reused, request, out, timed_out);
    else
      co_await transfer(*connection->plain, *connection, reused, request, out, timed_out);
    co_return out;
  }

  // Writes the request and reads the whole reply on `stream` (the connection's TLS or plain
  // stream), its deadline already set.
  template <class Stream, class TimedOut>
  asio::awaitable<void> transfer(Stream& stream, Connection& connection, bool reused,
                                 const http::request<http::string_body>& request, Attempt& out,
                                 const TimedOut& timed_out) {
    SSL* ssl = connection.tls ? connection.tls->native_handle() : nullptr;
    auto [write_ec, written] = co_await http::async_write(stream, request, kNoThrow);
    if (write_ec) {
      if (write_ec == beast::error::timeout) {
        out.cause = timed_out();
      } else {
        out.stale = reused && is_closed_by_peer(write_ec);
        out.cause = ssl && !out.stale && is_tls_error(write_ec)
                        ? describe_tls_failure(ssl, write_ec, "while sending the request")
                        : "write failed: " + write_ec.message();
      }
      co_return;
    }

    http::response_parser<http::string_body> parser;
    parser.body_limit(options.body_limit);
    // A reply to HEAD has headers only.
    if (request.method() == http::verb::head) parser.skip(true);
    auto [read_ec, read] = co_await http::async_read(stream, connection.buffer, parser, kNoThrow);
    if (read_ec) {
      const bool nothing_read = read == 0 && !parser.got_some();
      if (read_ec == beast::error::timeout) {
        out.cause = timed_out();
      } else if (read_ec == http::error::body_limit) {
        out.cause = "reply larger than " + std::to_string(options.body_limit) + " bytes";
      } else if (nothing_read && is_closed_by_peer(read_ec)) {
        out.cause = "connection closed before any reply: " + read_ec.message();
        out.stale = reused;
      } else if (read_ec == http::error::partial_message || is_closed_by_peer(read_ec)) {
        out.cause = "connection closed mid-reply: " + read_ec.message();
      } else if (ssl && is_tls_error(read_ec)) {
        // E.g. a TLS 1.3 server refusing our certificate (or its absence) after the handshake.
        out.cause = describe_tls_failure(ssl, read_ec, "while waiting for the reply");
      } else {
        out.cause = "read failed: " + read_ec.message();
      }
      co_return;
    }
    connection.stream().expires_never();
    out.response = parser.release();
    out.ok = true;
    out.reusable = out.response.keep_alive() && connection.buffer.size() == 0;
  }

  // Runs attempt() on the connection's strand, wherever the caller runs. (Arguments are named
  // locals: g++ 12 may destroy the temporaries of a co_await expression twice.)
  asio::awaitable<Attempt> attempt_on_strand(std::shared_ptr<Connection> connection, bool reused,
                                             const http::request<http::string_body>& request,
                                             Budget budget) {
    auto strand = connection->stream().get_executor();
    auto work = attempt(std::move(connection), reused, request, budget);
    co_return co_await asio::co_spawn(strand, std::move(work), asio::use_awaitable);
  }

  // The exchange: slot, connection, attempt (and one retry on a stale kept-alive connection).
  asio::awaitable<void> exchange(HttpReply& reply, const http::request<http::string_body>& request,
                                 Budget budget) {
    auto slot = co_await acquire(budget.deadline);
    if (!slot || SteadyClock::now() >= budget.deadline) {
      reply.kind = HttpReply::Kind::transport_error;
      reply.cause = "total deadline of " + ms_text(budget.total) +
                    " exceeded while waiting for a connection slot";
      co_return;
    }
    auto connection = take_idle();
    bool reused = connection != nullptr;
    if (!connection) connection = fresh_connection();
    auto result = co_await attempt_on_strand(connection, reused, request, budget);
    if (!result.ok && result.stale) {
      // The peer had closed the kept-alive connection before our request reached it: once more,
      // on a fresh connection.
      connection = fresh_connection();
      reused = false;
      result = co_await attempt_on_strand(connection, reused, request, budget);
    }
    reply.reused_connection = reused;
    if (!result.ok) {
      reply.kind = HttpReply::Kind::transport_error;
      reply.cause = std::move(result.cause);
      co_return;
    }
    if (result.reusable) give_back(std::move(connection));
    auto& response = result.response;
    reply.kind = HttpReply::Kind::response;
    reply.status = response.result_int();
    reply.reason = std::string(response.reason());
    if (reply.reason.empty()) reply.reason = std::string(http::obsolete_reason(response.result()));
    reply.headers = std::move(response.base());
    reply.body = std::move(response.body());
  }
};

HttpClient::HttpClient(asio::any_io_executor executor, HttpEndpoint endpoint,
                       HttpClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(endpoint), std::move(options))) {}

HttpClient::~HttpClient() {
  impl_->close_idle();
}

asio::awaitable<HttpReply> HttpClient::request(OutgoingRequest spec) {
  auto impl = impl_;  // in-flight requests keep the state alive past ~HttpClient
  const auto started = SteadyClock::now();
  const auto total = spec.total_timeout.value_or(impl->options.total_timeout);
  HttpReply reply;
  reply.started_at = xsd_time::now_ms();
  const auto request = impl->make_request(spec);
  try {
    co_await impl->exchange(reply, request, Budget{started + total, total});
  } catch (const boost::system::system_error& e) {
    reply.kind = HttpReply::Kind::transport_error;
    reply.cause = e.what();
    reply.status = 0;
    reply.reason.clear();
    reply.headers.clear();
    reply.body.clear();
  }
  reply.duration = std::chrono::duration_cast<milliseconds>(SteadyClock::now() - started);
  co_return reply;
}

void HttpClient::close() {
  impl_->close_idle();
}

const HttpEndpoint& HttpClient::endpoint() const {
  return impl_->endpoint;
}

const HttpClientOptions& HttpClient::options() const {
  return impl_->options;
}

}  // namespace tekser::net

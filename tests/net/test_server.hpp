// An HttpServer on 127.0.0.1 on a thread of its own, for the tests of the generic HTTP layer:
// its port, and its log read safely (on the server's thread) until a deadline.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include "common/log/json_log.hpp"
#include "common/net/http_server.hpp"

namespace tekser::testing::net {

class TestServer {
 public:
  TestServer(tekser::net::HttpHandler handler, tekser::net::HttpLimits limits,
             std::optional<tekser::net::TlsServerConfig> tls = std::nullopt)
      : log_(log_text_) {
    namespace asio = boost::asio;
    server_ = std::make_unique<tekser::net::HttpServer>(
        io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0), limits,
        std::move(handler), log_, std::move(tls));
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestServer() {
    std::promise<void> stopped;
    server_->shutdown([&stopped] { stopped.set_value(); });
    stopped.get_future().wait_for(std::chrono::seconds(10));
    io_.stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const { return server_->port(); }

  // Whether the server's log shows `needle` within the deadline. The log is written on the
  // server's thread, and may be written after the client has its answer (the server logs a failed
  // handshake once its own side of it ends), so it is read on that thread, and read again until
  // the deadline.
  bool logs(std::string_view needle,
            std::chrono::milliseconds deadline = std::chrono::milliseconds(5000)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      auto text =
          boost::asio::post(io_, boost::asio::use_future([this] { return log_text_.str(); }));
      if (text.get().find(needle) != std::string::npos) return true;
      if (std::chrono::steady_clock::now() >= until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

 private:
  std::ostringstream log_text_;
  logging::JsonLog log_;
  boost::asio::io_context io_;
  std::unique_ptr<tekser::net::HttpServer> server_;
  std::thread thread_;
};

}  // namespace tekser::testing::net

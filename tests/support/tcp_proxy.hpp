// A loopback TCP relay a test puts between the gateway and a server (PostgreSQL) to take the
// server away and give it back, without touching the server every other test shares: cut()
// drops every relayed connection and closes new ones at once (what a dead host or a failed-over
// database looks like to the client); restore() relays again.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace tekser::testing {

class TcpProxy {
 public:
  TcpProxy(std::string upstream_host, std::uint16_t upstream_port)
      : upstream_(boost::asio::ip::make_address(upstream_host), upstream_port),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TcpProxy() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      drop_all();
    });
    io_.stop();
    thread_.join();
  }
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void cut() {
    cut_ = true;
    boost::asio::post(io_, [this] { drop_all(); });
  }
  void restore() { cut_ = false; }
  // Connections accepted and relayed to the upstream so far.
  int relayed() const { return relayed_.load(); }

 private:
  using tcp = boost::asio::ip::tcp;

  struct Pair {
    explicit Pair(boost::asio::io_context& io) : client(io), server(io) {}
    tcp::socket client;
    tcp::socket server;
    std::array<char, 16384> up{};
    std::array<char, 16384> down{};
  };

  void accept() {
    auto pair = std::make_shared<Pair>(io_);
    acceptor_.async_accept(pair->client, [this, pair](boost::system::error_code ec) {
      if (ec) return;  // closed: the proxy is going away
      if (cut_) {
        boost::system::error_code ignored;
        pair->client.close(ignored);
      } else {
        pair->server.async_connect(upstream_, [this, pair](boost::system::error_code cec) {
          if (cec || cut_) return close(*pair);
          ++relayed_;
          pairs_.push_back(pair);
          pump(pair, pair->client, pair->server, pair->up);
          pump(pair, pair->server, pair->client, pair->down);
        });
      }
      accept();
    });
  }

  // Copies `from` to `to` until either side ends; then both are closed.
  void pump(const std::shared_ptr<Pair>& pair, tcp::socket& from, tcp::socket& to,
            std::array<char, 16384>& buffer) {
    from.async_read_some(
        boost::asio::buffer(buffer),
        [this, pair, &from, &to, &buffer](boost::system::error_code ec, std::size_t n) {
          if (ec) return close(*pair);
          boost::asio::async_write(
              to, boost::asio::buffer(buffer.data(), n),
              [this, pair, &from, &to, &buffer](boost::system::error_code wec, std::size_t) {
                if (wec) return close(*pair);
                pump(pair, from, to, buffer);
              });
        });
  }

  static void close(Pair& pair) {
    boost::system::error_code ignored;
    pair.client.close(ignored);
    pair.server.close(ignored);
  }

  void drop_all() {
    for (auto& weak : pairs_)
      if (auto pair = weak.lock()) close(*pair);
    pairs_.clear();
  }

  boost::asio::io_context io_;
  tcp::endpoint upstream_;
  tcp::acceptor acceptor_;
  std::vector<std::weak_ptr<Pair>> pairs_;  // only touched on io_'s thread
  std::atomic<bool> cut_{false};
  std::atomic<int> relayed_{0};
  std::thread thread_;
};

}  // namespace tekser::testing

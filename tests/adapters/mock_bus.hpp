// The mock SHEP bus assembled in-process for the adapters' tests: the given emulators behind
// the real SyncChannel, routes and HTTP server, listening on a free loopback port and served on
// a thread of its own until destroyed.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/log/json_log.hpp"
#include "common/net/http_server.hpp"
#include "mocks/shep_server/emulator.hpp"
#include "mocks/shep_server/fault_switch.hpp"
#include "mocks/shep_server/journal.hpp"
#include "mocks/shep_server/routes.hpp"
#include "mocks/shep_server/sync_channel.hpp"
#include "tests/mocks/test_support.hpp"

namespace tekser::adapters::testing {

class MockBus {
 public:
  explicit MockBus(std::vector<std::unique_ptr<mocks::Emulator>> emulators) : log_(log_text_) {
    namespace asio = boost::asio;
    channel_ = std::make_unique<mocks::SyncChannel>(mocks::testing::contracts_dir(),
                                                    std::move(emulators), faults_, journal_);
    routes_ = std::make_unique<mocks::MockRoutes>(*channel_, faults_, journal_, log_);
    server_ = std::make_unique<net::HttpServer>(
        io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0), net::HttpLimits{},
        [this](const net::HttpRequest& request) { return routes_->handle(request); }, log_);
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~MockBus() {
    std::promise<void> stopped;
    server_->shutdown([&stopped] { stopped.set_value(); });
    stopped.get_future().wait_for(std::chrono::seconds(10));
    io_.stop();
    thread_.join();
  }
  MockBus(const MockBus&) = delete;
  MockBus& operator=(const MockBus&) = delete;

  unsigned short port() const { return server_->port(); }
  mocks::FaultSwitch& faults() { return faults_; }
  mocks::Journal& journal() { return journal_; }
  std::string log_text() const { return log_text_.str(); }

 private:
  std::ostringstream log_text_;
  logging::JsonLog log_;
  mocks::FaultSwitch faults_;
  mocks::Journal journal_;
  std::unique_ptr<mocks::SyncChannel> channel_;
  std::unique_ptr<mocks::MockRoutes> routes_;
  boost::asio::io_context io_;
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
};

}  // namespace tekser::adapters::testing

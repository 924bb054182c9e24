#include "common/net/serve.hpp"

#include <csignal>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json.hpp>

namespace tekser::net {

namespace asio = boost::asio;
namespace fs = std::filesystem;

asio::ip::tcp::endpoint parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("listen: expected HOST:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const auto port_text = text.substr(colon + 1);
  std::size_t used = 0;
  unsigned long port = 0;
  try {
    port = std::stoul(port_text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != port_text.size() || port > 65535)
    throw std::invalid_argument("listen: port must be 0..65535, got '" + port_text + "'");
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::invalid_argument("listen: '" + host + "' is not an IP address");
  return {address, static_cast<unsigned short>(port)};
}

void write_port_file(const fs::path& path, unsigned short port) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << '\n';
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

void announce(unsigned short port, const fs::path& port_file, logging::JsonLog& log) {
  if (!port_file.empty()) write_port_file(port_file, port);
  std::cout << boost::json::serialize(boost::json::object{{"event", "listening"}, {"port", port}})
            << std::endl;
  log.info("listening", {{"port", port}});
}

void run_until_signalled(asio::io_context& io, HttpServer& server, unsigned threads,
                         const fs::path& port_file, logging::JsonLog& log,
                         std::function<void()> on_signal, std::chrono::seconds deadline_after) {
  // Signals and the shutdown deadline share one strand, whatever thread they complete on.
  auto control = asio::make_strand(io);
  asio::signal_set signals(control, SIGINT, SIGTERM);
  asio::steady_timer deadline(control);
  signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    log.info("shutting_down", {{"signal", signal_number}});
    if (on_signal) on_signal();
    deadline.expires_after(deadline_after);
    deadline.async_wait([&](const boost::system::error_code& wait_ec) {
      if (wait_ec) return;
      log.error("shutdown_deadline_passed");
      io.stop();
    });
    server.shutdown([&] { asio::post(control, [&] { deadline.cancel(); }); });
  });
  announce(server.port(), port_file, log);
  server.start();

  std::vector<std::thread> workers;
  for (unsigned i = 1; i < threads; ++i) workers.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& worker : workers) worker.join();
  log.info("stopped");
}

}  // namespace tekser::net

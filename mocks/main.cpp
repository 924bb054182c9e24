// tekser-mocks: the mock SHEP bus with the ГБД ЮЛ and ГБД ФЛ emulators behind it, for testing
// the portal and the gateway without the closed government network. main() only assembles the
// parts; see mocks/README.md.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include "mocks/fixtures/fixtures.hpp"
#include "mocks/gbd_fl/emulator.hpp"
#include "mocks/gbd_ul/emulator.hpp"
#include "mocks/shep_server/routes.hpp"

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace tekser::mocks;

struct Options {
  std::string listen;
  std::string port_file;
  std::string fixtures;
  std::string contracts;
  unsigned threads = 1;
};

constexpr std::chrono::seconds kShutdownDeadline{5};

// "127.0.0.1:0", "[::1]:8080".
asio::ip::tcp::endpoint parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen must be HOST:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const auto port = std::stoul(text.substr(colon + 1));
  if (port > 65535) throw std::invalid_argument("--listen port must be 0..65535");
  return {asio::ip::make_address(host), static_cast<unsigned short>(port)};
}

// Written atomically so that a test polling for the file never reads half a number.
void write_port_file(const fs::path& path, unsigned short port) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << '\n';
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

int run(const Options& options, JsonLog& log) {
  const auto fixtures = fixtures::load(options.fixtures);
  log.info("fixtures_loaded", {{"file", options.fixtures},
                               {"legal_entities", fixtures.legal_entities.size()},
                               {"individuals", fixtures.individuals.size()}});
  FaultSwitch faults;
  Journal journal;
  std::vector<std::unique_ptr<Emulator>> emulators;
  emulators.push_back(std::make_unique<gbd_ul::GbdUlEmulator>(fixtures));
  emulators.push_back(std::make_unique<gbd_fl::GbdFlEmulator>(fixtures));
  SyncChannel channel(options.contracts, std::move(emulators), faults, journal);
  MockRoutes routes(channel, faults, journal, log);

  asio::io_context io(static_cast<int>(options.threads));
  HttpServer server(
      io, parse_listen(options.listen), HttpLimits{},
      [&routes](const HttpRequest& request) { return routes.handle(request); }, log);
  const auto port = server.port();
  if (!options.port_file.empty()) write_port_file(options.port_file, port);
  std::cout << boost::json::serialize(boost::json::object{{"event", "listening"}, {"port", port}})
            << std::endl;
  log.info("listening", {{"port", port}, {"threads", options.threads}});

  // Signals and the shutdown deadline share one strand, whatever thread they complete on.
  auto control = asio::make_strand(io);
  asio::signal_set signals(control, SIGINT, SIGTERM);
  asio::steady_timer deadline(control);
  signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    log.info("shutting_down", {{"signal", signal_number}});
    deadline.expires_after(kShutdownDeadline);
    deadline.async_wait([&](const boost::system::error_code& wait_ec) {
      if (wait_ec) return;
      log.error("shutdown_deadline_passed");
      io.stop();
    });
    server.shutdown([&] { asio::post(control, [&] { deadline.cancel(); }); });
  });
  server.start();

  std::vector<std::thread> workers;
  for (unsigned i = 1; i < options.threads; ++i) workers.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& worker : workers) worker.join();
  log.info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  po::options_description described("tekser-mocks: mock SHEP bus with ГБД ЮЛ and ГБД ФЛ");
  described.add_options()("help,h", "show this help")(
      "listen", po::value(&options.listen)->default_value("127.0.0.1:0"),
      "HOST:PORT to listen on; port 0 picks a free port")(
      "port-file", po::value(&options.port_file),
      "write the bound port to this file once listening")(
      "fixtures", po::value(&options.fixtures)->default_value(TEKSER_MOCKS_DEFAULT_FIXTURES),
      "JSON file of the subjects the registers know")(
      "contracts", po::value(&options.contracts)->default_value(TEKSER_MOCKS_DEFAULT_CONTRACTS),
      "folder of the state-system WSDL/XSDs (shared/contracts)")(
      "threads", po::value(&options.threads)->default_value(1), "I/O threads");
  JsonLog log(std::cerr);
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, described), vm);
    if (vm.count("help")) {
      std::cout << described << '\n';
      return 0;
    }
    po::notify(vm);
    if (options.threads < 1 || options.threads > 64)
      throw std::invalid_argument("--threads must be 1..64");
    return run(options, log);
  } catch (const std::exception& e) {
    log.write("fatal", "startup_failed", {{"error", e.what()}});
    return 2;
  }
}

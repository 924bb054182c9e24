// Load generator for the portal API: N keep-alive connections issue requests round-robin over a
// list of targets until `requests` have completed; reports throughput and latency percentiles.
// Several workloads run in one process, interleaved round by round, so that a noisy shared
// machine affects them alike; the report gives medians over rounds and the ratio between them.
//
//   verify_bench --port P --workload NAME=METHOD:TARGET[,TARGET...] [--workload ...]
//                [--concurrency 8] [--requests 400] [--rounds 5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/program_options.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;

struct Workload {
  std::string name;
  http::verb method = http::verb::get;
  std::vector<std::string> targets;
};

struct RoundResult {
  double seconds = 0;
  std::vector<double> latencies_ms;
  int errors = 0;
};

Workload parse_workload(const std::string& text) {
  const auto eq = text.find('=');
  const auto colon = text.find(':', eq);
  if (eq == std::string::npos || colon == std::string::npos)
    throw std::invalid_argument("--workload NAME=METHOD:TARGET[,TARGET...]: " + text);
  Workload w;
  w.name = text.substr(0, eq);
  w.method = http::string_to_verb(text.substr(eq + 1, colon - eq - 1));
  if (w.method == http::verb::unknown) throw std::invalid_argument("unknown method in " + text);
  std::string rest = text.substr(colon + 1);
  for (std::size_t start = 0; start <= rest.size();) {
    auto comma = rest.find(',', start);
    if (comma == std::string::npos) comma = rest.size();
    w.targets.push_back(rest.substr(start, comma - start));
    start = comma + 1;
  }
  return w;
}

// `authorization`: the Authorization header's value (the API wants a token; empty: none sent).
RoundResult run_round(unsigned short port, const Workload& w, int concurrency, int requests,
                      const std::string& authorization) {
  asio::io_context io;
  RoundResult result;
  result.latencies_ms.reserve(static_cast<std::size_t>(requests));
  int issued = 0;
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  auto worker = [&]() -> asio::awaitable<void> {
    beast::tcp_stream stream(io);
    co_await stream.async_connect(endpoint, asio::use_awaitable);
    beast::flat_buffer buffer;
    while (issued < requests) {
      const auto& target = w.targets[static_cast<std::size_t>(issued) % w.targets.size()];
      ++issued;
      http::request<http::empty_body> request{w.method, target, 11};
      request.set(http::field::host, "127.0.0.1");
      if (!authorization.empty()) request.set(http::field::authorization, authorization);
      request.keep_alive(true);
      http::response<http::string_body> response;
      const auto started = Clock::now();
      stream.expires_after(std::chrono::seconds(30));
      co_await http::async_write(stream, request, asio::use_awaitable);
      co_await http::async_read(stream, buffer, response, asio::use_awaitable);
      result.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - started).count());
      if (response.result_int() != 200) ++result.errors;
    }
  };
  const auto started = Clock::now();
  for (int i = 0; i < concurrency; ++i)
    asio::co_spawn(io, worker(), [&](std::exception_ptr e) {
      if (e) ++result.errors;
    });
  io.run();
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

double median(std::vector<double> values) {
  return percentile(std::move(values), 0.5);
}

int main(int argc, char** argv) {
  unsigned short port = 0;
  int concurrency = 8, requests = 400, rounds = 5;
  std::vector<std::string> workload_texts;
  std::string token_file;
  po::options_description options("verify_bench");
  options.add_options()("help,h", "help")("port", po::value(&port)->required(), "gateway port")(
      "workload", po::value(&workload_texts)->required(), "NAME=METHOD:TARGET[,TARGET...]")(
      "concurrency", po::value(&concurrency), "connections")("requests", po::value(&requests),
                                                             "requests per workload per round")(
      "rounds", po::value(&rounds), "rounds (medians are reported)")(
      "token-file", po::value(&token_file), "the API token, sent as Authorization: Bearer");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, options), vm);
    if (vm.count("help")) {
      std::cout << options << '\n';
      return 0;
    }
    po::notify(vm);
    std::vector<Workload> workloads;
    for (const auto& t : workload_texts) workloads.push_back(parse_workload(t));
    std::string authorization;
    if (!token_file.empty()) {
      std::ifstream in(token_file);
      std::string token;
      if (!in || !std::getline(in, token) || token.empty())
        throw std::invalid_argument("--token-file " + token_file + ": no token in it");
      authorization = "Bearer " + token;
    }

    run_round(port, workloads.front(), concurrency, concurrency * 4, authorization);  // warm-up
    std::map<std::string, std::vector<double>> rps, p50, p99;
    std::map<std::string, int> errors;
    for (int round = 0; round < rounds; ++round) {
      for (const auto& w : workloads) {  // interleaved: noise hits every workload alike
        auto r = run_round(port, w, concurrency, requests, authorization);
        rps[w.name].push_back(static_cast<double>(r.latencies_ms.size()) / r.seconds);
        p50[w.name].push_back(percentile(r.latencies_ms, 0.50));
        p99[w.name].push_back(percentile(r.latencies_ms, 0.99));
        errors[w.name] += r.errors;
      }
    }
    std::printf(
        "%-14s %12s %10s %10s %8s   (medians of %d rounds, %d requests each, %d connections)\n",
        "workload", "requests/s", "p50 ms", "p99 ms", "errors", rounds, requests, concurrency);
    const double base = median(rps[workloads.front().name]);
    for (const auto& w : workloads) {
      const double m = median(rps[w.name]);
      std::printf("%-14s %12.0f %10.2f %10.2f %8d   %.2fx of %s\n", w.name.c_str(), m,
                  median(p50[w.name]), median(p99[w.name]), errors[w.name], m / base,
                  workloads.front().name.c_str());
    }
    int total_errors = 0;
    for (const auto& [_, e] : errors) total_errors += e;
    return total_errors == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "verify_bench: " << e.what() << '\n';
    return 2;
  }
}

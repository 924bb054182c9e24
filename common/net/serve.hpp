// What every tekser server process does around its HttpServer: parse "HOST:PORT", announce the
// bound port (stdout line and an atomically written port file, for scripts and tests that start
// it on port 0), and run the I/O threads until SIGINT/SIGTERM, then shut down gracefully within a
// deadline.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/log/json_log.hpp"
#include "common/net/http_server.hpp"

namespace tekser::net {

// "127.0.0.1:0", "[::1]:8080". Throws std::invalid_argument naming the problem.
boost::asio::ip::tcp::endpoint parse_listen(const std::string& text);

// Written atomically (temp file + rename) so that a poller never reads half a number.
void write_port_file(const std::filesystem::path& path, unsigned short port);

// Prints {"event":"listening","port":N} on stdout, writes `port_file` when not empty.
void announce(unsigned short port, const std::filesystem::path& port_file, logging::JsonLog& log);

// Installs the SIGINT/SIGTERM handler, then announces the port (so that whoever waits for the
// announcement may signal at once), starts the server, runs `threads` I/O threads until a
// signal, then shuts the server down (calling `on_signal` first, e.g. to stop background work)
// within `deadline`. Returns after the threads joined.
void run_until_signalled(boost::asio::io_context& io, HttpServer& server, unsigned threads,
                         const std::filesystem::path& port_file, logging::JsonLog& log,
                         std::function<void()> on_signal = {},
                         std::chrono::seconds deadline = std::chrono::seconds(5));

}  // namespace tekser::net

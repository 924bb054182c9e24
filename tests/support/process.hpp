// Test support shared by the suites that start real binaries: a child process with a pipe on
// its stdout (to wait for its "listening" line without sleeping), and one HTTP call over a fresh
// loopback connection with a deadline on everything.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

extern char** environ;

namespace tekser::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto kStartDeadline = 30s;

inline fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "tekser-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Which child announced that it listens on which loopback port, by its name ("gateway",
// "mocks"): how a helper that is given only a port tells the gateway from the mocks. The last
// child to announce a port holds it until it exits.
class Listeners {
 public:
  static void announce(unsigned short port, const std::string& name, pid_t pid) {
    std::lock_guard lock(mutex());
    names()[port] = {name, pid};
  }
  static void forget(unsigned short port, pid_t pid) {
    std::lock_guard lock(mutex());
    if (auto found = names().find(port); found != names().end() && found->second.second == pid)
      names().erase(found);
  }
  // The name of the child listening on `port`; empty when none of ours.
  static std::string name(unsigned short port) {
    std::lock_guard lock(mutex());
    const auto found = names().find(port);
    return found == names().end() ? std::string() : found->second.first;
  }

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static std::map<unsigned short, std::pair<std::string, pid_t>>& names() {
    static std::map<unsigned short, std::pair<std::string, pid_t>> n;
    return n;
  }
};

// A binary as a child process in a temporary folder of its own (removed at the end); stdout
// comes through a pipe, stderr goes to a file. `make_args` gets that folder and returns argv.
class ChildProcess {
 public:
  explicit ChildProcess(const std::function<std::vector<std::string>(const fs::path&)>& make_args,
                        std::string name = "child")
      : dir_(make_temp_dir()), name_(std::move(name)) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    stdout_fd_ = pipe_fds[0];
    auto args = make_args(dir_);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file().c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
  }

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  ~ChildProcess() {
    Listeners::forget(port_, pid_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  fs::path port_file() const { return dir_ / "port"; }
  fs::path stderr_file() const { return dir_ / "stderr.log"; }
  fs::path dir() const { return dir_; }
  std::string stderr_text() const { return read_file(stderr_file()); }

  // The next line on stdout, or "" if the process closed it or the deadline passed.
  std::string read_line(std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      if (auto nl = stdout_.find('\n'); nl != std::string::npos) {
        auto line = stdout_.substr(0, nl);
        stdout_.erase(0, nl + 1);
        return line;
      }
      if (!wait_readable(until)) return "";
      char chunk[512];
      const auto n = read(stdout_fd_, chunk, sizeof chunk);
      if (n <= 0) return "";
      stdout_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // Waits for {"event":"listening","port":N}, then checks the port file says the same.
  unsigned short wait_listening() {
    const auto line = read_line(kStartDeadline);
    if (line.empty()) throw std::runtime_error(name_ + " did not start: " + stderr_text());
    const auto event = boost::json::parse(line).as_object();
    if (event.at("event") != "listening") throw std::runtime_error("unexpected line " + line);
    const auto port = static_cast<unsigned short>(event.at("port").as_int64());
    EXPECT_EQ(std::stoi(read_file(port_file())), port);
    port_ = port;
    Listeners::announce(port, name_, pid_);
    return port;
  }

  pid_t pid() const { return pid_; }

  // Sends `signal_number` and waits (via the stdout pipe's end) for the process to exit.
  std::optional<int> stop(int signal_number, std::chrono::milliseconds deadline) {
    if (signal_number) kill(pid_, signal_number);
    return wait_exit(deadline);
  }

  std::optional<int> wait_exit(std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {  // the pipe reaches end-of-file when the process has exited
      if (!wait_readable(until)) return std::nullopt;
      char chunk[512];
      const auto n = read(stdout_fd_, chunk, sizeof chunk);
      if (n <= 0) break;
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    Listeners::forget(port_, pid_);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  bool wait_readable(std::chrono::steady_clock::time_point until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd fd{stdout_fd_, POLLIN, 0};
    return poll(&fd, 1, static_cast<int>(left.count())) > 0;
  }

  fs::path dir_;
  std::string name_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stdout_;
  unsigned short port_ = 0;  // announced by wait_listening
};

struct HttpResult {
  beast::error_code error;
  http::response<http::string_body> response;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// One request over a fresh connection, with a deadline on everything.
inline HttpResult http_call(unsigned short port, http::verb method, const std::string& target,
                            const std::string& body = {}, std::chrono::milliseconds deadline = 10s,
                            const std::string& content_type = "text/xml; charset=utf-8",
                            const HttpHeaders& headers = {}) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  HttpResult result;
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, content_type);
  for (const auto& [name, value] : headers) request.insert(name, value);
  request.body() = body;
  request.prepare_payload();
  beast::flat_buffer buffer;
  stream.expires_after(deadline);
  stream.async_connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
        if (ec) {
          result.error = ec;
          return;
        }
        http::async_write(stream, request, [&](beast::error_code wec, std::size_t) {
          if (wec) {
            result.error = wec;
            return;
          }
          http::async_read(stream, buffer, result.response,
                           [&](beast::error_code rec, std::size_t) { result.error = rec; });
        });
      });
  io.run();
  return result;
}

}  // namespace tekser::testing

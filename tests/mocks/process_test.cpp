// Starts the real tekser-mocks binary on port 0 and talks to it over real sockets. Nothing here
// sleeps: waits are poll(2) or socket deadlines.
#include <gtest/gtest.h>

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
#include <sstream>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "test_support.hpp"

extern char** environ;

namespace tekser::mocks {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto kStartDeadline = 30s;

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "tekser-mocks-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The binary as a child process; stdout comes through a pipe, stderr goes to a file.
class MockProcess {
 public:
  explicit MockProcess(std::vector<std::string> extra_args = {}) : dir_(make_temp_dir()) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    stdout_fd_ = pipe_fds[0];
    std::vector<std::string> args{TEKSER_MOCKS_BINARY, "--listen",           "127.0.0.1:0",
                                  "--port-file",       port_file().string(), "--contracts",
                                  TEKSER_CONTRACTS_DIR};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
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

  ~MockProcess() {
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
    if (line.empty()) throw std::runtime_error("mocks did not start: " + stderr_text());
    const auto event = boost::json::parse(line).as_object();
    if (event.at("event") != "listening") throw std::runtime_error("unexpected line " + line);
    const auto port = static_cast<unsigned short>(event.at("port").as_int64());
    EXPECT_EQ(std::stoi(read_file(port_file())), port);
    return port;
  }

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
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stdout_;
};

struct HttpResult {
  beast::error_code error;
  http::response<http::string_body> response;
};

// One request over a fresh connection, with a deadline on everything.
HttpResult http_call(unsigned short port, http::verb method, const std::string& target,
                     const std::string& body = {}, std::chrono::milliseconds deadline = 10s) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  HttpResult result;
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "text/xml; charset=utf-8");
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

class MocksProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    process_ = std::make_unique<MockProcess>(std::vector<std::string>{"--threads", "2"});
    port_ = process_->wait_listening();
  }
  static void TearDownTestSuite() {
    if (process_) {
      EXPECT_EQ(process_->stop(SIGTERM, 15s), 0) << process_->stderr_text();
      process_.reset();
    }
  }
  void TearDown() override { http_call(port_, http::verb::delete_, "/admin/faults"); }

  static inline std::unique_ptr<MockProcess> process_;
  static inline unsigned short port_ = 0;
};

TEST_F(MocksProcessTest, AnswersASoapRequestOverARealSocket) {
  const auto result = http_call(port_, http::verb::post, "/bip-sync-wss-gost/",
                                testing::gbd_ul_request("150340012340", "process-1"));
  ASSERT_FALSE(result.error) << result.error.message();
  EXPECT_EQ(result.response.result(), http::status::ok);
  EXPECT_EQ(result.response[http::field::content_type], "text/xml; charset=utf-8");
  const auto reply = shep::parse_reply(result.response.body());
  ASSERT_EQ(reply.kind, shep::ParsedReply::Kind::response) << reply.problem;
  EXPECT_EQ(reply.info.status_code, shep::kSuccessCode);
  EXPECT_EQ(reply.info.correlation_id, "process-1");
  EXPECT_EQ(testing::text_at(reply.data, {"Organization", "ShortNameRu"}),
            "ТОО «Мейірім Медтехника»");

  const auto count =
      http_call(port_, http::verb::get,
                "/admin/journal/count?subject=150340012340&service_id=GbdulInfoByBin_v2");
  EXPECT_GE(boost::json::parse(count.response.body()).at("count").as_int64(), 1);
  EXPECT_EQ(http_call(port_, http::verb::get, "/healthz").response.result(), http::status::ok);
}

TEST_F(MocksProcessTest, ServesSeveralRequestsOnOneKeepAliveConnection) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  beast::flat_buffer buffer;
  for (const auto* iin : {"840512401230", "580220307895"}) {
    http::request<http::string_body> request{http::verb::post, "/SyncChannel", 11};
    request.set(http::field::host, "127.0.0.1");
    request.body() = testing::gbd_fl_request(iin);
    request.prepare_payload();
    http::write(socket, request);
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    EXPECT_EQ(response.result(), http::status::ok);
    EXPECT_TRUE(response.keep_alive());
    EXPECT_EQ(
        testing::text_at(shep::parse_reply(response.body()).data, {"persons", "person", "iin"}),
        iin);
  }
}

TEST_F(MocksProcessTest, OversizedBodyGets413) {
  const auto result =
      http_call(port_, http::verb::post, "/SyncChannel", std::string(2 * 1024 * 1024, 'x'));
  ASSERT_FALSE(result.error) << result.error.message();
  EXPECT_EQ(result.response.result(), http::status::payload_too_large);
}

TEST_F(MocksProcessTest, ResetFaultDropsTheConnectionOnceThenServesAgain) {
  const auto set = http_call(port_, http::verb::post, "/admin/faults",
                             R"({"service_id":"GbdulInfoByBin_v2","mode":"reset","count":1})");
  ASSERT_EQ(set.response.result(), http::status::ok) << set.response.body();
  const auto dropped =
      http_call(port_, http::verb::post, "/SyncChannel", testing::gbd_ul_request("150340012340"));
  EXPECT_TRUE(dropped.error);
  const auto served =
      http_call(port_, http::verb::post, "/SyncChannel", testing::gbd_ul_request("150340012340"));
  ASSERT_FALSE(served.error) << served.error.message();
  EXPECT_EQ(served.response.result(), http::status::ok);
}

TEST_F(MocksProcessTest, TimeoutFaultNeverAnswersUntilTheClientGivesUp) {
  http_call(port_, http::verb::post, "/admin/faults",
            R"({"service_id":"GBDFL_UniversalServiceSync","mode":"timeout","count":1})");
  const auto started = std::chrono::steady_clock::now();
  const auto held = http_call(port_, http::verb::post, "/SyncChannel",
                              testing::gbd_fl_request("840512401230"), 300ms);
  EXPECT_EQ(held.error, beast::error::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  const auto served =
      http_call(port_, http::verb::post, "/SyncChannel", testing::gbd_fl_request("840512401230"));
  EXPECT_EQ(served.response.result(), http::status::ok);
}

TEST(MocksProcess, ShutsDownOnSigtermEvenWhileHoldingAConnection) {
  MockProcess process;
  const auto port = process.wait_listening();
  http_call(port, http::verb::post, "/admin/faults",
            R"({"service_id":"GbdulInfoByBin_v2","mode":"timeout"})");
  // A client that sent its request and waits for an answer that will never come.
  asio::io_context io;
  tcp::socket held(io);
  held.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> request{http::verb::post, "/SyncChannel", 11};
  request.body() = testing::gbd_ul_request("150340012340");
  request.prepare_payload();
  http::write(held, request);
  // The journal entry shows the mock has the request in hand before the signal goes.
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const auto count =
        http_call(port, http::verb::get, "/admin/journal/count?subject=150340012340");
    if (boost::json::parse(count.response.body()).at("count").as_int64() == 1) break;
  }
  EXPECT_EQ(process.stop(SIGTERM, 10s), 0) << process.stderr_text();
  EXPECT_NE(process.stderr_text().find("\"event\":\"stopped\""), std::string::npos);
}

TEST(MocksProcess, BrokenFixtureFileFailsStartupNamingEntryAndField) {
  const auto dir = make_temp_dir();
  auto text = read_file(TEKSER_MOCKS_FIXTURES);
  const std::string good = "\"bin\": \"190240005877\"";
  ASSERT_NE(text.find(good), std::string::npos);
  text.replace(text.find(good), good.size(), "\"bin\": \"190240005870\"");
  const auto broken = dir / "broken.json";
  std::ofstream(broken) << text;

  MockProcess process({"--fixtures", broken.string()});
  EXPECT_EQ(process.wait_exit(kStartDeadline), 2);
  const auto log = process.stderr_text();
  EXPECT_NE(log.find("ul-inactive-taxpayer"), std::string::npos) << log;
  EXPECT_NE(log.find("field \\\"bin\\\""), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(process.port_file()));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tekser::mocks

// The generic HTTP server under pressure, over real loopback sockets: the cap on open connections
// (more wait in the backlog, and are served once one closes) and an accept loop that runs out of
// file descriptors (it pauses and says so once, then resumes; it neither spins nor dies).
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include "tests/net/test_server.hpp"

namespace tekser::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

HttpAction ok(const HttpRequest&) {
  HttpResponse response{http::status::ok, 11};
  response.body() = "ok";
  return {HttpAction::Kind::respond, std::move(response)};
}

// A client on its own io_context: connects at once, asks GET / when told, and says within a
// deadline whether an answer came.
class Client {
 public:
  enum class Connect { now, later };
  explicit Client(unsigned short port, Connect when = Connect::now) : socket_(io_), port_(port) {
    socket_.open(tcp::v4());
    if (when == Connect::now) connect();
  }
  // Needs no new descriptor: the socket is open already.
  void connect() { socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_)); }
  void ask() {
    const std::string request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    asio::write(socket_, asio::buffer(request));
    asio::async_read(socket_, asio::dynamic_buffer(received_),
                     [this](boost::system::error_code, std::size_t) { done_ = true; });
  }
  // Runs the client until the server's answer is complete (it closes: Connection: close) or
  // `deadline` passes; whether the answer was a 200.
  bool answered_within(std::chrono::milliseconds deadline) {
    io_.restart();
    io_.run_for(deadline);
    return done_ && received_.starts_with("HTTP/1.1 200");
  }
  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  unsigned short port_;
  std::string received_;
  bool done_ = false;
};

TEST(HttpServerLimits, AtTheConnectionCapANewClientWaitsUntilOneCloses) {
  HttpLimits limits;
  limits.max_connections = 2;
  testing::net::TestServer server(HttpHandler(ok), limits);
  Client served(server.port());
  served.ask();
  ASSERT_TRUE(served.answered_within(5s)) << "under the cap, served";
  // Two connections held open (the server closed `served`'s after its answer) fill the cap.
  Client holder_a(server.port());
  Client holder_b(server.port());
  ASSERT_TRUE(server.logs("connection_cap_reached"));
  Client waiting(server.port());
  waiting.ask();
  // Not served while the cap is full: the answer does not come within this (a bound on the
  // negative, not a wait for something to happen).
  EXPECT_FALSE(waiting.answered_within(500ms));
  holder_a.close();
  EXPECT_TRUE(waiting.answered_within(5s)) << "served once a connection closed";
  holder_b.close();
}

std::size_t open_descriptors() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    ++count;
  return count;
}

// Out of descriptors, accept() fails with EMFILE while the connection waits in the backlog: the
// loop pauses (logging it once), and accepts and serves it once descriptors are free again.
TEST(HttpServerLimits, OutOfDescriptorsTheAcceptLoopPausesAndResumes) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  testing::net::TestServer server(HttpHandler(ok), HttpLimits{});
  // Its socket exists before the descriptors run out; it connects only after, so that the
  // server cannot have accepted it already (it did, on an idle machine).
  Client client(server.port(), Client::Connect::later);
  rlimit low = saved;
  low.rlim_cur = open_descriptors() + 16;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<int> filler;
  for (;;) {
    const int fd = dup(STDERR_FILENO);
    if (fd < 0) break;
    filler.push_back(fd);
  }
  const int exhausted = errno;
  client.connect();
  client.ask();  // connected already: the server's accept() of it is what fails
  const bool paused = server.logs("accept_paused");
  const bool served_while_exhausted = client.answered_within(300ms);
  for (const int fd : filler) ::close(fd);
  setrlimit(RLIMIT_NOFILE, &saved);
  EXPECT_EQ(exhausted, EMFILE);
  EXPECT_TRUE(paused) << "the accept loop said it paused";
  EXPECT_FALSE(served_while_exhausted);
  EXPECT_TRUE(client.answered_within(5s)) << "served once descriptors were free";
  EXPECT_TRUE(server.logs("accept_resumed"));
}

}  // namespace
}  // namespace tekser::net

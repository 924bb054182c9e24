// Starts the real tekser-mocks binary on port 0 and talks to it over real sockets. Nothing here
// sleeps: waits are poll(2) or socket deadlines.
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tests/support/process.hpp"

namespace tekser::mocks {
namespace {

using namespace tekser::testing;

// The mocks binary, started on port 0 with the shipped contracts.
class MockProcess : public ChildProcess {
 public:
  explicit MockProcess(std::vector<std::string> extra_args = {})
      : ChildProcess(
            [&](const fs::path& dir) {
              std::vector<std::string> args{
                  TEKSER_MOCKS_BINARY,     "--listen",    "127.0.0.1:0",       "--port-file",
                  (dir / "port").string(), "--contracts", TEKSER_CONTRACTS_DIR};
              args.insert(args.end(), extra_args.begin(), extra_args.end());
              return args;
            },
            "mocks") {}
};

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

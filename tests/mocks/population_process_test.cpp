// The real tekser-mocks binary with a population of a million: it starts, pages part of the РНУ
// register, answers about synthetic subjects, and its resident memory stays far below what a
// million materialised subjects would take. Nothing sleeps: waits are poll(2) or socket
// deadlines, and the memory is read once the requests are answered.
#include <gtest/gtest.h>

#include <fstream>

#include "test_support.hpp"
#include "tests/support/process.hpp"

namespace tekser::mocks {
namespace {

using namespace tekser::testing;
namespace json = boost::json;

// A million subjects as JSON rows would take well over a gigabyte; the population keeps the
// indices of the blacklisted ones only. The bound leaves room for the allocator and the schemas;
// under AddressSanitizer also for its shadow memory and the quarantine of freed blocks (175 MB
// measured), still far below what a materialised population would take.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kRssBoundKb = 384 * 1024;
#else
constexpr std::size_t kRssBoundKb = 96 * 1024;
#endif

std::vector<std::string> mocks_args(const fs::path& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{
      TEKSER_MOCKS_BINARY,     "--listen",    "127.0.0.1:0",       "--port-file",
      (dir / "port").string(), "--contracts", TEKSER_CONTRACTS_DIR};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::size_t rss_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stoul(line.substr(6));
  }
  return 0;
}

json::value get_json(unsigned short port, const std::string& target) {
  const auto result = http_call(port, http::verb::get, target, {}, 30s, "application/json");
  EXPECT_FALSE(result.error) << target << ": " << result.error.message();
  EXPECT_EQ(result.response.result(), http::status::ok) << target << ": " << result.response.body();
  return json::parse(result.response.body());
}

TEST(PopulationProcess, AMillionSubjectsAreServedInBoundedMemory) {
  ChildProcess mocks(
      [](const fs::path& dir) {
        return mocks_args(dir, {"--population", "1000000", "--population-seed", "2026"});
      },
      "mocks");
  const auto port = mocks.wait_listening();

  const auto summary = get_json(port, "/admin/population");
  EXPECT_EQ(summary.at("size"), 1000000);
  const auto rnu_listed = summary.at("counts").at("traits").at("rnu").as_int64();
  EXPECT_NEAR(static_cast<double>(rnu_listed), 10000, 400);

  // Twenty pages of the РНУ register through the OWS cursor.
  std::string target = "/v3/rnu?limit=200";
  std::int64_t previous = 0;
  for (int page = 0; page < 20; ++page) {
    http::request<http::string_body> request{http::verb::get, target, 11};
    const auto result = [&] {
      asio::io_context io;
      beast::tcp_stream stream(io);
      stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
      request.set(http::field::host, "127.0.0.1");
      request.set(http::field::authorization, "Bearer process-test");
      stream.expires_after(30s);
      http::write(stream, request);
      beast::flat_buffer buffer;
      http::response<http::string_body> response;
      http::read(stream, buffer, response);
      return response;
    }();
    ASSERT_EQ(result.result(), http::status::ok) << result.body();
    const auto body = json::parse(result.body()).as_object();
    EXPECT_EQ(body.at("total").as_int64(), rnu_listed + 8);  // + the 8 fixture rows
    const auto& items = body.at("items").as_array();
    ASSERT_EQ(items.size(), 200u);
    for (const auto& item : items) {
      EXPECT_GT(item.at("id").as_int64(), previous);
      previous = item.at("id").as_int64();
    }
    target = std::string(body.at("next_page").as_string());
  }

  // Subjects picked by trait, asked from ГБД ЮЛ over SOAP.
  const auto liquidated = get_json(
      port, "/admin/population/subjects?trait=liquidated&kind=legal_entity&offset=1000&limit=3");
  ASSERT_EQ(liquidated.at("subjects").as_array().size(), 3u);
  for (const auto& subject : liquidated.at("subjects").as_array()) {
    const std::string bin(subject.at("id").as_string());
    const auto result = http_call(port, http::verb::post, "/bip-sync-wss-gost/",
                                  testing::gbd_ul_request(bin, "pop-" + bin));
    ASSERT_FALSE(result.error) << result.error.message();
    const auto reply = shep::parse_reply(result.response.body());
    ASSERT_EQ(reply.kind, shep::ParsedReply::Kind::response) << reply.problem;
    EXPECT_EQ(testing::text_at(reply.data, {"Organization", "RegStatus", "Code"}), "3") << bin;
  }
  const auto last = get_json(
      port, "/admin/population/subjects/" +
                std::string(get_json(port, "/admin/population/subjects?offset=999000&limit=1")
                                .at("subjects")
                                .at(0)
                                .at("id")
                                .as_string()));
  EXPECT_GE(last.at("index").as_int64(), 999000);

  const auto rss = rss_kb(mocks.pid());
  ASSERT_GT(rss, 0u);
  RecordProperty("vm_rss_kb", std::to_string(rss));
  EXPECT_LT(rss, kRssBoundKb) << "VmRSS " << rss << " kB with a population of 1 000 000";
  EXPECT_EQ(mocks.stop(SIGTERM, 15s), 0) << mocks.stderr_text();
}

TEST(PopulationProcess, BadPopulationOptionsStopStartUpNamingTheKey) {
  ChildProcess bad_share([](const fs::path& dir) {
    return mocks_args(dir, {"--population", "10", "--population-shares", "bankrupt=0.1,rich=0.2"});
  });
  EXPECT_EQ(bad_share.wait_exit(30s), 2);
  EXPECT_NE(bad_share.stderr_text().find("unknown key 'rich'"), std::string::npos)
      << bad_share.stderr_text();
  ChildProcess too_many([](const fs::path& dir) {
    return mocks_args(dir, {"--population", "1000001"});
  });
  EXPECT_EQ(too_many.wait_exit(30s), 2);
  EXPECT_NE(too_many.stderr_text().find("--population must be 0..1000000"), std::string::npos)
      << too_many.stderr_text();
  ChildProcess both([](const fs::path& dir) {
    return mocks_args(dir, {"--population", "10", "--goszakup-synthetic", "5"});
  });
  EXPECT_EQ(both.wait_exit(30s), 2);
  EXPECT_NE(both.stderr_text().find("--goszakup-synthetic and --population"), std::string::npos)
      << both.stderr_text();
}

}  // namespace
}  // namespace tekser::mocks

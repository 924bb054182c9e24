// tekser-ctl against the real gateway and mocks: a refresh run started and watched to its end,
// a running run refused (409), cancelled and watched to exit 1, and the errors an operator sees
// (gateway unreachable, the API's "field: reason", bad usage). Every wait has a deadline.
#include <fstream>
#include <sstream>

#include "tests/integration/run_ctl.hpp"

namespace tekser::integration {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A port nothing listens on: bound, then released.
unsigned short closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

class CtlTest : public GatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    schema_ = std::make_unique<store::test::FreshSchema>();
    start_mocks("127.0.0.1:0", TEKSER_MOCKS_FIXTURES);
    start_with_refresh("{schedule: 'off', workers: 4}");
  }

  // The gateway with this refresh section; runs start only through the API.
  void start_with_refresh(const std::string& refresh_yaml) {
    const auto mocks_url = "http://127.0.0.1:" + std::to_string(mocks_port_) + "/";
    start_gateway("goszakup: {url: '" + mocks_url + "', token: test}\nsamruk: {url: '" + mocks_url +
                  "', token: test}\nrefresh: " + refresh_yaml + "\n");
  }

  void register_fixture_suppliers() {
    for (const auto* bin : {"150340012340", "120740023454", "080940003154", "161140118765"})
      ASSERT_EQ(put(bin, R"({"categories":["technical_aids"]})").status, 201u) << bin;
    for (const auto* iin : {"840512401230", "580220307895"})
      ASSERT_EQ(put(iin, R"({"categories":["sign_language"],)"
                         R"("consent":{"kdp_token":"t","public_key":"MIIB"}})")
                    .status,
                201u)
          << iin;
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
};

TEST_F(CtlTest, StartWatchRunsToTheEndAndShowsTheRun) {
  register_fixture_suppliers();
  const auto run =
      run_ctl({"--url", url(), "refresh", "start", "--watch", "--interval", "0.2"}, 120s);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  // stdout: which run started and its summary; stderr: the progress lines, the last at 100 %.
  EXPECT_TRUE(contains(run.out, "started refresh run 1: 6 suppliers")) << run.out;
  EXPECT_TRUE(contains(run.out, "run 1: done, requested by cli")) << run.out;
  EXPECT_TRUE(contains(run.out, "outcomes per state system:")) << run.out;
  EXPECT_TRUE(contains(run.out, "gbd_ul")) << run.out;
  EXPECT_TRUE(contains(run.out, "mirror goszakup: data")) << run.out;
  EXPECT_TRUE(contains(run.err, "run 1 done [########################] 100.0%  6/6")) << run.err;

  const auto stored = call(port_, http::verb::get, "/v1/refresh-runs/1");
  EXPECT_TRUE(is_text(stored.body.at("status"), "done"));
  EXPECT_TRUE(is_text(stored.body.at("requested_by"), "cli"));

  // Status of the latest run, and the triggers the run drew (the liquidated entity among them).
  const auto status = run_ctl({"--url", url(), "refresh", "status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(contains(status.out, "run 1: done")) << status.out;
  const auto triggers = run_ctl({"--url", url(), "triggers", "--limit", "50"});
  EXPECT_EQ(triggers.exit_code, 0) << triggers.err;
  EXPECT_TRUE(contains(triggers.out, "CURSOR  ID")) << triggers.out;
  EXPECT_TRUE(contains(triggers.out, "080940003154")) << triggers.out;
  EXPECT_FALSE(contains(triggers.out, "150340012340")) << triggers.out;  // active: no trigger

  // A second start finds nothing running and starts run 2.
  const auto again = run_ctl({"--url", url(), "refresh", "start"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "started refresh run 2")) << again.out;
}

TEST_F(CtlTest, RunningRunIsRefusedThenCancelledAndItsWatchExitsOne) {
  // One worker and state systems that never answer (each call ends at the gateway's 1.5 s read
  // deadline): the run lasts long enough to be seen running.
  gateway_.reset();
  start_with_refresh("{schedule: 'off', workers: 1}");
  register_fixture_suppliers();
  ASSERT_EQ(mocks_admin(http::verb::post, "/admin/faults", R"({"system":"shep","mode":"timeout"})")
                .status,
            200u);
  const auto started =
      call(port_, http::verb::post, "/v1/refresh-runs", R"({"requested_by":"api"})");
  ASSERT_EQ(started.status, 202u);
  const auto id = std::to_string(started.body.at("id").as_int64());

  const auto refused = run_ctl({"--url", url(), "refresh", "start"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_TRUE(contains(refused.err, "run: a refresh run is already going on")) << refused.err;
  EXPECT_TRUE(contains(refused.err, "run " + id + " running")) << refused.err;

  const auto cancelled = run_ctl({"--url", url(), "refresh", "cancel", id});
  EXPECT_EQ(cancelled.exit_code, 0) << cancelled.err;
  EXPECT_TRUE(contains(cancelled.out, "run " + id + " is cancelled")) << cancelled.out;

  const auto watched = run_ctl({"--url", url(), "refresh", "watch", id});
  EXPECT_EQ(watched.exit_code, 1) << watched.out << watched.err;
  EXPECT_TRUE(contains(watched.err, "run " + id + " cancelled")) << watched.err;
  EXPECT_TRUE(contains(watched.out, "run " + id + ": cancelled")) << watched.out;
}

TEST_F(CtlTest, TheApisReasonIsPrintedAsFieldColonReason) {
  const auto unknown =
      run_ctl({"--url", url(), "triggers", "replay", "00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_EQ(unknown.err, "tekser-ctl: id: no trigger 00000000-0000-4000-8000-000000000000\n");

  const auto bad_status = run_ctl({"--url", url(), "triggers", "--status", "lost"});
  EXPECT_EQ(bad_status.exit_code, 3);
  EXPECT_EQ(bad_status.err, "tekser-ctl: status: must be pending, delivered or dead, got 'lost'\n");

  const auto no_run = run_ctl({"--url", url(), "refresh", "status", "41"});
  EXPECT_EQ(no_run.exit_code, 3);
  EXPECT_EQ(no_run.err, "tekser-ctl: id: no refresh run 41\n");

  const auto none_yet = run_ctl({"--url", url(), "refresh", "status"});
  EXPECT_EQ(none_yet.exit_code, 3);
  EXPECT_TRUE(contains(none_yet.err, "no refresh run yet")) << none_yet.err;
}

TEST(Ctl, UnreachableGatewayIsExitFourWithTheCause) {
  const auto url = "http://127.0.0.1:" + std::to_string(closed_port());
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--url", url, "refresh", "start", "--watch"},
                                             {"--url", url, "refresh", "watch", "3"},
                                             {"--url", url, "triggers"}}) {
    const auto run = run_ctl(args, 30s);
    EXPECT_EQ(run.exit_code, 4) << run.err;
    EXPECT_TRUE(contains(run.err, "tekser-ctl: cannot reach the gateway at " + url + "/: "))
        << run.err;
  }
}

TEST(Ctl, BadUsageIsExitTwoWithTheUsage) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"refresh", "frobnicate"},
                                             {"refresh", "cancel"},
                                             {"refresh", "status", "x"},
                                             {"--url", "ftp://example", "triggers"},
                                             {"triggers", "--limit"},
                                             {}}) {
    const auto run = run_ctl(args, 10s);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_TRUE(contains(run.err, "tekser-ctl")) << run.err;
  }
  const auto help = run_ctl({"--help"}, 10s);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "refresh start [--watch]"));
}

// Issue 15 item 12: a rule set not yet in force, tried over every watched supplier's facts.
TEST_F(CtlTest, RulesDryRunShowsWhatACandidateRuleSetWouldChangeAndWritesNothing) {
  register_fixture_suppliers();
  for (const auto* id : {"150340012340", "120740023454", "080940003154", "161140118765",
                         "840512401230", "580220307895"})
    ASSERT_EQ(verify(id).status, 200u) << id;
  const auto triggers_before = call(port_, http::verb::get, "/v1/triggers?limit=1000");
  const auto dir = make_temp_dir();
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  std::ifstream shipped(TEKSER_RULESET_IN_FORCE);
  std::ostringstream text;
  text << shipped.rdbuf();

  // The rule set in force itself changes nothing.
  const auto same =
      run_ctl({"--url", url(), "rules", "dry-run", "--rule-set", write("same.json", text.str())});
  ASSERT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_TRUE(contains(same.out, ": 6 suppliers, 0 would change")) << same.out;

  // An amendment that also asks technical-aids suppliers for the taxi-carrier notification
  // (p3.11) and no longer blocks on the goszakup РНУ.
  auto amended = json::parse(text.str()).as_object();
  amended["id"] = "order-285-draft-amendment";
  // published 21.12.2026: in force once ten calendar days have passed, from 01.01.2027
  amended["publication"].as_object()["date"] = "2026-12-21";
  amended["categories"]
      .as_object()["technical_aids"]
      .as_object()["requirements"]
      .as_array()
      .push_back("p3.11");
  const auto changed = run_ctl({"--url", url(), "rules", "dry-run", "--rule-set",
                                write("amended.json", json::serialize(amended))});
  ASSERT_EQ(changed.exit_code, 0) << changed.out << changed.err;
  EXPECT_TRUE(
      contains(changed.out, "rule set order-285-draft-amendment (in force from 2027-01-01)"))
      << changed.out;
  EXPECT_TRUE(contains(changed.out, ": 6 suppliers, 4 would change")) << changed.out;
  EXPECT_TRUE(contains(changed.out, "p3.11 —→")) << changed.out;
  EXPECT_TRUE(contains(changed.out, "150340012340")) << changed.out;

  // A broken candidate is refused naming its field; nothing was written by any of it.
  amended["categories"]
      .as_object()["technical_aids"]
      .as_object()["requirements"]
      .as_array()
      .push_back("p99.1");
  const auto broken = run_ctl({"--url", url(), "rules", "dry-run", "--rule-set",
                               write("broken.json", json::serialize(amended))});
  EXPECT_EQ(broken.exit_code, 3) << broken.out << broken.err;
  EXPECT_TRUE(contains(broken.err, "rule_set.categories.technical_aids.requirements[7]"))
      << broken.err;
  EXPECT_EQ(call(port_, http::verb::get, "/v1/triggers?limit=1000").body, triggers_before.body);
  const auto missing = run_ctl({"--url", url(), "rules", "dry-run"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
}

}  // namespace
}  // namespace tekser::integration

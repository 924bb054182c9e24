// tekser-ctl against the real gateway and mocks: a refresh run started and watched to its end,
// a running run refused (409), cancelled and watched to exit 1, and the errors an operator sees
// (gateway unreachable, the API's "field: reason", bad usage). Every wait has a deadline.
#include <fstream>
#include <map>
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

// Issue 15 item 12: facts re-derive — today's mappings over the replies kept in the message log,
// end to end through tekser-ctl and the API, without asking any state system again.
TEST_F(CtlTest, FactsRederiveHealsFactsFromKeptRepliesWithoutAskingAgain) {
  constexpr const char* kBin = "150340012340";
  register_fixture_suppliers();
  ASSERT_EQ(verify(kBin).status, 200u);
  const auto gbd_ul_facts = [&] {
    std::map<std::string, json::object> out;
    const auto supplier = call(port_, http::verb::get, std::string("/v1/suppliers/") + kBin);
    for (const auto& f : supplier.body.at("facts").as_array())
      if (f.at("system") == "gbd_ul") out[std::string(f.at("name").as_string())] = f.as_object();
    return out;
  };
  const auto verified = gbd_ul_facts();
  ASSERT_TRUE(verified.count("status"));
  const auto message_id = verified.at("status").at("provenance").at("message_id");

  // What a mapping that could not read the ГБД ЮЛ reply left: the reply kept, nothing read.
  auto db = this->db();
  {
    pqxx::work txn(*db);
    txn.exec(
        "UPDATE message_log SET outcome = 'malformed', cause = 'the old mapping'"
        " WHERE supplier_id = '150340012340' AND system = 'gbd_ul'");
    txn.exec("DELETE FROM facts_current WHERE supplier_id = '150340012340' AND system = 'gbd_ul'");
    txn.exec(
        "UPDATE source_status SET outcome = 'malformed', cause = 'the old mapping'"
        " WHERE supplier_id = '150340012340' AND system = 'gbd_ul'");
    txn.commit();
  }
  const auto exchanges = [&] {
    return store::test::query_value(*db, "SELECT count(*) FROM message_log") + "/" +
           store::test::query_value(*db, "SELECT count(*) FROM audit_log");
  };
  const auto exchanges_before = exchanges();

  const auto shown = run_ctl({"--url", url(), "facts", "re-derive", "--system", "gbd_ul"});
  ASSERT_EQ(shown.exit_code, 0) << shown.out << shown.err;
  EXPECT_TRUE(contains(shown.out, "1 read otherwise today")) << shown.out;
  EXPECT_TRUE(contains(shown.out, "malformed→data")) << shown.out;
  EXPECT_TRUE(contains(shown.out, "nothing was written")) << shown.out;
  EXPECT_TRUE(gbd_ul_facts().empty());

  const auto applied =
      run_ctl({"--url", url(), "facts", "re-derive", "--system", "gbd_ul", "--apply"});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_TRUE(contains(applied.out, "recorded as re-derivation run 1")) << applied.out;
  const auto healed = gbd_ul_facts();
  ASSERT_EQ(healed.size(), verified.size());
  for (const auto& [name, fact] : verified) {
    ASSERT_TRUE(healed.count(name)) << name;
    EXPECT_EQ(healed.at(name).at("value"), fact.at("value")) << name;
    // The provenance is the reply's as it arrived: same message, digest and time.
    EXPECT_EQ(healed.at(name).at("provenance"), fact.at("provenance")) << name;
  }
  const auto history =
      call(port_, http::verb::get, std::string("/v1/suppliers/") + kBin + "/history");
  int rederived = 0;
  for (const auto& h : history.body.at("history").as_array())
    if (const auto* run = h.as_object().if_contains("rederivation_id")) {
      EXPECT_EQ(*run, 1);
      EXPECT_EQ(h.at("provenance").at("message_id"), message_id);
      ++rederived;
    }
  EXPECT_EQ(rederived, static_cast<int>(verified.size()));
  const auto supplier = call(port_, http::verb::get, std::string("/v1/suppliers/") + kBin);
  for (const auto& source : supplier.body.at("sources").as_array())
    if (source.at("system") == "gbd_ul") {
      EXPECT_EQ(source.at("outcome"), "data");
    }

  // No state system was asked, and nothing is left to change.
  EXPECT_EQ(exchanges(), exchanges_before);
  const auto again = run_ctl({"--url", url(), "--json", "facts", "re-derive"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  const auto report = json::parse(again.out);
  EXPECT_EQ(report.at("changed"), 0) << again.out;
  // one kept reply per system asked about the one verified supplier: ГБД ЮЛ, KGD, e-licensing
  EXPECT_EQ(report.at("replies"), 3) << again.out;

  // One supplier's replies only: one never verified has none.
  const auto one =
      run_ctl({"--url", url(), "--json", "facts", "re-derive", "--supplier", "120740023454"});
  ASSERT_EQ(one.exit_code, 0) << one.out << one.err;
  EXPECT_EQ(json::parse(one.out).at("suppliers"), 1) << one.out;
  EXPECT_EQ(json::parse(one.out).at("replies"), 0) << one.out;

  // What it cannot do is refused naming the field.
  const auto mirrored = run_ctl({"--url", url(), "facts", "re-derive", "--system", "samruk"});
  EXPECT_EQ(mirrored.exit_code, 3);
  EXPECT_TRUE(contains(mirrored.err, "system: 'samruk' is not a system")) << mirrored.err;
  const auto bad_date = run_ctl({"--url", url(), "facts", "re-derive", "--since", "monday"});
  EXPECT_EQ(bad_date.exit_code, 3);
  EXPECT_TRUE(contains(bad_date.err, "since: must be a date")) << bad_date.err;
  const auto bad_supplier = run_ctl({"--url", url(), "facts", "re-derive", "--supplier", "12345"});
  EXPECT_EQ(bad_supplier.exit_code, 3);
  EXPECT_TRUE(contains(bad_supplier.err, "supplier: ")) << bad_supplier.err;
  EXPECT_EQ(run_ctl({"--url", url(), "facts", "rederive"}).exit_code, 2);
}

}  // namespace
}  // namespace tekser::integration

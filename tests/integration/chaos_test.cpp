// Issue 14 item 5: crash anywhere, lose nothing. The same population is refreshed twice, each
// time into a database of its own: once undisturbed (the reference), once while something breaks
// — the gateway killed with SIGKILL at 20 points of the refresh and of the trigger delivery,
// drawn from a seeded generator (TEKSER_CHAOS_SEED, printed, so a failing run can be replayed),
// and restarted each time; or PostgreSQL stopped and started under the running gateway. The end
// states must be the same: the same facts, the same triggers, each accepted once by the portal
// (any other delivery of its key a recognised duplicate), none lost, none doubled, nothing dead.
//
// The kill points are a schedule, not a wait: after each restart the gateway runs for a drawn
// while (the refresh and the delivery make progress), then dies. Every wait for an outcome is a
// poll with a deadline.
#include <pqxx/pqxx>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/refresh_fixture.hpp"

namespace tekser::integration {
namespace {

constexpr int kKills = 20;
constexpr int kSuppliers = 60;
// How long the gateway lives between kills: enough to lease, ask and deliver something.
constexpr int kLifeMinMs = 150;
constexpr int kLifeMaxMs = 1200;
// The portal answers each delivery this late, so that deliveries are in flight when kills land.
constexpr int kPortalDelayMs = 150;

std::uint64_t chaos_seed() {
  if (const char* given = std::getenv("TEKSER_CHAOS_SEED"))
    return std::strtoull(given, nullptr, 10);
  return 14;
}

// What a run leaves behind, without the times and ids that differ between two runs.
struct EndState {
  std::map<std::string, std::string> facts;  // supplier/system/fact -> value (jsonb text)
  std::multiset<std::string> triggers;       // supplier kind grounds, as the portal accepted them
  std::size_t deliveries_accepted_twice = 0;
  std::size_t outbox_not_delivered = 0;
};

class ChaosTest : public RefreshingGatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    mocks_ = std::make_unique<ChildProcess>(
        [](const fs::path& dir) {
          auto args = mocks_args(dir, "127.0.0.1:0", TEKSER_MOCKS_FIXTURES);
          for (const char* arg :
               {"--population", "200", "--population-seed", "7", "--population-shares",
                "rnu=0.05,liquidated=0.05,deceased=0.05,tax_debt=0.05,bankrupt=0.03"})
            args.emplace_back(arg);
          return args;
        },
        "mocks");
    mocks_port_ = mocks_->wait_listening();
    const auto population = get(mocks_port_, "/admin/population/subjects?limit=200");
    for (const auto& s : population.at("subjects").as_array()) {
      if (static_cast<int>(suppliers_.size()) == kSuppliers) break;
      suppliers_.emplace_back(text(s.at("id")), s.at("kind") != "legal_entity");
      services_[text(s.at("id"))] = s.at("services");
    }
    ASSERT_EQ(static_cast<int>(suppliers_.size()), kSuppliers);
  }

  // A fresh database, a gateway on it, the suppliers registered, the mock portal emptied and
  // answering each delivery `portal_delay_ms` late.
  void begin(int portal_delay_ms) {
    if (gateway_) gateway_->stop(SIGTERM, std::chrono::seconds(20));
    gateway_.reset();
    schema_ = std::make_unique<store::test::FreshSchema>();
    ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/portal").status, 200u);
    ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/journal").status, 200u);
    if (portal_delay_ms > 0)
      mocks_post("/admin/portal/faults",
                 R"({"mode":"delay","delay_ms":)" + std::to_string(portal_delay_ms) + "}");
    start_refreshing_gateway();
    for (const auto& [id, individual] : suppliers_) {
      const auto reply = put(id, supplier_body(individual, services_.at(id)));
      ASSERT_EQ(reply.status, 201u) << id << ": " << json::serialize(reply.body);
    }
  }

  EndState end_state() {
    EndState state;
    {
      auto connection = db();
      pqxx::work txn(*connection);
      for (const auto& row : txn.exec("SELECT supplier_id, system, fact_name, value::text "
                                      "FROM facts_current"))
        state.facts[row[0].as<std::string>() + "/" + row[1].as<std::string>() + "/" +
                    row[2].as<std::string>()] = row[3].as<std::string>();
      state.outbox_not_delivered =
          txn.exec1("SELECT count(*) FROM triggers WHERE status <> 'delivered'")[0]
              .as<std::size_t>();
    }
    for (const auto& t : portal_triggers())
      state.triggers.insert(t.supplier + " " + t.kind + " " + t.grounds);
    std::map<std::string, int> accepted;
    for (const auto& d : portal_deliveries())
      if (d.at("outcome") == "accepted") ++accepted[text(d.at("idempotency_key"))];
    for (const auto& [key, times] : accepted)
      if (times > 1) ++state.deliveries_accepted_twice;
    return state;
  }

  // The undisturbed run of the population: the state every disturbed run must end in.
  EndState reference() {
    begin(0);
    const auto id = start_run();
    wait_run_done(id);
    wait_delivered();
    auto state = end_state();
    EXPECT_GT(state.triggers.size(), 5u) << "the population gives blocks and warnings to send";
    EXPECT_GT(state.facts.size(), static_cast<std::size_t>(kSuppliers));
    return state;
  }

  // Every request the state systems received in this run — a killed gateway's in-flight ones
  // included — has its audit row: written before the request left (issue 14 item 6).
  void expect_every_exchange_audited() {
    auto connection = db();
    pqxx::work txn(*connection);
    std::size_t unaudited = 0;
    for (const auto& [id, individual] : suppliers_)
      for (const std::string system : {"gbd_ul", "gbd_fl", "kgd", "elicense", "goszakup"}) {
        const auto received =
            mocks_admin(http::verb::get, "/admin/journal/count?subject=" + id + "&system=" + system)
                .body.at("count")
                .as_int64();
        const auto audited =
            txn.exec_params1("SELECT count(*) FROM audit_log WHERE subject = $1 AND system = $2",
                             id, system)[0]
                .as<long long>();
        if (audited < received && ++unaudited <= 5)
          ADD_FAILURE() << id << " at " << system << ": " << received << " requests received, "
                        << audited << " audited";
      }
    EXPECT_EQ(unaudited, 0u) << "every exchange audited";
  }

  void expect_same_end(const EndState& disturbed, const EndState& reference) {
    EXPECT_EQ(disturbed.triggers, reference.triggers) << "the same triggers, none lost or added";
    EXPECT_EQ(disturbed.deliveries_accepted_twice, 0u) << "no trigger accepted twice";
    EXPECT_EQ(disturbed.outbox_not_delivered, 0u) << "nothing left pending or dead";
    EXPECT_EQ(disturbed.facts.size(), reference.facts.size());
    std::size_t differing = 0;
    for (const auto& [key, value] : reference.facts) {
      const auto found = disturbed.facts.find(key);
      if (found == disturbed.facts.end() || found->second != value) {
        if (++differing <= 5)
          ADD_FAILURE() << key << ": " << value << " vs "
                        << (found == disturbed.facts.end() ? "(missing)" : found->second);
      }
    }
    EXPECT_EQ(differing, 0u) << "the same facts";
  }

  std::vector<std::pair<std::string, bool>> suppliers_;  // id, whether an individual
  std::map<std::string, json::value> services_;          // id -> what it supplies
};

TEST_F(ChaosTest, TwentyKillsDuringARefreshAndItsDeliveryEndAsAnUndisturbedRun) {
  const auto expected = reference();
  const auto seed = chaos_seed();
  std::cout << "[ chaos ] TEKSER_CHAOS_SEED=" << seed << "\n";
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> life(kLifeMinMs, kLifeMaxMs);

  // Longer than an exchange lasts here (shep.total_timeout_ms 3000, the database's waits).
  audit_yaml_ = "audit: {interrupted_after_ms: 20000, sweep_every_ms: 500}\n";
  begin(kPortalDelayMs);
  const auto run_id = start_run();
  int during_run = 0;
  int during_delivery = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    std::this_thread::sleep_for(std::chrono::milliseconds(life(random)));  // the schedule
    const bool run_done = run(run_id).at("status") == "done";
    (run_done ? during_delivery : during_run) += 1;
    kill_gateway();
    start_refreshing_gateway();
  }
  std::cout << "[ chaos ] kills during the refresh " << during_run << ", after it (delivery) "
            << during_delivery << "\n";
  wait_run_done(run_id);
  wait_delivered();
  EXPECT_GT(during_run, 0) << "no kill landed in the refresh (seed " << seed << ")";
  expect_same_end(end_state(), expected);
  expect_every_exchange_audited();

  // The exchanges a kill cut off stay on record, and the running gateway calls them interrupted
  // once they have been pending longer than any exchange lasts (migration 0090); /metrics
  // counts them.
  const auto unfinished = [&](const std::string& outcome) {
    auto connection = db();
    pqxx::nontransaction txn(*connection);
    return txn.exec_params1("SELECT count(*) FROM audit_log WHERE outcome = $1", outcome)[0]
        .as<long long>();
  };
  wait_until(
      "no exchange left pending", [&] { return unfinished("pending") == 0; },
      [&] { return std::to_string(unfinished("pending")) + " pending"; });
  const auto interrupted = unfinished("interrupted");
  std::cout << "[ chaos ] exchanges cut off by the kills, called interrupted: " << interrupted
            << "\n";
  const auto reply = call(port_, http::verb::get, "/metrics");  // text: kept as a string
  ASSERT_EQ(reply.status, 200u);
  const auto metrics = text(reply.body);
  EXPECT_NE(metrics.find("tekser_audit_exchanges_unfinished{progress=\"interrupted\"} " +
                         std::to_string(interrupted) + "\n"),
            std::string::npos)
      << metrics;
}

TEST_F(ChaosTest, PostgresqlRestartedUnderARunningRefreshEndsAsAnUndisturbedRun) {
  const auto expected = reference();
  const auto pg_dir = fs::path(std::getenv("TEKSER_TEST_PG_FILE")).parent_path().string();
  // The same port again, so that the gateway's connection string still leads to it.
  std::string port;
  std::ifstream(fs::path(pg_dir) / "port") >> port;
  const auto pg = [&](const std::string& verb) {
    const auto command = std::string(TEKSER_PG_LOCAL) + " " + verb + " " + pg_dir +
                         (verb == "start" ? " " + port : std::string()) + " >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  };

  begin(kPortalDelayMs);
  const auto run_id = start_run();
  wait_until("the refresh to be under way",
             [&] { return run(run_id).at("progress").at("done").as_int64() > 0; });
  pg("stop");
  // The gateway meets a database that is gone: its work fails and is retried, nothing is lost.
  std::this_thread::sleep_for(std::chrono::seconds(2));  // the outage's length, not a wait
  pg("start");
  wait_until("the gateway to reach the database again", [&] {
    return call(port_, http::verb::get, "/v1/refresh-runs/" + std::to_string(run_id)).status == 200;
  });
  wait_run_done(run_id);
  wait_delivered();
  expect_same_end(end_state(), expected);
  expect_every_exchange_audited();
  EXPECT_EQ(call(port_, http::verb::get, "/healthz").status, 200u) << "the same gateway serves on";
}

}  // namespace
}  // namespace tekser::integration

// Issue 17, item 8: replicas, proven. Two and three gateway processes on one database share one
// refresh run through the items' leases: every item is finished once, by one of them, and each
// replica takes part; no state system is asked twice about a supplier in the run, and no trigger
// is queued or accepted by the portal twice. With three, one is killed (SIGKILL) mid-run: the
// survivors take its leases once they expire and finish the run, still doubling nothing.
#include <map>
#include <set>

#include "tests/integration/refresh_fixture.hpp"

namespace tekser::integration {
namespace {

class ReplicasTest : public RefreshingGatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    // Blacklisted, liquidated and deceased subjects: the run has triggers to queue and deliver.
    start_population_mocks("rnu=0.05,liquidated=0.05,deceased=0.05");
  }

  // `n` replicas on the fixture's database, named r1..rn; the last is the fixture's gateway_.
  void start_replicas(int n) {
    for (int i = 1; i <= n; ++i) {
      if (gateway_) {
        others_.push_back(std::move(gateway_));
        other_ports_.push_back(port_);
      }
      replica_ = "r" + std::to_string(i);
      start_refreshing_gateway();
    }
  }

  // Every subject of the mocks' population, registered through the first replica.
  void register_population() {
    const auto population = get(mocks_port_, "/admin/population/subjects?limit=200");
    for (const auto& s : population.at("subjects").as_array()) {
      const auto id = text(s.at("id"));
      const auto reply = call(other_ports_.at(0), http::verb::put, "/v1/suppliers/" + id,
                              supplier_body(s.at("kind") != "legal_entity", s.at("services")));
      ASSERT_EQ(reply.status, 201u) << id << ": " << json::serialize(reply.body);
      ++registered_;
    }
    ASSERT_GE(registered_, 100);
  }

  // Starts a run through the first replica (any would do: they share the database).
  long long start_run_on_first() {
    const auto reply = call(other_ports_.at(0), http::verb::post, "/v1/refresh-runs");
    if (reply.status != 202)
      throw std::runtime_error("POST /v1/refresh-runs: " + std::to_string(reply.status));
    return reply.body.at("id").as_int64();
  }

  long long scalar(const std::string& sql, long long run_id) {
    auto connection = db();
    pqxx::work txn(*connection);
    return txn.exec_params1(sql, run_id)[0].as<long long>();
  }

  // How many items each replica finished.
  std::map<std::string, long long> done_by(long long run_id) {
    auto connection = db();
    pqxx::work txn(*connection);
    std::map<std::string, long long> out;
    for (const auto& row : txn.exec_params(
             "SELECT coalesce(done_by, '(none)'), count(*) FROM refresh_items WHERE run_id = $1"
             " GROUP BY 1",
             run_id))
      out[row[0].as<std::string>()] = row[1].as<long long>();
    return out;
  }

  // Nothing doubled: each (supplier, system) asked once under the run unless `repeat_allowed`
  // holds the supplier (its lease was lost with a killed replica); every trigger queued once per
  // supplier, kind and grounds (one supplier may have two warnings on different grounds), and
  // accepted by the portal once.
  void expect_nothing_doubled(long long run_id, const std::set<std::string>& repeat_allowed) {
    auto connection = db();
    pqxx::work txn(*connection);
    for (const auto& row :
         txn.exec_params("SELECT subject, system, count(*) FROM audit_log WHERE client = $1"
                         " AND subject IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1",
                         "refresh-run:" + std::to_string(run_id)))
      EXPECT_TRUE(repeat_allowed.contains(row[0].as<std::string>()))
          << row[0].as<std::string>() << " asked " << row[2].as<long long>() << " times of "
          << row[1].as<std::string>() << " in one run";
    const auto doubled = txn.exec(
        "SELECT supplier_id, kind, count(*), string_agg(body, E'\\n') FROM triggers"
        " GROUP BY 1, 2, jsonb_path_query_array(body::jsonb, '$.grounds[*].code')"
        " HAVING count(*) > 1");
    for (const auto& row : doubled)
      ADD_FAILURE() << "trigger " << row[1].as<std::string>() << " queued "
                    << row[2].as<long long>() << " times for " << row[0].as<std::string>() << ":\n"
                    << row[3].as<std::string>();
    const auto queued = txn.exec1("SELECT count(*) FROM triggers")[0].as<long long>();
    EXPECT_GT(queued, 0) << "the population (seed 7) has blacklisted subjects: triggers expected";
    std::set<std::string> accepted;
    for (const auto& t : portal_triggers())
      EXPECT_TRUE(accepted.insert(t.trigger_id).second) << "accepted twice: " << t.trigger_id;
    EXPECT_EQ(static_cast<long long>(accepted.size()), queued);
  }

  std::vector<std::unique_ptr<ChildProcess>> others_;
  std::vector<unsigned short> other_ports_;
  int registered_ = 0;
};

TEST_F(ReplicasTest, TwoReplicasShareOneRunAndDoubleNothing) {
  start_replicas(2);
  ASSERT_NO_FATAL_FAILURE(register_population());
  // A little latency, so that neither replica can take the whole run before the other leases.
  mocks_post("/admin/faults", R"({"system":"kgd","mode":"latency","latency_ms":60})");
  const auto run_id = start_run_on_first();
  wait_run_done(run_id);
  wait_delivered();

  const auto shares = done_by(run_id);
  EXPECT_EQ(shares.size(), 2u) << "each replica finished some items";
  EXPECT_GT(shares.count("r1") ? shares.at("r1") : 0, 0);
  EXPECT_GT(shares.count("r2") ? shares.at("r2") : 0, 0);
  EXPECT_EQ(
      scalar("SELECT count(*) FROM refresh_items WHERE run_id = $1 AND state = 'done'", run_id),
      registered_);
  // No item was leased twice: nobody died, so no lease expired and was taken again.
  EXPECT_EQ(scalar("SELECT max(leases) FROM refresh_items WHERE run_id = $1", run_id), 1);
  expect_nothing_doubled(run_id, {});
}

TEST_F(ReplicasTest, OfThreeReplicasOneIsKilledMidRunAndTheSurvivorsFinishIt) {
  start_replicas(3);
  ASSERT_NO_FATAL_FAILURE(register_population());
  const auto slow =
      text(mocks_post("/admin/faults", R"({"system":"kgd","mode":"latency","latency_ms":300})")
               .at("id"));
  const auto run_id = start_run_on_first();
  json::value progress;
  wait_until(
      "the run to be under way on every replica",
      [&] {
        progress = run(run_id).at("progress");
        return progress.at("done").as_int64() >= 20 && done_by(run_id).size() >= 4;
      },
      [&] { return json::serialize(progress); });
  // r1 dies holding leases.
  ASSERT_EQ(others_.at(0)->stop(SIGKILL, std::chrono::seconds(10)), 128 + SIGKILL);
  std::set<std::string> lost;
  {
    auto connection = db();
    pqxx::work txn(*connection);
    for (const auto& row : txn.exec_params(
             "SELECT supplier_id FROM refresh_items WHERE run_id = $1 AND lease_owner = 'r1'",
             run_id))
      lost.insert(row[0].as<std::string>());
  }
  EXPECT_FALSE(lost.empty()) << "r1 was killed between leases; the test proves less";
  ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/faults/" + slow).status, 200u);

  wait_run_done(run_id);  // through r3, a survivor
  wait_delivered();
  const auto shares = done_by(run_id);
  for (const char* replica : {"r1", "r2", "r3"})
    EXPECT_GT(shares.count(replica) ? shares.at(replica) : 0, 0) << replica;
  EXPECT_FALSE(shares.count("(none)")) << "every item finished";
  EXPECT_EQ(
      scalar("SELECT count(*) FROM refresh_items WHERE run_id = $1 AND state = 'done'", run_id),
      registered_);
  {
    auto connection = db();
    pqxx::work txn(*connection);
    for (const auto& supplier : lost) {
      const auto item = txn.exec_params1(
          "SELECT leases, attempts, done_by FROM refresh_items WHERE run_id = $1 AND supplier_id "
          "= $2",
          run_id, supplier);
      EXPECT_GE(item[0].as<int>(), 2) << supplier << ": r1's lease expired and was taken again";
      EXPECT_EQ(item[1].as<int>(), 0) << supplier << ": a lease lost to a kill is no attempt";
      EXPECT_NE(item[2].as<std::string>(), "r1") << supplier;
    }
  }
  // Only the suppliers r1 held when it died may have been asked twice.
  expect_nothing_doubled(run_id, lost);
}

}  // namespace
}  // namespace tekser::integration

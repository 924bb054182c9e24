// Issue 5's acceptance test: the weekly refresh turns changes in the state systems into exactly
// the triggers the rules call for, and the portal receives each once by idempotency key — also
// when the gateway is killed (SIGKILL) in the middle of the run or in the middle of a delivery
// and restarted on the same database.
//
// The world: the mocks' synthetic population (seed 7, with enough blacklisted subjects that the
// first run already has triggers to send) and eleven suppliers registered with the gateway.
// After a first refresh (the baseline, delivered, then forgotten by the mock portal) five of
// them change:
//   enters_rnu   a clean legal entity enters the goszakup РНУ       -> block p15.3
//   dies         a clean individual entrepreneur dies (ГБД ФЛ)    -> block p15.2 (deregistration
//                                                                     is the commission's, p.19)
//   tax_debt     a clean legal entity gets a tax debt (KGD)        -> warning p3.4
//   leaves_rnu   a legal entity in the РНУ (blocked at baseline)   -> unblock p15.3, naming
//                leaves it                                            its block in `supersedes`
//   source_down  a clean legal entity gets a tax debt, but KGD      -> nothing: unknown never
//                answers 503 for it                                     triggers
// and a second refresh must deliver exactly that. Waits poll with deadlines, never sleep-and-hope.
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "tests/integration/refresh_fixture.hpp"

namespace tekser::integration {
namespace {

// How long the mock portal holds the delivery during which the gateway is killed: well inside
// the gateway's timeout, so that the portal stores the trigger and only the answer is lost.
constexpr int kHeldDeliveryMs = 3000;

class RefreshTest : public RefreshingGatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    schema_ = std::make_unique<store::test::FreshSchema>();
    mocks_ = std::make_unique<ChildProcess>(
        [](const fs::path& dir) {
          auto args = mocks_args(dir, "127.0.0.1:0", TEKSER_MOCKS_FIXTURES);
          for (const char* arg : {"--population", "200", "--population-seed", "7",
                                  "--population-shares", "rnu=0.03,liquidated=0.03,deceased=0.05"})
            args.emplace_back(arg);
          return args;
        },
        "mocks");
    mocks_port_ = mocks_->wait_listening();
    start_refreshing_gateway();
    ASSERT_NO_FATAL_FAILURE(choose_suppliers());
    for (const auto& id : all_suppliers()) {
      // ГБД ФЛ is asked about an individual only with the subject's consent (a KDP token).
      const auto reply = put(id, supplier_body(individuals_.contains(id), services_.at(id)));
      ASSERT_EQ(reply.status, 201u) << id << ": " << json::serialize(reply.body);
    }
  }

  // ---- the world ----

  // From the population as the mocks describe it (fixed by the seed): four clean subjects and
  // one in the РНУ for the roles, and one of each other trait as bystanders with triggers of
  // their own at baseline (bankrupt, liquidated, deceased, tax debt, Samruk list, unlicensed).
  void choose_suppliers() {
    const auto population = get(mocks_port_, "/admin/population/subjects?limit=200");
    const auto& subjects = population.at("subjects").as_array();
    std::vector<std::string> clean_entities;
    for (const auto& s : subjects) {
      const auto id = text(s.at("id"));
      services_[id] = s.at("services");
      const bool entity = s.at("kind") == "legal_entity";
      if (!entity) individuals_.insert(id);
      const auto& traits = s.at("traits").as_array();
      if (traits.empty() && entity) clean_entities.push_back(id);
      if (traits.empty() && !entity && dies_.empty()) dies_ = id;
      if (entity && traits.size() == 1 && traits[0] == "rnu" && leaves_rnu_.empty())
        leaves_rnu_ = id;
    }
    ASSERT_GE(clean_entities.size(), 3u);
    enters_rnu_ = clean_entities[0];
    tax_debt_ = clean_entities[1];
    source_down_ = clean_entities[2];
    ASSERT_FALSE(dies_.empty());
    ASSERT_FALSE(leaves_rnu_.empty());
    for (const char* trait :
         {"bankrupt", "liquidated", "deceased", "tax_debt", "quasi_rnu", "unlicensed"}) {
      for (const auto& s : subjects) {
        const auto id = text(s.at("id"));
        const auto& traits = s.at("traits").as_array();
        const auto chosen = all_suppliers();
        if (std::find(traits.begin(), traits.end(), json::value(trait)) != traits.end() &&
            std::find(chosen.begin(), chosen.end(), id) == chosen.end()) {
          bystanders_.push_back(id);
          break;
        }
      }
    }
    ASSERT_EQ(bystanders_.size(), 6u) << "the population (seed 7) changed";
  }

  std::vector<std::string> all_suppliers() const {
    std::vector<std::string> out;
    for (const auto* id : {&enters_rnu_, &dies_, &tax_debt_, &leaves_rnu_, &source_down_})
      if (!id->empty()) out.push_back(*id);
    out.insert(out.end(), bystanders_.begin(), bystanders_.end());
    return out;
  }

  std::string role(const std::string& id) const {
    if (id == enters_rnu_) return "enters_rnu";
    if (id == dies_) return "dies";
    if (id == tax_debt_) return "tax_debt";
    if (id == leaves_rnu_) return "leaves_rnu";
    if (id == source_down_) return "source_down";
    return "bystander " + id;
  }

  // The changes between the two runs, through the mocks' admin API.
  void change_the_world() {
    const auto today = text(get(mocks_port_, "/admin/clock").at("now")).substr(0, 10);
    auto state = [&](const std::string& subject, const std::string& system,
                     const std::string& set) {
      mocks_post("/admin/state", R"({"subject":")" + subject + R"(","system":")" + system +
                                     R"(","set":)" + set + "}");
    };
    state(enters_rnu_, "goszakup", R"({"rnu_listed":true})");
    state(dies_, "gbd_fl", R"({"deceased_on":")" + today + R"("})");
    state(tax_debt_, "kgd", R"({"tax_debt":250000})");
    state(leaves_rnu_, "goszakup", R"({"rnu_listed":false})");
    state(source_down_, "kgd", R"({"tax_debt":480000})");
    source_down_fault_ =
        text(mocks_post("/admin/faults",
                        R"({"system":"kgd","subject":")" + source_down_ + R"(","mode":"http_503"})")
                 .at("id"));
  }

  // The first refresh and its delivery; then the mock portal forgets it.
  void run_baseline() {
    const auto id = start_run();
    wait_run_done(id);
    wait_delivered();
    for (const auto& t : portal_triggers()) {
      if (t.supplier == leaves_rnu_ && t.kind == "block") leaves_rnu_block_ = t.trigger_id;
      // Blocked, or warned of a tax debt already, a role could not show its change (a licence
      // that does not fit the category is warned about and stays so).
      if (t.supplier == leaves_rnu_ || role(t.supplier).starts_with("bystander")) continue;
      EXPECT_TRUE(t.kind == "warning" && t.grounds != "p3.4")
          << role(t.supplier) << " has a " << t.kind << " " << t.grounds << " at baseline";
    }
    ASSERT_FALSE(leaves_rnu_block_.empty()) << "the supplier in the РНУ was not blocked";
    baseline_triggers_ = gateway_triggers("").size();
    // seed 7: six for the bystanders and the РНУ supplier's block (no deregistration: the
    // default policy is never)
    ASSERT_GE(baseline_triggers_, 7u) << "the bystanders' and the РНУ's triggers";
    ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/portal").status, 200u);
  }

  // What the portal holds after the second run: exactly the changes' triggers, each accepted
  // once by its idempotency key, in sequence per supplier; the outbox agrees.
  void expect_exactly_the_changes(long long run_id) {
    const auto accepted = portal_triggers();
    std::multiset<std::string> got;
    std::map<std::string, Accepted> by_role_and_kind;
    for (const auto& t : accepted) {
      got.insert(role(t.supplier) + " " + t.kind + " " + t.grounds);
      by_role_and_kind[role(t.supplier) + " " + t.kind] = t;
      EXPECT_FALSE(t.order_violation) << role(t.supplier) << " " << t.kind;
    }
    const std::multiset<std::string> expected{
        "enters_rnu block p15.3",
        "dies block p15.2",
        "tax_debt warning p3.4",
        "leaves_rnu unblock p15.3",
    };
    EXPECT_EQ(got, expected) << "nothing for source_down, nothing for a bystander";

    EXPECT_EQ(by_role_and_kind["leaves_rnu unblock"].supersedes, leaves_rnu_block_);
    // The unblock continues the supplier's numbering after its block (sequence 1 at baseline).
    EXPECT_GT(by_role_and_kind["leaves_rnu unblock"].sequence, 1);

    // Each trigger accepted once by its idempotency key; any other attempt of that key is a
    // duplicate the portal recognised (a repeat after a kill), never a second trigger.
    std::map<std::string, int> accepted_by_key;
    for (const auto& d : portal_deliveries()) {
      const auto key = text(d.at("idempotency_key"));
      const auto outcome = text(d.at("outcome"));
      EXPECT_EQ(d.at("signature"), "valid") << json::serialize(d);
      if (outcome == "accepted")
        ++accepted_by_key[key];
      else
        EXPECT_EQ(outcome, "duplicate") << json::serialize(d);
    }
    std::set<std::string> portal_ids;
    for (const auto& t : accepted) {
      portal_ids.insert(t.trigger_id);
      EXPECT_EQ(accepted_by_key[t.trigger_id], 1) << role(t.supplier) << " " << t.kind;
    }
    EXPECT_EQ(portal_ids.size(), accepted.size());

    // The outbox: the run's triggers are those, all delivered; nothing else was added.
    std::set<std::string> outbox_ids;
    for (const auto& t : gateway_triggers("")) {
      if (!t.at("run_id").is_int64() || t.at("run_id").as_int64() != run_id) continue;
      outbox_ids.insert(text(t.at("id")));
      EXPECT_EQ(t.at("status"), "delivered") << json::serialize(t);
    }
    EXPECT_EQ(outbox_ids, portal_ids);
    EXPECT_EQ(gateway_triggers("").size(), baseline_triggers_ + expected.size());

    // The source that was down was asked, and refused.
    bool refused = false;
    const auto faults = get(mocks_port_, "/admin/faults");
    for (const auto& rule : faults.at("faults").as_array())
      if (text(rule.at("id")) == source_down_fault_) refused = rule.at("injected").as_int64() > 0;
    EXPECT_TRUE(refused) << "KGD was never asked about source_down";
  }

  std::string enters_rnu_, dies_, tax_debt_, leaves_rnu_, source_down_;
  std::vector<std::string> bystanders_;
  std::set<std::string> individuals_;
  std::map<std::string, json::value> services_;  // id -> what it supplies (the population says)
  std::string leaves_rnu_block_;
  std::string source_down_fault_;
  std::size_t baseline_triggers_ = 0;
};

// The refresh as configured by default: each worker commits the items of its lease together
// (issue 16 item 2), four at a time.
class BatchedRefreshTest : public RefreshTest {
 protected:
  BatchedRefreshTest() { refresh_batch_ = 4; }
};

TEST_F(BatchedRefreshTest, TheChangesOfTheWorldReachThePortalOnceAndAnUnknownSourceSendsNothing) {
  run_baseline();
  change_the_world();
  const auto second = start_run();
  wait_run_done(second);
  wait_delivered();
  expect_exactly_the_changes(second);
  for (const auto& d : portal_deliveries())
    EXPECT_EQ(d.at("outcome"), "accepted") << "one attempt each, without faults";

  // A run that finds nothing new sends nothing.
  ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/portal").status, 200u);
  const auto third = start_run();
  wait_run_done(third);
  wait_delivered();
  EXPECT_TRUE(portal_triggers().empty());

  // Once KGD answers again, source_down's debt is seen: the change was there all along, only
  // unknown while its source was down.
  ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/faults/" + source_down_fault_).status, 200u);
  const auto fourth = start_run();
  wait_run_done(fourth);
  wait_delivered();
  const auto after = portal_triggers();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(role(after[0].supplier), "source_down");
  EXPECT_EQ(after[0].kind, "warning");
  EXPECT_EQ(after[0].grounds, "p3.4");
}

// An item whose answers the database refuses fails alone: the batch it was gathered in is
// committed item by item, the others are done, and it is retried up to max_attempts and failed,
// its answers' audit rows completed.
TEST_F(BatchedRefreshTest, AnItemTheDatabaseRefusesFailsAloneNotItsBatch) {
  refresh_workers_ = 1;  // batches of four, three and four, deterministically
  kill_gateway();
  start_refreshing_gateway();
  {
    auto connection = db();
    pqxx::work txn(*connection);
    txn.exec("ALTER TABLE source_answers ADD CONSTRAINT test_refuse_one CHECK (supplier_id <> " +
             txn.quote(tax_debt_) + ")");
    txn.commit();
  }
  const auto run_id = start_run();
  json::value last;
  wait_until(
      "the run to finish",
      [&] {
        last = run(run_id);
        return last.at("status") == "done";
      },
      [&] { return json::serialize(last.at("progress")); });
  EXPECT_EQ(last.at("progress").at("failed"), 1) << json::serialize(last);
  EXPECT_EQ(last.at("progress").at("done").as_int64() + 1, last.at("total").as_int64());

  auto connection = db();
  pqxx::work txn(*connection);
  for (const auto& row : txn.exec_params(
           "SELECT supplier_id, state, attempts, coalesce(last_error, '') FROM refresh_items"
           " WHERE run_id = $1",
           run_id)) {
    const auto supplier = row[0].as<std::string>();
    if (supplier == tax_debt_) {
      EXPECT_EQ(row[1].as<std::string>(), "failed");
      EXPECT_EQ(row[2].as<int>(), 3) << "max_attempts";
      EXPECT_NE(row[3].as<std::string>().find("test_refuse_one"), std::string::npos)
          << row[3].as<std::string>();
    } else {
      EXPECT_EQ(row[1].as<std::string>(), "done") << role(supplier);
    }
  }
  // Nothing of the refused item was kept but its audit, each row finished; the others' answers
  // are all there.
  EXPECT_EQ(txn.exec_params1("SELECT count(*) FROM message_log WHERE supplier_id = $1", tax_debt_)
                .at(0)
                .as<long long>(),
            0);
  EXPECT_EQ(txn.exec1("SELECT count(*) FROM audit_unfinished").at(0).as<long long>(), 0);
  EXPECT_GT(txn.exec_params1("SELECT count(*) FROM audit_log WHERE subject = $1", tax_debt_)
                .at(0)
                .as<long long>(),
            0);
  EXPECT_EQ(txn.exec("SELECT DISTINCT supplier_id FROM source_status").size(),
            all_suppliers().size() - 1);
}

TEST_F(RefreshTest, AGatewayKilledInTheMiddleOfTheRunLosesAndDoublesNothing) {
  run_baseline();
  change_the_world();
  // KGD slow for everyone else: the run takes seconds, time to kill it half-way.
  const auto slow =
      text(mocks_post("/admin/faults", R"({"system":"kgd","mode":"latency","latency_ms":700})")
               .at("id"));
  const auto run_id = start_run();
  json::value progress;
  wait_until(
      "the run to be half done",
      [&] {
        progress = run(run_id).at("progress");
        return progress.at("done").as_int64() >= 2 && progress.at("pending").as_int64() >= 2;
      },
      [&] { return json::serialize(progress); });
  kill_gateway();

  // Killed: the run is unfinished in the database, some of its items still leased.
  std::set<std::string> leased_at_kill;
  int done_at_kill = 0;
  {
    auto connection = db();
    pqxx::work txn(*connection);
    for (const auto& row : txn.exec_params(
             "SELECT supplier_id, state FROM refresh_items WHERE run_id = $1", run_id)) {
      if (row[1].as<std::string>() == "leased") leased_at_kill.insert(row[0].as<std::string>());
      if (row[1].as<std::string>() == "done") ++done_at_kill;
    }
    EXPECT_EQ(txn.exec_params1("SELECT status FROM refresh_runs WHERE id = $1", run_id)[0]
                  .as<std::string>(),
              "running");
  }
  EXPECT_LT(done_at_kill, static_cast<int>(all_suppliers().size()));

  ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/faults/" + slow).status, 200u);
  start_refreshing_gateway();
  wait_run_done(run_id);  // the same run, resumed: its leases expired and were taken again
  wait_delivered();
  expect_exactly_the_changes(run_id);

  auto connection = db();
  pqxx::work txn(*connection);
  for (const auto& supplier : leased_at_kill) {
    const auto item = txn.exec_params1(
        "SELECT leases, attempts FROM refresh_items WHERE run_id = $1 AND supplier_id = $2", run_id,
        supplier);
    EXPECT_GE(item[0].as<int>(), 2)
        << supplier << " was leased by the killed gateway, so refreshed again";
    // Issue 14 item 6: the lease the kill cost is not a failed attempt.
    EXPECT_EQ(item[1].as<int>(), 0) << supplier;
  }
  // Issue 14 item 6: every request the state systems received, the killed gateway's in-flight
  // ones included, has its audit row (written before it left; pending if its end was never seen).
  for (const auto& supplier : all_suppliers())
    for (const std::string system : {"gbd_ul", "kgd"}) {
      const auto received =
          mocks_admin(http::verb::get,
                      "/admin/journal/count?subject=" + supplier + "&system=" + system)
              .body.at("count")
              .as_int64();
      const auto audited =
          txn.exec_params1("SELECT count(*) FROM audit_log WHERE subject = $1 AND system = $2",
                           supplier, system)[0]
              .as<long long>();
      EXPECT_GE(audited, received) << supplier << " at " << system << ": an exchange unaudited";
    }
}

TEST_F(RefreshTest, AGatewayKilledInTheMiddleOfADeliveryDeliversItOnceByItsKey) {
  run_baseline();
  change_the_world();
  // The portal stores the next delivery at once but answers it late: the gateway dies waiting.
  mocks_post("/admin/portal/faults",
             R"({"mode":"delay","delay_ms":)" + std::to_string(kHeldDeliveryMs) + R"(,"count":1})");
  const auto run_id = start_run();
  std::string held_key;
  wait_until("a delivery held by the portal", [&] {
    for (const auto& d : portal_deliveries())
      if (d.at("fault") == "delay") held_key = text(d.at("idempotency_key"));
    return !held_key.empty();
  });
  kill_gateway();
  // Its answer never reached the gateway: the trigger is still pending in the outbox.
  {
    auto connection = db();
    pqxx::work txn(*connection);
    EXPECT_EQ(txn.exec_params1("SELECT status FROM triggers WHERE id = $1::uuid", held_key)[0]
                  .as<std::string>(),
              "pending");
  }

  start_refreshing_gateway();
  wait_run_done(run_id);
  wait_delivered();
  expect_exactly_the_changes(run_id);

  // The held trigger was sent again after the restart, and the portal knew it by its key.
  std::vector<std::string> outcomes;
  for (const auto& d : portal_deliveries())
    if (text(d.at("idempotency_key")) == held_key) outcomes.push_back(text(d.at("outcome")));
  ASSERT_GE(outcomes.size(), 2u);
  EXPECT_EQ(outcomes.front(), "accepted");
  for (std::size_t i = 1; i < outcomes.size(); ++i) EXPECT_EQ(outcomes[i], "duplicate");
}

}  // namespace
}  // namespace tekser::integration

// The refresh work queue and the trigger outbox against a real PostgreSQL: leases that two
// replicas never share and that come back when they expire, one run at a time and one per
// schedule slot, per-supplier sequence and delivery order, dead letters and replay.
#include <atomic>
#include <set>
#include <thread>  // std::jthread: joined on every way out of a test

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "gateway/store/refresh_store.hpp"
#include "tests/store/test_db.hpp"

namespace tekser::store {
namespace {

using namespace std::chrono_literals;

class RefreshStoreTest : public test::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!store_) return;
    refresh_ = std::make_unique<RefreshStore>(*connection_);
    other_connection_ = schema_->connect();
    other_ = std::make_unique<RefreshStore>(*other_connection_);
    for (const char* id : {"180340021791", "150340012340", "900101300123"}) add_supplier(id);
  }

  void add_supplier(const std::string& id) {
    StoreTest::add_supplier(id, id == "900101300123" ? "individual" : "legal_entity");
  }

  void expire_leases() {
    pqxx::work txn(*connection_);
    txn.exec(
        "UPDATE refresh_items SET lease_until = now() - interval '1 second' WHERE state = "
        "'leased'");
    txn.exec(
        "UPDATE triggers SET lease_until = now() - interval '1 second' WHERE lease_until IS "
        "NOT NULL");
    txn.commit();
  }

  long long enqueue(const std::string& supplier, const std::string& kind, const std::string& id) {
    NewTrigger t;
    t.id = id;
    t.supplier_id = supplier;
    t.kind = kind;
    t.rule_set = "order-285";
    t.data_received_at = xsd_time::now_ms();
    t.deadline = xsd_time::now_ms() + 24h;
    pqxx::work txn(*connection_);
    const auto sequence = refresh_->enqueue_trigger(txn, t, [&](long long seq) {
      return "{\"trigger_id\":\"" + id + "\",\"sequence\":" + std::to_string(seq) + "}";
    });
    txn.commit();
    return sequence;
  }

  std::unique_ptr<RefreshStore> refresh_;
  std::unique_ptr<pqxx::connection> other_connection_;
  std::unique_ptr<RefreshStore> other_;  // a second replica
};

TEST_F(RefreshStoreTest, ARunCoversEveryWatchedSupplierAndOnlyOneRunsAtATime) {
  const auto first = refresh_->start_run("api", std::nullopt, "order-285");
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.run.total, 3);
  EXPECT_EQ(first.run.status, "running");
  const auto again = other_->start_run("cli", std::nullopt, "order-285");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.run.id, first.run.id);
  const auto p = refresh_->progress(first.run.id);
  EXPECT_EQ(p.pending, 3);
  EXPECT_EQ(p.done, 0);
}

TEST_F(RefreshStoreTest, ReplicasRacingForAScheduleSlotCreateOneRun) {
  const auto slot = *xsd_time::parse_datetime("2026-11-23T02:00:00+05:00");
  const auto a = refresh_->start_run("schedule", slot, "order-285");
  ASSERT_TRUE(a.created);
  // Finish it; the same slot still does not run twice.
  ASSERT_TRUE(refresh_->cancel_run(a.run.id));
  const auto b = other_->start_run("schedule", slot, "order-285");
  EXPECT_FALSE(b.created);
  EXPECT_EQ(b.run.id, a.run.id);
  EXPECT_EQ(b.run.status, "cancelled");
}

TEST_F(RefreshStoreTest, TwoReplicasNeverLeaseTheSameItemAndExpiredLeasesComeBack) {
  const auto run = refresh_->start_run("api", std::nullopt, "order-285").run;
  const auto mine = refresh_->lease_items(run.id, "replica-a", 60s, 2);
  const auto theirs = other_->lease_items(run.id, "replica-b", 60s, 5);
  ASSERT_EQ(mine.size(), 2u);
  ASSERT_EQ(theirs.size(), 1u);
  std::set<std::string> all;
  for (const auto& i : mine) all.insert(i.supplier_id);
  for (const auto& i : theirs) all.insert(i.supplier_id);
  EXPECT_EQ(all.size(), 3u);
  EXPECT_TRUE(other_->lease_items(run.id, "replica-b", 60s, 5).empty()) << "all leased";

  // replica-a dies: its leases expire and replica-b takes the items over.
  expire_leases();
  const auto taken = other_->lease_items(run.id, "replica-b", 60s, 5);
  ASSERT_EQ(taken.size(), 3u) << "both of replica-a's, and replica-b's own expired one";
  for (const auto& i : taken) {
    EXPECT_EQ(i.leases, 2);
    EXPECT_EQ(i.attempts, 0) << "an expired lease is not a failed attempt";
  }
  // replica-a wakes up and tries to complete: its lease is gone, nothing is written.
  pqxx::work txn(*connection_);
  EXPECT_FALSE(refresh_->complete_item(txn, mine[0], "replica-a", {}, 0));
  txn.abort();
}

TEST_F(RefreshStoreTest, CompletedItemsFinishTheRunWithOutcomesPerSystem) {
  const auto run = refresh_->start_run("api", std::nullopt, "order-285").run;
  const auto items = refresh_->lease_items(run.id, "a", 60s, 10);
  ASSERT_EQ(items.size(), 3u);
  for (std::size_t i = 0; i < items.size(); ++i) {
    pqxx::work txn(*connection_);
    boost::json::object outcomes{{"gbd_ul", "data"}, {"kgd", i == 0 ? "unavailable" : "data"}};
    ASSERT_TRUE(refresh_->complete_item(txn, items[i], "a", outcomes, static_cast<int>(i)));
    txn.commit();
    EXPECT_EQ(refresh_->finish_if_complete(run.id), i + 1 == items.size());
  }
  const auto p = refresh_->progress(run.id);
  EXPECT_EQ(p.done, 3);
  EXPECT_EQ(p.triggers, 0 + 1 + 2);
  EXPECT_EQ(p.outcomes.at("kgd").at("unavailable"), 1);
  EXPECT_EQ(p.outcomes.at("kgd").at("data"), 2);
  EXPECT_EQ(p.run.status, "done");
  EXPECT_GT(p.rate_per_second, 0);
  EXPECT_FALSE(p.eta.has_value()) << "a finished run has no ETA";
}

TEST_F(RefreshStoreTest, AnItemThatKeepsFailingIsFailedAfterMaxAttempts) {
  const auto run = refresh_->start_run("api", std::nullopt, "order-285").run;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto items = refresh_->lease_items(run.id, "a", 60s, 1);
    ASSERT_EQ(items.size(), 1u);
    ASSERT_EQ(items[0].supplier_id, "150340012340") << "ordered by supplier id";
    EXPECT_EQ(items[0].attempts, attempt - 1) << "failures recorded before this lease";
    EXPECT_EQ(items[0].leases, attempt);
    refresh_->release_item(items[0], "a", "database went away", 3);
  }
  const auto p = refresh_->progress(run.id);
  EXPECT_EQ(p.failed, 1);
  EXPECT_EQ(p.pending, 2);
}

// Ten replicas killed mid-refresh must not use up an item's attempts: only a failure a worker
// recorded counts toward max_attempts, a lease left to expire does not.
TEST_F(RefreshStoreTest, LeasesLostToCrashesAreNotFailedAttempts) {
  const auto run = refresh_->start_run("api", std::nullopt, "order-285").run;
  constexpr int kCrashes = 5;
  for (int crash = 1; crash <= kCrashes; ++crash) {
    auto items = refresh_->lease_items(run.id, "replica-" + std::to_string(crash), 60s, 1);
    ASSERT_EQ(items.size(), 1u);
    ASSERT_EQ(items[0].supplier_id, "150340012340");
    EXPECT_EQ(items[0].leases, crash);
    EXPECT_EQ(items[0].attempts, 0);
    expire_leases();  // the replica died holding it
  }
  auto items = refresh_->lease_items(run.id, "survivor", 60s, 1);
  ASSERT_EQ(items.size(), 1u);
  ASSERT_EQ(items[0].supplier_id, "150340012340");
  EXPECT_EQ(items[0].leases, kCrashes + 1);
  refresh_->release_item(items[0], "survivor", "gbd_ul: connection reset", 3);

  const auto p = refresh_->progress(run.id);
  EXPECT_EQ(p.failed, 0) << "one real failure of three allowed";
  EXPECT_EQ(p.pending, 3);
  EXPECT_EQ(test::query_value(*connection_,
                              "SELECT state || ' ' || attempts || ' ' || leases FROM refresh_items"
                              " WHERE supplier_id = '150340012340'"),
            "pending 1 6");

  // Two more real failures, and only then is it failed.
  for (int failure = 2; failure <= 3; ++failure) {
    items = refresh_->lease_items(run.id, "survivor", 60s, 1);
    ASSERT_EQ(items.size(), 1u);
    ASSERT_EQ(items[0].supplier_id, "150340012340");
    EXPECT_EQ(items[0].attempts, failure - 1);
    refresh_->release_item(items[0], "survivor", "gbd_ul: connection reset", 3);
  }
  EXPECT_EQ(refresh_->progress(run.id).failed, 1);
}

TEST_F(RefreshStoreTest, SequencesArePerSupplierAndDeliveryKeepsTheirOrder) {
  EXPECT_EQ(enqueue("180340021791", "block", "00000000-0000-4000-8000-000000000001"), 1);
  EXPECT_EQ(enqueue("180340021791", "deregister", "00000000-0000-4000-8000-000000000002"), 2);
  EXPECT_EQ(enqueue("150340012340", "warning", "00000000-0000-4000-8000-000000000003"), 1);
  // Only the head of each supplier's queue is leased.
  auto first = refresh_->lease_deliveries("d1", 60s, 10);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].id, "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(first[1].id, "00000000-0000-4000-8000-000000000003");
  EXPECT_EQ(first[0].body, R"({"trigger_id":"00000000-0000-4000-8000-000000000001","sequence":1})");
  EXPECT_TRUE(other_->lease_deliveries("d2", 60s, 10).empty()) << "leased, and #2 waits for #1";
  ASSERT_TRUE(refresh_->mark_delivered(first[0].id, "d1", 202));
  auto second = other_->lease_deliveries("d2", 60s, 10);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].sequence, 2);
}

TEST_F(RefreshStoreTest, FailedDeliveriesRetryLaterAndADeadLetterLetsTheNextOneGo) {
  enqueue("180340021791", "block", "00000000-0000-4000-8000-00000000000a");
  enqueue("180340021791", "unblock", "00000000-0000-4000-8000-00000000000b");
  auto leased = refresh_->lease_deliveries("d", 60s, 10);
  ASSERT_EQ(leased.size(), 1u);
  // A retry scheduled in the future is not due yet, and holds the unblock behind it.
  ASSERT_TRUE(
      refresh_->mark_failed(leased[0].id, "d", "HTTP 503", 503, xsd_time::now_ms() + 1h, false));
  EXPECT_TRUE(refresh_->lease_deliveries("d", 60s, 10).empty());
  {
    pqxx::work txn(*connection_);
    txn.exec("UPDATE triggers SET next_attempt_at = now()");
    txn.commit();
  }
  leased = refresh_->lease_deliveries("d", 60s, 10);
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased[0].attempts, 1);
  ASSERT_TRUE(refresh_->mark_failed(leased[0].id, "d", "HTTP 400 invalid body", 400,
                                    xsd_time::now_ms(), true));
  // Dead: visible, and the supplier's next trigger goes on (contracts/portal).
  TriggerFilter dead;
  dead.status = "dead";
  ASSERT_EQ(refresh_->triggers(dead).size(), 1u);
  EXPECT_EQ(refresh_->trigger_counts().dead, 1);
  EXPECT_EQ(*refresh_->triggers(dead)[0].last_error, "HTTP 400 invalid body");
  leased = refresh_->lease_deliveries("d", 60s, 10);
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased[0].kind, "unblock");
  ASSERT_TRUE(refresh_->mark_delivered(leased[0].id, "d", 202));
  // Replayed: back in the queue with its attempts reset.
  ASSERT_TRUE(refresh_->replay("00000000-0000-4000-8000-00000000000a"));
  EXPECT_FALSE(refresh_->replay("00000000-0000-4000-8000-00000000000a")) << "no longer dead";
  leased = refresh_->lease_deliveries("d", 60s, 10);
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased[0].kind, "block");
  EXPECT_EQ(leased[0].attempts, 0);
}

TEST_F(RefreshStoreTest, ALostDeliveryLeaseIsTakenOverAndTheLateOwnerCannotMarkIt) {
  enqueue("180340021791", "block", "00000000-0000-4000-8000-0000000000c1");
  ASSERT_EQ(refresh_->lease_deliveries("crashed", 60s, 10).size(), 1u);
  expire_leases();
  const auto taken = other_->lease_deliveries("survivor", 60s, 10);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_FALSE(refresh_->mark_delivered(taken[0].id, "crashed", 200));
  EXPECT_TRUE(other_->mark_delivered(taken[0].id, "survivor", 200));
}

TEST_F(RefreshStoreTest, ThePullApiPagesByCursorAndShowsOverdueTriggers) {
  for (int i = 0; i < 5; ++i)
    enqueue(i % 2 ? "180340021791" : "150340012340", "warning",
            "00000000-0000-4000-8000-00000000001" + std::to_string(i));
  TriggerFilter page;
  page.limit = 2;
  const auto first = refresh_->triggers(page);
  ASSERT_EQ(first.size(), 2u);
  page.after = first.back().cursor;
  const auto second = refresh_->triggers(page);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_GT(second[0].cursor, first[1].cursor);
  page.supplier_id = "180340021791";
  page.after = 0;
  page.limit = 100;
  EXPECT_EQ(refresh_->triggers(page).size(), 2u);

  {
    pqxx::work txn(*connection_);
    txn.exec("UPDATE triggers SET deadline = now() - interval '1 hour' WHERE sequence = 1");
    txn.commit();
  }
  TriggerFilter overdue;
  overdue.overdue_only = true;
  EXPECT_EQ(refresh_->triggers(overdue).size(), 2u);
  EXPECT_EQ(refresh_->trigger_counts().overdue, 2);
}

// A kind the law gives no deadline (a block, a warning) is stored without one, and is never
// overdue however old; a review keeps its first step's deadline.
TEST_F(RefreshStoreTest, ATriggerWithoutALegalDeadlineIsStoredWithoutOneAndNeverOverdue) {
  NewTrigger block;
  block.id = "5d3c2b1a-0000-4000-8000-000000000001";
  block.supplier_id = "180340021791";
  block.kind = "block";
  block.rule_set = "order-285";
  block.data_received_at = xsd_time::now_ms() - 72h;
  NewTrigger review = block;
  review.id = "5d3c2b1a-0000-4000-8000-000000000002";
  review.kind = "review";
  review.deadline = xsd_time::now_ms() - 1h;
  review.deadline_estimate = true;
  {
    pqxx::work txn(*connection_);
    for (const auto* t : {&block, &review})
      refresh_->enqueue_trigger(txn, *t, [&](long long) { return std::string("{}"); });
    txn.commit();
  }
  TriggerFilter all;
  const auto rows = refresh_->triggers(all);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].kind, "block");
  EXPECT_FALSE(rows[0].deadline);
  EXPECT_FALSE(rows[0].deadline_estimate);
  EXPECT_EQ(rows[1].kind, "review");
  ASSERT_TRUE(rows[1].deadline);
  EXPECT_EQ(*rows[1].deadline, *review.deadline);
  EXPECT_TRUE(rows[1].deadline_estimate);
  TriggerFilter overdue;
  overdue.overdue_only = true;
  const auto late = refresh_->triggers(overdue);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].kind, "review");
  EXPECT_EQ(refresh_->trigger_counts().overdue, 1);
}

// A reader of the pull API that saw cursor n+1 pages past n for good: so a trigger written by a
// transaction that has not committed yet must hold back the ones written after it.
TEST_F(RefreshStoreTest, CursorsBecomeVisibleInTheirOrderSoThePullApiNeverPagesPastOne) {
  auto trigger = [](const std::string& supplier, const std::string& id) {
    NewTrigger t;
    t.id = id;
    t.supplier_id = supplier;
    t.kind = "warning";
    t.rule_set = "order-285";
    t.data_received_at = xsd_time::now_ms();
    t.deadline = xsd_time::now_ms() + 24h;
    return t;
  };
  auto body = [](long long sequence) { return "{\"sequence\":" + std::to_string(sequence) + "}"; };
  // Replica 1 writes a trigger and is slow to commit; replica 2 writes one meanwhile.
  pqxx::work slow(*connection_);
  refresh_->enqueue_trigger(slow, trigger("150340012340", "00000000-0000-4000-8000-0000000000d1"),
                            body);
  std::atomic<int> quick_pid{0};
  std::atomic<bool> quick_done{false};
  std::string quick_error;
  std::jthread quick([&] {
    try {
      auto connection = schema_->connect();
      quick_pid = connection->backendpid();
      pqxx::work txn(*connection);
      RefreshStore(*connection)
          .enqueue_trigger(txn, trigger("180340021791", "00000000-0000-4000-8000-0000000000d2"),
                           body);
      txn.commit();
    } catch (const std::exception& e) {
      quick_error = e.what();
    }
    quick_done = true;
  });
  // Replica 2 waits for replica 1's commit (PostgreSQL shows it waiting on a lock).
  std::string waiting;
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (waiting != "Lock" && !quick_done && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(10ms);
    if (quick_pid == 0) continue;
    pqxx::work look(*other_connection_);
    const auto rows = look.exec_params(
        "SELECT coalesce(wait_event_type, '') FROM pg_stat_activity WHERE pid = $1",
        quick_pid.load());
    if (!rows.empty()) waiting = rows[0][0].as<std::string>();
  }
  EXPECT_EQ(waiting, "Lock") << "replica 2 wrote its trigger before replica 1 committed";
  EXPECT_TRUE(other_->triggers({}).empty());
  slow.commit();
  quick.join();
  ASSERT_EQ(quick_error, "");
  const auto both = other_->triggers({});
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].id, "00000000-0000-4000-8000-0000000000d1");
  EXPECT_LT(both[0].cursor, both[1].cursor);
}

TEST_F(RefreshStoreTest, TheRegisterMirrorIsKeptPerRun) {
  const auto run = refresh_->start_run("api", std::nullopt, "order-285").run;
  std::map<std::string, boost::json::array> entries;
  entries["150340012340"] = boost::json::array{boost::json::object{{"index_date", "2026-11-20"}}};
  refresh_->save_mirror(run.id, "goszakup", {{"outcome", "data"}, {"rows", 1}}, entries);
  pqxx::work txn(*connection_);
  const auto listed = refresh_->mirror_of(txn, run.id, "goszakup", "150340012340");
  ASSERT_TRUE(listed.status);
  EXPECT_EQ(listed.status->at("rows").as_int64(), 1);
  EXPECT_FALSE(refresh_->mirror_of(txn, run.id, "samruk", "150340012340").status);
  EXPECT_EQ(listed.entries.size(), 1u);
  EXPECT_TRUE(refresh_->mirror_of(txn, run.id, "goszakup", "180340021791").entries.empty());
}

TEST_F(RefreshStoreTest, AMirrorWrittenPageByPageKeepsEachSubjectsRowsInRegisterOrder) {
  const auto run = refresh_->start_run("api", std::nullopt, "order-285").run;
  // Two pages; one subject's rows are on both, and one row names no BIN/IIN.
  refresh_->save_mirror_page(run.id, "fetch-1",
                             {{0, "150340012340", R"({"id":1})"},
                              {1, "180340021791", R"({"id":2})"},
                              {2, "not-a-bin", R"({"id":3})"}});
  refresh_->save_mirror_page(run.id, "fetch-1", {{3, "150340012340", R"({"id":4})"}});
  // Another fetch of the same run in flight (another replica): untouched by this one's finish.
  refresh_->save_mirror_page(run.id, "fetch-2", {{0, "150340012340", R"({"id":9})"}});
  {
    pqxx::work txn(*connection_);
    refresh_->finish_mirror(txn, run.id, "goszakup", "fetch-1", {{"outcome", "data"}, {"rows", 4}},
                            true);
    txn.commit();
  }
  {
    pqxx::work txn(*connection_);
    const auto listed = refresh_->mirror_of(txn, run.id, "goszakup", "150340012340");
    ASSERT_TRUE(listed.status);
    EXPECT_EQ(boost::json::serialize(listed.entries), R"([{"id":1},{"id":4}])");
    EXPECT_EQ(refresh_->mirror_of(txn, run.id, "goszakup", "180340021791").entries.size(), 1u);
    EXPECT_EQ(txn.exec1("SELECT count(*) FROM register_mirror_entries")[0].as<int>(), 2)
        << "the row without a BIN/IIN lists nobody";
    EXPECT_EQ(txn.exec1("SELECT count(*) FROM register_mirror_pages")[0].as<int>(), 1)
        << "the finished fetch's pages are gone, the other fetch's stay";
  }

  // An incomplete fetch replaces the mirror with its status and no entries.
  refresh_->save_mirror_page(run.id, "fetch-3", {{0, "180340021791", R"({"id":5})"}});
  {
    pqxx::work txn(*connection_);
    refresh_->finish_mirror(txn, run.id, "goszakup", "fetch-3",
                            {{"outcome", "unavailable"}, {"cause", "page 2: timeout"}}, false);
    txn.commit();
  }
  {
    pqxx::work txn(*connection_);
    const auto status = refresh_->mirror_of(txn, run.id, "goszakup", "180340021791").status;
    ASSERT_TRUE(status);
    EXPECT_EQ(status->at("outcome").as_string(), "unavailable");
    EXPECT_EQ(txn.exec1("SELECT count(*) FROM register_mirror_entries")[0].as<int>(), 0);
  }

  // A fetch that died with its run: its pages go at the next run's finish.
  ASSERT_TRUE(refresh_->cancel_run(run.id));
  const auto next = refresh_->start_run("api", std::nullopt, "order-285").run;
  refresh_->save_mirror(next.id, "goszakup", {{"outcome", "data"}, {"rows", 0}}, {});
  pqxx::work txn(*connection_);
  EXPECT_EQ(txn.exec1("SELECT count(*) FROM register_mirror_pages")[0].as<int>(), 0);
}

TEST_F(RefreshStoreTest, TriggerStateIsStoredPerSupplier) {
  pqxx::work txn(*connection_);
  EXPECT_FALSE(refresh_->lock_trigger_state(txn, "180340021791"));
  refresh_->save_trigger_state(txn, "180340021791",
                               boost::json::parse(R"({"block_grounds":["p15.3"]})"));
  txn.commit();
  pqxx::work again(*connection_);
  const auto state = refresh_->lock_trigger_state(again, "180340021791");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->at("block_grounds").as_array().size(), 1u);
}

}  // namespace
}  // namespace tekser::store

// Store::migrate(): embedded SQL, applied once, in order, serialised across connections.
#include <algorithm>
#include <latch>
#include <thread>

#include <gtest/gtest.h>

#include "gateway/store/audit_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/store.hpp"
#include "tests/store/test_db.hpp"

namespace tekser::store {
namespace {

using test::FreshSchema;
using test::query_value;

std::vector<int> all_versions() {
  std::vector<int> versions;
  for (const auto& m : embedded_migrations()) versions.push_back(m.version);
  std::sort(versions.begin(), versions.end());
  return versions;
}

TEST(Migrations, AreEmbeddedFromTheSqlFiles) {
  auto migrations = embedded_migrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "init");
  EXPECT_NE(migrations[0].sql.find("CREATE TABLE suppliers"), std::string_view::npos);
  auto versions = all_versions();
  EXPECT_EQ(std::adjacent_find(versions.begin(), versions.end()), versions.end())
      << "duplicate versions";
}

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test::conninfo().empty()) GTEST_FAIL() << "no PostgreSQL: run through ctest";
    schema_ = std::make_unique<FreshSchema>();
  }
  // The store as it was before `version`, recorded as Store::migrate() records it, so that a
  // test can put rows of then into it and migrate the rest.
  static void migrate_below(pqxx::work& txn, int version) {
    txn.exec(
        "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())");
    for (const auto& m : embedded_migrations()) {
      if (m.version >= version) continue;
      txn.exec(std::string(m.sql));
      txn.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version,
                      std::string(m.name));
    }
  }
  std::unique_ptr<FreshSchema> schema_;
};

TEST_F(MigrationsTest, MigrationsApplyOnceAndAreIdempotent) {
  auto connection = schema_->connect();
  Store store(*connection);

  EXPECT_EQ(store.migrate(), all_versions());
  EXPECT_TRUE(store.migrate().empty());
  EXPECT_TRUE(store.migrate().empty());

  EXPECT_EQ(query_value(*connection, "SELECT count(*) FROM schema_migrations"),
            std::to_string(all_versions().size()));
  EXPECT_EQ(query_value(*connection, "SELECT name FROM schema_migrations WHERE version = 1"),
            "init");
  EXPECT_EQ(
      query_value(*connection, "SELECT count(*) FROM schema_migrations WHERE applied_at <= now()"),
      std::to_string(all_versions().size()));
  // The tables went into the test's own schema.
  for (const char* table :
       {"suppliers", "facts_current", "fact_history", "source_status", "message_log"}) {
    EXPECT_EQ(query_value(*connection, std::string("SELECT to_regclass('") + schema_->name() + "." +
                                           table + "') IS NOT NULL"),
              "t")
        << table;
  }

  // A second connection (another replica) finds nothing to do.
  auto other = schema_->connect();
  EXPECT_TRUE(Store(*other).migrate().empty());
}

// Migration 0190: the confirmations kept one row per fact become one row per reply, naming its
// facts; the current facts read the same provenance from them as before.
TEST_F(MigrationsTest, ConfirmationsKeptPerFactBecomeOneRowPerReply) {
  auto connection = schema_->connect();
  {
    pqxx::work txn(*connection);
    migrate_below(txn, 190);
    txn.exec(
        "INSERT INTO suppliers (id, subject_kind, categories, created_at, updated_at)"
        " VALUES ('150340012340', 'legal_entity', ARRAY['invataxi'], now(), now())");
    txn.exec(
        "INSERT INTO facts_current (supplier_id, system, fact_name, value, service_id, message_id,"
        " reply_message_id, retrieved_at, valid_until, reply_sha256, first_seen_at, checked_at,"
        " signature) SELECT '150340012340', 'gbd_ul', f, '1', 'S', m, 'r-' || m, c,"
        " c + interval '30 days', repeat(d, 64), '2026-11-01Z', c, 'not_checked' FROM (VALUES"
        "  ('kind', 'm-3', '2026-11-15Z'::timestamptz, '3'), ('names', 'm-2', '2026-11-08Z', '2'),"
        "  ('status', 'm-3', '2026-11-15Z', '3')) AS t(f, m, c, d)");
    // Two replies: m-2 confirmed three facts, m-3 (a week later) two of them. Before 0190 each
    // confirmation also rewrote its fact's row (above).
    txn.exec(
        "INSERT INTO fact_confirmations (supplier_id, system, fact_name, service_id, message_id,"
        " reply_message_id, retrieved_at, valid_until, reply_sha256, signature, confirmed_at)"
        " SELECT '150340012340', 'gbd_ul', f, 'S', m, 'r-' || m, c, c + interval '30 days',"
        " repeat(d, 64), 'not_checked', c FROM (VALUES"
        "  ('status', 'm-2', '2026-11-08Z'::timestamptz, '2'),"
        "  ('kind', 'm-2', '2026-11-08Z', '2'), ('names', 'm-2', '2026-11-08Z', '2'),"
        "  ('kind', 'm-3', '2026-11-15Z', '3'), ('status', 'm-3', '2026-11-15Z', '3'))"
        " AS t(f, m, c, d)");
    txn.commit();
  }
  const auto applied = Store(*connection).migrate();
  ASSERT_FALSE(applied.empty());
  EXPECT_EQ(applied.front(), 190);
  EXPECT_EQ(query_value(*connection, "SELECT to_regclass('fact_confirmations') IS NULL"), "t");
  EXPECT_EQ(query_value(*connection,
                        "SELECT string_agg(message_id || ':' || array_to_string(fact_names, ','),"
                        " ' ' ORDER BY id) FROM reply_confirmations"),
            "m-2:kind,names,status m-3:kind,status");
  // names was last confirmed by m-2, the others by m-3, as their rows said.
  std::string provenance;
  for (const auto& f : Store(*connection).current_facts("150340012340"))
    provenance += f.fact.name + ":" + f.fact.provenance.message_id + ":" +
                  f.fact.provenance.reply_sha256.substr(0, 1) + " ";
  EXPECT_EQ(provenance, "kind:m-3:3 names:m-2:2 status:m-3:3 ");
}

// Migration 0210: the audit rows not finished before it are listed apart, and still finish.
TEST_F(MigrationsTest, AuditRowsUnfinishedBeforeTheListAreListed) {
  auto connection = schema_->connect();
  {
    pqxx::work txn(*connection);
    migrate_below(txn, 210);
    txn.exec(
        "INSERT INTO audit_log (asked_at, client, system, service_id, message_id, purpose,"
        " outcome, finished_at) VALUES"
        " (now(), 'c', 'gbd_ul', 'S', 'm-pending', 'p', 'pending', NULL),"
        " (now() - interval '1 hour', 'c', 'gbd_ul', 'S', 'm-interrupted', 'p', 'interrupted',"
        "  now()),"
        " (now(), 'c', 'gbd_ul', 'S', 'm-done', 'p', 'no_data', now())");
    txn.commit();
  }
  Store(*connection).migrate();
  AuditStore audit(*connection);
  const auto before = audit.unfinished();
  EXPECT_EQ(before.pending, 1);
  EXPECT_EQ(before.interrupted, 1);
  EXPECT_EQ(audit.mark_interrupted(std::chrono::minutes(0)), 1);
  AuditEntry answer;
  answer.client = "c";
  answer.purpose = "p";
  answer.system = "gbd_ul";
  answer.service_id = "S";
  answer.message_id = "m-interrupted";
  answer.outcome = facts::Outcome::no_data;
  audit.complete(answer);
  const auto after = audit.unfinished();
  EXPECT_EQ(after.pending, 0);
  EXPECT_EQ(after.interrupted, 1) << "m-pending, called interrupted just now";
  EXPECT_EQ(query_value(*connection,
                        "SELECT outcome FROM audit_log WHERE message_id ="
                        " 'm-interrupted'"),
            "no_data");
}

TEST_F(MigrationsTest, ConcurrentMigrateFromTwoConnectionsAppliesOnce) {
  // Several rounds, each in a fresh schema, to give the race a real chance.
  for (int round = 0; round < 5; ++round) {
    FreshSchema schema;
    auto a = schema.connect();
    auto b = schema.connect();
    std::vector<int> applied_a, applied_b;
    std::exception_ptr error_a, error_b;
    std::latch go(2);
    auto run = [&go](pqxx::connection& c, std::vector<int>& applied, std::exception_ptr& error) {
      go.arrive_and_wait();
      try {
        applied = Store(c).migrate();
      } catch (...) {
        error = std::current_exception();
      }
    };
    std::thread ta(run, std::ref(*a), std::ref(applied_a), std::ref(error_a));
    std::thread tb(run, std::ref(*b), std::ref(applied_b), std::ref(error_b));
    ta.join();
    tb.join();
    ASSERT_FALSE(error_a) << "round " << round;
    ASSERT_FALSE(error_b) << "round " << round;

    std::vector<int> together = applied_a;
    together.insert(together.end(), applied_b.begin(), applied_b.end());
    std::sort(together.begin(), together.end());
    EXPECT_EQ(together, all_versions()) << "each version applied exactly once, round " << round;
    EXPECT_EQ(query_value(*a, "SELECT count(*) FROM schema_migrations"),
              std::to_string(all_versions().size()));
  }
}

TEST_F(MigrationsTest, AFailedMigrationLeavesNoTrace) {
  auto connection = schema_->connect();
  {
    // A table in the way makes migration 1 fail half-way through.
    pqxx::nontransaction txn(*connection);
    txn.exec("CREATE TABLE message_log (x int)");
  }
  EXPECT_THROW(Store(*connection).migrate(), pqxx::sql_error);
  EXPECT_EQ(query_value(*connection, "SELECT to_regclass('suppliers') IS NULL"), "t");
  EXPECT_EQ(query_value(*connection, "SELECT to_regclass('schema_migrations') IS NULL"), "t");
}

}  // namespace
}  // namespace tekser::store

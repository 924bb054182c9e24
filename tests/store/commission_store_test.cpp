// The commission's decisions (migration 0100): recorded and listed in order, never rewritten, and
// the table refuses what no decision can be (a deregistration without its ground, a
// re-registration with one, a supplier nobody registered).
#include <gtest/gtest.h>

#include "gateway/store/commission_store.hpp"
#include "gateway/store/store.hpp"
#include "tests/store/test_db.hpp"

namespace tekser::store {
namespace {

using test::StoreTest;

constexpr const char* kBin = "180340021791";

class CommissionStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (store_) add_supplier(kBin);
  }

  CommissionDecisionRow row(std::string kind, std::string ground, std::string on) {
    CommissionDecisionRow r;
    r.supplier_id = kBin;
    r.kind = std::move(kind);
    r.ground = std::move(ground);
    r.decided_on = std::move(on);
    r.protocol_number = "12/2026";
    r.recorded_by = "portal";
    return r;
  }
};

TEST_F(CommissionStoreTest, DecisionsAreRecordedListedInOrderAndNeverRewritten) {
  {
    pqxx::work txn(*connection_);
    const auto first = CommissionStore::record(txn, row("deregistration", "p15.5", "2025-02-28"));
    EXPECT_GT(first.id, 0);
    EXPECT_GT(first.recorded_at.time_since_epoch().count(), 0);
    CommissionStore::record(txn, row("reregistration", "", "2026-03-01"));
    txn.commit();
  }
  pqxx::work txn(*connection_);
  const auto listed = CommissionStore::list(txn, kBin);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].kind, "deregistration");
  EXPECT_EQ(listed[0].ground, "p15.5");
  EXPECT_EQ(listed[0].decided_on, "2025-02-28");
  EXPECT_EQ(listed[1].kind, "reregistration");
  EXPECT_TRUE(listed[1].ground.empty());
  EXPECT_LT(listed[0].id, listed[1].id);
  txn.abort();

  for (const char* sql : {"UPDATE commission_decisions SET protocol_number = 'x'",
                          "DELETE FROM commission_decisions"}) {
    pqxx::work change(*connection_);
    EXPECT_THROW(change.exec(sql), pqxx::insufficient_privilege) << sql;
  }
}

TEST_F(CommissionStoreTest, TheTableRefusesWhatNoDecisionCanBe) {
  const auto refused = [&](CommissionDecisionRow r) {
    pqxx::work txn(*connection_);
    try {
      CommissionStore::record(txn, std::move(r));
    } catch (const pqxx::sql_error&) {
      return true;
    }
    return false;
  };
  EXPECT_TRUE(refused(row("deregistration", "", "2026-11-01"))) << "a deregistration has a ground";
  EXPECT_TRUE(refused(row("reregistration", "p15.3", "2026-11-01")));
  EXPECT_TRUE(refused(row("deregistration", "p15.6", "2026-11-01")));
  EXPECT_TRUE(refused(row("suspension", "", "2026-11-01")));
  auto nobody = row("deregistration", "p15.3", "2026-11-01");
  nobody.supplier_id = "020340000003";
  EXPECT_TRUE(refused(nobody)) << "only a registered supplier";
  auto no_protocol = row("deregistration", "p15.3", "2026-11-01");
  no_protocol.protocol_number.clear();
  EXPECT_TRUE(refused(no_protocol));
}

}  // namespace
}  // namespace tekser::store

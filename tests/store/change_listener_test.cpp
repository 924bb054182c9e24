// The change notices of migration 0150 through a ChangeListener on the real PostgreSQL: every
// committed change to what a supplier's view shows is noticed with its id, a rolled-back one never,
// and a listener whose connection is cut says so and listens again.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gateway/store/change_listener.hpp"
#include "tests/store/test_db.hpp"

namespace tekser::store {
namespace {

using namespace std::chrono_literals;
using test::StoreTest;

constexpr const char* kChannel = "tekser_supplier_changed";

// What the listener heard, waited on with a deadline.
class Heard {
 public:
  ChangeListener::Handlers handlers() {
    ChangeListener::Handlers h;
    h.listening = [this] { add(listening_, 1); };
    h.lost = [this](const std::string&) { add(lost_, 1); };
    h.notice = [this](const std::string& payload) {
      std::lock_guard lock(mutex_);
      notices_.push_back(payload);
      changed_.notify_all();
    };
    return h;
  }
  bool wait_listening(int times) {
    return wait([&] { return listening_ >= times; });
  }
  bool wait_lost(int times) {
    return wait([&] { return lost_ >= times; });
  }
  bool wait_notice(const std::string& payload) {
    return wait([&] {
      for (const auto& n : notices_)
        if (n == payload) return true;
      return false;
    });
  }
  int count(const std::string& payload) {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& p : notices_) n += p == payload;
    return n;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    notices_.clear();
  }

 private:
  void add(int& counter, int by) {
    std::lock_guard lock(mutex_);
    counter += by;
    changed_.notify_all();
  }
  template <typename Pred>
  bool wait(Pred pred) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, pred);
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> notices_;
  int listening_ = 0;
  int lost_ = 0;
};

facts::SourceResult gbd_ul_status(const std::string& message_id, const char* status) {
  facts::SourceResult r;
  r.system = "gbd_ul";
  r.service_id = "GbdulInfoByBin_v2";
  r.outcome = facts::Outcome::data;
  r.provenance.system = "gbd_ul";
  r.provenance.service_id = r.service_id;
  r.provenance.message_id = message_id;
  r.provenance.reply_message_id = "reply-" + message_id;
  r.provenance.retrieved_at = xsd_time::now_ms();
  r.provenance.valid_until = r.provenance.retrieved_at + 24h;
  r.provenance.reply_sha256 = std::string(64, 'a');
  r.facts.push_back({"status", boost::json::value(status), r.provenance});
  return r;
}

TEST_F(StoreTest, EveryCommittedChangeToASupplierViewIsNoticedByItsId) {
  Heard heard;
  ChangeListener listener(test::conninfo(), kChannel, heard.handlers());
  ASSERT_TRUE(heard.wait_listening(1));

  add_supplier("777000000001");
  EXPECT_TRUE(heard.wait_notice("777000000001"));  // suppliers insert

  heard.clear();
  store_->record_verification({"777000000001", {gbd_ul_status("m-1", "active")}, {}, {}});
  EXPECT_TRUE(heard.wait_notice("777000000001"));  // facts, source status, last_verified_at

  // A change rolled back is never announced. Notices come in commit order: once a later commit's
  // notice is in, an earlier one would be too.
  heard.clear();
  {
    pqxx::work txn(*connection_);
    txn.exec("UPDATE facts_current SET checked_at = now() WHERE supplier_id = '777000000001'");
    txn.abort();
  }
  add_supplier("777000000002");
  ASSERT_TRUE(heard.wait_notice("777000000002"));
  EXPECT_EQ(heard.count("777000000001"), 0);

  // One notice per supplier and transaction, however many rows changed.
  heard.clear();
  {
    pqxx::work txn(*connection_);
    txn.exec("UPDATE source_status SET cause = 'a' WHERE supplier_id = '777000000001'");
    txn.exec("UPDATE source_status SET cause = 'b' WHERE supplier_id = '777000000001'");
    txn.exec("DELETE FROM facts_current WHERE supplier_id = '777000000001'");
    txn.commit();
  }
  add_supplier("777000000002");
  ASSERT_TRUE(heard.wait_notice("777000000002"));
  EXPECT_EQ(heard.count("777000000001"), 1);

  // Many suppliers at once: one notice that names them all.
  heard.clear();
  {
    pqxx::work txn(*connection_);
    txn.exec(
        "INSERT INTO suppliers (id, subject_kind, categories, created_at, updated_at)"
        " SELECT lpad(n::text, 12, '0'), 'legal_entity', '{technical_aids}', now(), now()"
        " FROM generate_series(1, 1001) AS n");
    txn.commit();
  }
  EXPECT_TRUE(heard.wait_notice("*"));
}

TEST_F(StoreTest, AListenerWhoseConnectionIsCutSaysSoAndListensAgain) {
  Heard heard;
  // A channel of its own: the cut below must not reach another test's listener.
  ChangeListener listener(test::conninfo(), "tekser_test_listener_cut", heard.handlers(), 50ms);
  ASSERT_TRUE(heard.wait_listening(1));
  {
    pqxx::work txn(*connection_);
    const auto cut = txn.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE query = 'LISTEN \"tekser_test_listener_cut\"'");
    txn.commit();
    ASSERT_GE(cut.size(), 1u);
  }
  EXPECT_TRUE(heard.wait_lost(1));
  ASSERT_TRUE(heard.wait_listening(2));
  // Listening again, on the same channel.
  {
    pqxx::work txn(*connection_);
    txn.exec("NOTIFY tekser_test_listener_cut, 'again'");
    txn.commit();
  }
  EXPECT_TRUE(heard.wait_notice("again"));
}

}  // namespace
}  // namespace tekser::store

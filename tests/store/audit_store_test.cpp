// The audit (migration 0040): one row per exchange, written with its message-log row; append-only
// whatever the statement (UPDATE, DELETE, TRUNCATE); queried by subject, client, system, time,
// with a cursor.
#include <gtest/gtest.h>

#include "gateway/store/audit_store.hpp"
#include "gateway/store/store.hpp"
#include "tests/store/test_db.hpp"

namespace tekser::store {
namespace {

using facts::Outcome;
using test::query_value;
using test::StoreTest;

constexpr const char* kBin = "180340021791";
constexpr const char* kIin = "900101300123";
constexpr const char* kRepresentative = "880315300212";

TimePoint at(const char* text) {
  auto t = xsd_time::parse_datetime(text);
  if (!t) throw std::invalid_argument(text);
  return *t;
}

MessageLogEntry message(const std::string& id, const std::string& subject,
                        const std::string& system, TimePoint started, Outcome outcome) {
  MessageLogEntry m;
  m.message_id = id;
  m.supplier_id = subject;
  m.system = system;
  m.service_id = system + "_service";
  m.endpoint = "http://shep.example/";
  m.request_body = "<request/>";
  m.outcome = outcome;
  m.cause = outcome == Outcome::data ? "" : "timeout";
  m.started_at = started;
  return m;
}

facts::SourceResult status_only(const std::string& system, Outcome outcome,
                                const std::string& message_id) {
  facts::SourceResult r;
  r.system = system;
  r.service_id = system + "_service";
  r.outcome = outcome;
  r.provenance.message_id = message_id;
  return r;
}

class AuditStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!store_) return;
    add_supplier(kBin, "legal_entity");
    add_supplier(kIin, "individual");
  }

  // One verification of `subject` asking `systems` at `when`, by `client`.
  void record(const std::string& subject, std::vector<std::string> systems, TimePoint when,
              const std::string& client, const std::string& purpose = "test purpose") {
    VerificationWrite w;
    w.supplier_id = subject;
    w.verified_at = when;
    w.audit.client = client;
    w.audit.purpose = purpose;
    for (const auto& system : systems) {
      const auto id = "m-" + std::to_string(++sequence_);
      w.messages.push_back(message(id, subject, system, when, Outcome::no_data));
      w.results.push_back(status_only(system, Outcome::no_data, id));
    }
    store_->record_verification(w);
  }

  std::vector<AuditEntry> query(AuditFilter filter) {
    return AuditStore(*connection_).query(filter);
  }

  int sequence_ = 0;
};

TEST_F(AuditStoreTest, EveryExchangeOfAVerificationIsAuditedWithWhoAndWhy) {
  const auto t1 = at("2026-11-22T10:00:00.125+05:00");
  VerificationWrite w;
  w.supplier_id = kIin;
  w.verified_at = t1;
  w.audit.client = "portal-prod";
  w.audit.purpose = "supplier registration check (order 285 p.15)";
  auto fl = message("m-fl", kIin, "gbd_fl", t1, Outcome::data);
  fl.consent_sha256 = std::string(64, 'c');
  auto kgd = message("m-kgd", kIin, "kgd", t1 + std::chrono::milliseconds(3), Outcome::unavailable);
  w.messages = {fl, kgd};
  w.results = {status_only("gbd_fl", Outcome::no_data, "m-fl"),
               status_only("kgd", Outcome::unavailable, "m-kgd")};
  store_->record_verification(w);

  const auto rows = query({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_LT(rows[0].id, rows[1].id);
  EXPECT_EQ(rows[0].client, "portal-prod");
  EXPECT_EQ(rows[0].subject, kIin);
  EXPECT_EQ(rows[0].related_subject, "");
  EXPECT_EQ(rows[0].system, "gbd_fl");
  EXPECT_EQ(rows[0].service_id, "gbd_fl_service");
  EXPECT_EQ(rows[0].message_id, "m-fl");
  EXPECT_EQ(rows[0].purpose, "supplier registration check (order 285 p.15)");
  EXPECT_EQ(rows[0].consent_sha256, std::string(64, 'c'));
  EXPECT_EQ(rows[0].outcome, Outcome::data);
  EXPECT_EQ(rows[0].asked_at, t1);
  EXPECT_EQ(rows[1].system, "kgd");
  EXPECT_EQ(rows[1].consent_sha256, "");
  EXPECT_EQ(rows[1].outcome, Outcome::unavailable);
  EXPECT_EQ(rows[1].asked_at, t1 + std::chrono::milliseconds(3));
  // The join key to the message log.
  EXPECT_EQ(query_value(*connection_,
                        "SELECT count(*) FROM audit_log a JOIN message_log m USING (message_id)"),
            "2");
}

TEST_F(AuditStoreTest, NothingSentNothingAudited) {
  VerificationWrite w;
  w.supplier_id = kIin;
  w.results = {status_only("gbd_fl", Outcome::refused, "")};  // no consent: not asked
  store_->record_verification(w);
  EXPECT_TRUE(query({}).empty());
}

TEST_F(AuditStoreTest, AnAuditRowThatCannotBeWrittenFailsTheWholeRecord) {
  VerificationWrite w;
  w.supplier_id = kBin;
  w.audit.client = "portal";
  w.audit.purpose = std::string(201, 'x');  // over the 200 characters the table allows
  w.messages = {message("m-1", kBin, "gbd_ul", at("2026-11-22T10:00:00+05:00"), Outcome::no_data)};
  w.results = {status_only("gbd_ul", Outcome::no_data, "m-1")};
  EXPECT_THROW(store_->record_verification(w), pqxx::check_violation);
  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM message_log"), "0");
  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM source_status"), "0");
  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM audit_log"), "0");

  w.audit.purpose = "ok";
  w.audit.client = "";  // nobody is not an answer either
  EXPECT_THROW(store_->record_verification(w), pqxx::check_violation);
  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM message_log"), "0");
}

TEST_F(AuditStoreTest, AppendOnlyEvenForTheGatewaysOwnConnection) {
  record(kBin, {"gbd_ul"}, at("2026-11-22T10:00:00+05:00"), "portal");
  const auto before = query_value(*connection_, "SELECT client || purpose FROM audit_log");

  const auto refused = [&](const std::string& sql) {
    pqxx::work txn(*connection_);
    try {
      txn.exec(sql);
    } catch (const pqxx::insufficient_privilege& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
      return true;
    }
    return false;
  };
  EXPECT_TRUE(refused("UPDATE audit_log SET client = 'someone else'"));
  EXPECT_TRUE(
      refused("UPDATE audit_log SET purpose = 'x' WHERE id = (SELECT min(id) FROM audit_log)"));
  EXPECT_TRUE(refused("DELETE FROM audit_log"));
  EXPECT_TRUE(refused("TRUNCATE audit_log"));

  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM audit_log"), "1");
  EXPECT_EQ(query_value(*connection_, "SELECT client || purpose FROM audit_log"), before);
  // Appending still works.
  record(kBin, {"kgd"}, at("2026-11-22T11:00:00+05:00"), "portal");
  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM audit_log"), "2");
}

TEST_F(AuditStoreTest, QueryFiltersBySubjectClientSystemAndTime) {
  const auto t1 = at("2026-11-20T10:00:00+05:00");
  const auto t2 = at("2026-11-21T10:00:00+05:00");
  const auto t3 = at("2026-11-22T10:00:00+05:00");
  record(kBin, {"gbd_ul", "kgd"}, t1, "portal");
  record(kIin, {"gbd_fl", "kgd"}, t2, "refresh-run:7", "weekly re-check (p.16)");
  record(kBin, {"gbd_ul"}, t3, "operator");
  // A power-of-attorney check: the representative is found through the related subject.
  VerificationWrite poa;
  poa.supplier_id = kBin;
  poa.verified_at = t3;
  poa.audit = {"portal", "power of attorney check (p.12)", kRepresentative, {}};
  poa.messages = {message("m-poa", kBin, "enis", t3, Outcome::data)};
  poa.results = {status_only("enis", Outcome::no_data, "m-poa")};
  store_->record_verification(poa);

  auto filter = [](auto&& set) {
    AuditFilter f;
    set(f);
    return f;
  };
  EXPECT_EQ(query(filter([](AuditFilter& f) { f.subject = kBin; })).size(), 4u);
  EXPECT_EQ(query(filter([](AuditFilter& f) { f.subject = kIin; })).size(), 2u);
  const auto representative = query(filter([](AuditFilter& f) { f.subject = kRepresentative; }));
  ASSERT_EQ(representative.size(), 1u);
  EXPECT_EQ(representative[0].subject, kBin);
  EXPECT_EQ(representative[0].related_subject, kRepresentative);
  EXPECT_EQ(representative[0].system, "enis");

  const auto refresh = query(filter([](AuditFilter& f) { f.client = "refresh-run:7"; }));
  ASSERT_EQ(refresh.size(), 2u);
  for (const auto& row : refresh) {
    EXPECT_EQ(row.subject, kIin);
    EXPECT_EQ(row.purpose, "weekly re-check (p.16)");
  }
  EXPECT_EQ(query(filter([](AuditFilter& f) { f.system = "kgd"; })).size(), 2u);
  EXPECT_EQ(query(filter([](AuditFilter& f) {
              f.system = "kgd";
              f.client = "portal";
            })).size(),
            1u);
  // since inclusive, until exclusive.
  EXPECT_EQ(query(filter([&](AuditFilter& f) { f.since = t2; })).size(), 4u);
  EXPECT_EQ(query(filter([&](AuditFilter& f) { f.until = t2; })).size(), 2u);
  EXPECT_EQ(query(filter([&](AuditFilter& f) {
              f.since = t2;
              f.until = t3;
            })).size(),
            2u);
  EXPECT_TRUE(query(filter([](AuditFilter& f) { f.subject = "000000000000"; })).empty());
}

// Issue 17 item 6: the API request that caused an exchange is kept with its audit row, from the
// row opened before the request left through its completion, and with its message-log row.
TEST_F(AuditStoreTest, TheRequestIdIsKeptWithEveryExchangeAndFindsThem) {
  const auto t1 = at("2026-11-20T10:00:00+05:00");
  for (const auto& [request_id, id] :
       {std::pair{"portal-r1", "m-r1"}, std::pair{"portal-r2", "m-r2"}, std::pair{"", "m-none"}}) {
    AuditEntry pending;
    pending.client = "portal";
    pending.purpose = "test purpose";
    pending.subject = kBin;
    pending.system = "gbd_ul";
    pending.service_id = "gbd_ul_service";
    pending.message_id = id;
    pending.request_id = request_id;
    AuditStore(*connection_).open(pending);  // before the request leaves
    VerificationWrite w;
    w.supplier_id = kBin;
    w.verified_at = t1;
    w.audit = {"portal", "test purpose", {}, request_id};
    w.messages.push_back(message(id, kBin, "gbd_ul", t1, Outcome::no_data));
    w.results.push_back(status_only("gbd_ul", Outcome::no_data, id));
    store_->record_verification(w);
  }
  // An exchange audited only when it was recorded (no row opened before) keeps it too.
  VerificationWrite late;
  late.supplier_id = kBin;
  late.verified_at = t1;
  late.audit = {"portal", "test purpose", {}, "portal-r1"};
  late.messages.push_back(message("m-r1-late", kBin, "kgd", t1, Outcome::no_data));
  late.results.push_back(status_only("kgd", Outcome::no_data, "m-r1-late"));
  store_->record_verification(late);

  AuditFilter mine;
  mine.request_id = "portal-r1";
  const auto found = query(mine);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].message_id, "m-r1");
  EXPECT_FALSE(found[0].pending());
  EXPECT_EQ(found[1].message_id, "m-r1-late");
  for (const auto& row : found) EXPECT_EQ(row.request_id, "portal-r1");
  EXPECT_EQ(query({}).size(), 4u);
  EXPECT_EQ(query_value(*connection_,
                        "SELECT string_agg(message_id || '=' || coalesce(request_id, '-'), ','"
                        " ORDER BY message_id) FROM message_log"),
            "m-none=-,m-r1=portal-r1,m-r1-late=portal-r1,m-r2=portal-r2");
}

TEST_F(AuditStoreTest, CursorPagesThroughEveryRowOnce) {
  const auto t = at("2026-11-22T10:00:00+05:00");
  for (int i = 0; i < 7; ++i) record(kBin, {"gbd_ul"}, t + std::chrono::minutes(i), "portal");
  std::vector<long long> seen;
  AuditFilter f;
  f.limit = 3;
  for (int page = 0; page < 5; ++page) {
    const auto rows = query(f);
    if (rows.empty()) break;
    EXPECT_LE(rows.size(), 3u);
    for (const auto& row : rows) seen.push_back(row.id);
    f.after = rows.back().id;
  }
  ASSERT_EQ(seen.size(), 7u);
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_LT(seen[i - 1], seen[i]);
  // limit is clamped to 1..1000.
  f.after = 0;
  f.limit = 0;
  EXPECT_EQ(query(f).size(), 1u);
  f.limit = 100000;
  EXPECT_EQ(query(f).size(), 7u);
}

TEST_F(AuditStoreTest, AppendInsideTheCallersTransactionForAWholeRegister) {
  AuditEntry e;
  e.client = "refresh-run:3";
  e.system = "goszakup";
  e.service_id = "rnu";
  e.message_id = "mirror-1";
  e.purpose = "weekly re-check (p.16), whole register";
  e.outcome = Outcome::data;  // subject empty: nobody in particular
  {
    pqxx::work txn(*connection_);
    AuditStore::append(txn, e);
    // Not committed: nothing kept.
  }
  EXPECT_TRUE(query({}).empty());
  {
    pqxx::work txn(*connection_);
    AuditStore::append(txn, e);
    txn.commit();
  }
  const auto rows = query({});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].subject, "");
  EXPECT_EQ(rows[0].client, "refresh-run:3");
  EXPECT_GT(rows[0].asked_at.time_since_epoch().count(), 0);  // now() when not given
}

}  // namespace
}  // namespace tekser::store

namespace tekser::store {
namespace {

// Issue 14 item 6 (migration 0080): the row is committed `pending` before the request leaves and
// completed once with the answer; who asked, about whom and why stay untouchable.
class PendingAuditTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!store_) return;
    add_supplier(kIin, "individual");
  }

  AuditEntry outgoing(const std::string& message_id) {
    AuditEntry e;
    e.client = "portal";
    e.purpose = "application review";
    e.subject = kIin;
    e.system = "gbd_fl";
    e.service_id = "GBDFL_service";
    e.message_id = message_id;
    e.consent_sha256 = std::string(64, 'c');
    return e;
  }

  std::vector<AuditEntry> rows() { return AuditStore(*connection_).query({}); }
};

const std::string kDigest(64, 'a');

TEST_F(PendingAuditTest, OpenCommitsAPendingRowThatCompleteFinishesOnce) {
  AuditStore audit(*connection_);
  audit.open(outgoing("m-1"));
  // Committed: another connection (another process, after a crash) sees it.
  auto other = schema_->connect();
  EXPECT_EQ(query_value(*other, "SELECT outcome FROM audit_log WHERE message_id = 'm-1'"),
            "pending");
  auto found = rows();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].pending());
  EXPECT_TRUE(found[0].reply_sha256.empty());
  EXPECT_FALSE(found[0].finished_at);
  EXPECT_EQ(found[0].client, "portal");
  EXPECT_EQ(found[0].subject, kIin);

  auto answer = outgoing("m-1");
  answer.outcome = Outcome::data;
  answer.reply_sha256 = kDigest;
  audit.complete(answer);
  found = rows();
  ASSERT_EQ(found.size(), 1u) << "completed in place, not appended";
  EXPECT_FALSE(found[0].pending());
  EXPECT_EQ(found[0].outcome, Outcome::data);
  EXPECT_EQ(found[0].reply_sha256, kDigest);
  ASSERT_TRUE(found[0].finished_at);
  EXPECT_GE(*found[0].finished_at, found[0].asked_at);

  // The answer is recorded once: a second completion (the recording of the verification after
  // the adapter's own) changes nothing.
  auto again = answer;
  again.outcome = Outcome::unavailable;
  again.reply_sha256.clear();
  audit.complete(again);
  found = rows();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].outcome, Outcome::data);
  EXPECT_EQ(found[0].reply_sha256, kDigest);
}

TEST_F(PendingAuditTest, ARowLeftPendingByACrashStaysOnRecordAndTheVerificationCompletesIt) {
  AuditStore(*connection_).open(outgoing("m-crash"));  // the gateway dies here: nothing else
  AuditStore(*connection_).open(outgoing("m-late"));   // this one's answer is recorded later
  VerificationWrite w;
  w.supplier_id = kIin;
  w.audit.client = "portal";
  w.audit.purpose = "application review";
  auto m = message("m-late", kIin, "gbd_fl", at("2026-11-22T10:00:00+05:00"), Outcome::data);
  m.reply_sha256 = kDigest;
  w.messages.push_back(m);
  w.results.push_back(status_only("gbd_fl", Outcome::data, "m-late"));
  store_->record_verification(w);

  const auto found = rows();
  ASSERT_EQ(found.size(), 2u) << "one row per exchange, none added by the recording";
  EXPECT_EQ(found[0].message_id, "m-crash");
  EXPECT_TRUE(found[0].pending()) << "an exchange whose end was never seen stays visible";
  EXPECT_EQ(found[1].message_id, "m-late");
  EXPECT_FALSE(found[1].pending());
  EXPECT_EQ(found[1].outcome, Outcome::data);
  EXPECT_EQ(found[1].reply_sha256, kDigest);
  EXPECT_EQ(found[1].consent_sha256, std::string(64, 'c')) << "the pre-row's fields are kept";
}

TEST_F(PendingAuditTest, OnlyTheCompletionOfAPendingRowIsAllowed) {
  AuditStore(*connection_).open(outgoing("m-1"));
  const auto refused = [&](const std::string& sql) {
    pqxx::work txn(*connection_);
    try {
      txn.exec(sql);
    } catch (const pqxx::insufficient_privilege& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
      return true;
    }
    return false;
  };
  // Not even on a pending row may who asked, about whom or why change.
  EXPECT_TRUE(refused("UPDATE audit_log SET outcome = 'data', client = 'someone else'"));
  EXPECT_TRUE(refused("UPDATE audit_log SET outcome = 'data', subject = '180340021791'"));
  EXPECT_TRUE(refused("UPDATE audit_log SET outcome = 'data', asked_at = now() - interval '1d'"));
  // Nor which API request caused it (migration 0220).
  EXPECT_TRUE(refused("UPDATE audit_log SET outcome = 'data', request_id = 'another-request'"));
  EXPECT_TRUE(refused("DELETE FROM audit_log"));
  EXPECT_TRUE(rows().at(0).pending());

  auto answer = outgoing("m-1");
  answer.outcome = Outcome::no_data;
  AuditStore(*connection_).complete(answer);
  // Once complete, never again.
  EXPECT_TRUE(refused("UPDATE audit_log SET outcome = 'data'"));
  EXPECT_TRUE(refused("UPDATE audit_log SET outcome = 'pending', finished_at = NULL"));
  EXPECT_EQ(rows().at(0).outcome, Outcome::no_data);
  // A pending row carries no end.
  pqxx::work txn(*connection_);
  EXPECT_THROW(txn.exec("INSERT INTO audit_log (asked_at, client, system, service_id, message_id,"
                        " purpose, outcome, finished_at) VALUES (now(), 'c', 's', 'x', 'm-2', 'p',"
                        " 'pending', now())"),
               pqxx::check_violation);
}

// Migration 0210: completing rows rewrites only columns no index reads, so each completion is a
// HOT update (no index entry written); the rows not finished are listed apart, and a completed
// one leaves that list in the same statement, one at a time or many at once.
TEST_F(PendingAuditTest, CompletingRowsWritesNoIndexEntry) {
  AuditStore audit(*connection_);
  std::vector<AuditEntry> opened;
  for (const char* id : {"m-1", "m-2", "m-3"}) opened.push_back(outgoing(id));
  audit.open(opened);
  audit.open(outgoing("m-4"));
  EXPECT_EQ(audit.unfinished().pending, 4);

  pqxx::work txn(*connection_);
  for (const char* id : {"m-1", "m-4"}) {
    auto answer = outgoing(id);
    answer.outcome = Outcome::data;
    answer.reply_sha256 = kDigest;
    AuditStore::complete(txn, answer);
  }
  // This transaction's own counts: rows updated, of them HOT.
  EXPECT_EQ(txn.exec1("SELECT pg_stat_get_xact_tuples_updated('audit_log'::regclass) || ' ' ||"
                      " pg_stat_get_xact_tuples_hot_updated('audit_log'::regclass)")
                .at(0)
                .as<std::string>(),
            "2 2");
  EXPECT_EQ(txn.exec1("SELECT string_agg(a.message_id, ',' ORDER BY a.message_id)"
                      " FROM audit_unfinished u JOIN audit_log a ON a.id = u.audit_id")
                .at(0)
                .as<std::string>(),
            "m-2,m-3");
  txn.commit();
  EXPECT_EQ(audit.unfinished().pending, 2);
}

// Migration 0090: a row pending for longer than any exchange lasts is called interrupted; the
// row stays, a late answer still completes it, and it never becomes pending again.
TEST_F(PendingAuditTest, ARowPendingTooLongIsCalledInterruptedAndALateAnswerStillLands) {
  AuditStore audit(*connection_);
  auto old_one = outgoing("m-old");
  old_one.asked_at = xsd_time::now_ms() - std::chrono::minutes(20);
  audit.open(old_one);
  auto late = outgoing("m-late");
  late.asked_at = xsd_time::now_ms() - std::chrono::minutes(30);
  audit.open(late);
  audit.open(outgoing("m-fresh"));  // asked just now: still under way

  EXPECT_EQ(audit.mark_interrupted(std::chrono::minutes(10)), 2);
  EXPECT_EQ(audit.mark_interrupted(std::chrono::minutes(10)), 0) << "once";
  auto found = rows();
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].progress, AuditEntry::Progress::interrupted);
  EXPECT_EQ(found[0].outcome_text(), "interrupted");
  ASSERT_TRUE(found[0].finished_at) << "when it was called interrupted";
  EXPECT_TRUE(found[0].reply_sha256.empty());
  EXPECT_EQ(found[1].progress, AuditEntry::Progress::interrupted);
  EXPECT_TRUE(found[2].pending()) << "a fresh exchange is left alone";
  const auto counts = audit.unfinished();
  EXPECT_EQ(counts.pending, 1);
  EXPECT_EQ(counts.interrupted, 2);

  // The answer of one arrives after all: it completes the row like a pending one.
  auto answer = outgoing("m-late");
  answer.outcome = Outcome::no_data;
  answer.reply_sha256 = kDigest;
  audit.complete(answer);
  found = rows();
  ASSERT_EQ(found.size(), 3u) << "completed in place";
  EXPECT_EQ(found[1].progress, AuditEntry::Progress::complete);
  EXPECT_EQ(found[1].outcome, Outcome::no_data);
  EXPECT_EQ(found[1].reply_sha256, kDigest);
  EXPECT_EQ(found[1].client, "portal") << "who asked is kept";
  const auto after_answer = audit.unfinished();
  EXPECT_EQ(after_answer.pending, 1);
  EXPECT_EQ(after_answer.interrupted, 1) << "the answered one is finished";
  EXPECT_EQ(audit.mark_interrupted(std::chrono::minutes(10)), 0)
      << "an answered row is not interrupted again";

  const auto refused = [&](const std::string& sql) {
    pqxx::work txn(*connection_);
    try {
      txn.exec(sql);
    } catch (const pqxx::insufficient_privilege&) {
      return true;
    } catch (const pqxx::check_violation&) {
      return true;
    }
    return false;
  };
  // Never pending again, never with a reply digest, never rewritten.
  EXPECT_TRUE(
      refused("UPDATE audit_log SET outcome = 'pending', finished_at = NULL"
              " WHERE message_id = 'm-old'"));
  EXPECT_TRUE(
      refused("UPDATE audit_log SET reply_sha256 = repeat('b', 64)"
              " WHERE message_id = 'm-old'"));
  EXPECT_TRUE(
      refused("UPDATE audit_log SET outcome = 'data', client = 'x'"
              " WHERE message_id = 'm-old'"));
  EXPECT_EQ(rows().at(0).progress, AuditEntry::Progress::interrupted);
}

}  // namespace
}  // namespace tekser::store

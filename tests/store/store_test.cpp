// Store: suppliers, verification writes (facts, history, source status, message log), times.
#include <latch>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "gateway/store/known_at.hpp"
#include "gateway/store/store.hpp"
#include "tests/store/test_db.hpp"

namespace tekser::store {
namespace {

using facts::Outcome;
using test::query_value;
using test::StoreTest;

constexpr const char* kBin = "180340021791";
constexpr const char* kIin = "900101300123";

TimePoint at(const char* text) {
  auto t = xsd_time::parse_datetime(text);
  if (!t) throw std::invalid_argument(text);
  return *t;
}

TimePoint ms(long long since_epoch) {
  return TimePoint{std::chrono::milliseconds{since_epoch}};
}

std::string digest(char c) {
  return std::string(64, c);
}

boost::json::value json(const char* text) {
  return boost::json::parse(text);
}

SupplierRecord legal_entity(const std::string& id = kBin) {
  SupplierRecord s;
  s.id = id;
  s.subject_kind = "legal_entity";
  s.categories = {"technical_aids", "sanatorium"};
  s.consent = Consent{"kdp-token-1", "MFkwEwYHKoZIzj0CAQ"};
  s.created_at = at("2026-11-01T10:00:00.001+05:00");
  s.updated_at = s.created_at;
  return s;
}

facts::Provenance provenance(const std::string& message_id, TimePoint retrieved, char digest_char) {
  facts::Provenance p;
  p.system = "gbd_ul";
  p.service_id = "GbdulInfoByBin_v2";
  p.message_id = message_id;
  p.reply_message_id = "reply-" + message_id;
  p.retrieved_at = retrieved;
  p.valid_until = retrieved + std::chrono::hours(24);
  p.reply_sha256 = digest(digest_char);
  return p;
}

// A ГБД ЮЛ answer with data: kind, names and status.
facts::SourceResult gbd_ul_data(const std::string& message_id, TimePoint retrieved,
                                char digest_char, const char* status = "active",
                                const char* names = R"({"ru":"ТОО Ромашка","kk":"Ромашка ЖШС"})") {
  facts::SourceResult r;
  r.system = "gbd_ul";
  r.service_id = "GbdulInfoByBin_v2";
  r.outcome = Outcome::data;
  r.provenance = provenance(message_id, retrieved, digest_char);
  r.facts.push_back({facts::name::kind, "legal_entity", r.provenance});
  r.facts.push_back({facts::name::names, json(names), r.provenance});
  r.facts.push_back(
      {facts::name::status,
       json((std::string(R"({"value":")") + status + R"(","since":"2019-03-04"})").c_str()),
       r.provenance});
  return r;
}

facts::SourceResult unknown_outcome(const std::string& system, Outcome outcome,
                                    const std::string& message_id, TimePoint when) {
  facts::SourceResult r;
  r.system = system;
  r.service_id = system == "gbd_ul" ? "GbdulInfoByBin_v2" : "GbdflInfoByIin";
  r.outcome = outcome;
  r.cause = "connect timeout after 2000 ms";
  r.error_code = "SHEP-504";
  r.provenance.system = system;
  r.provenance.service_id = r.service_id;
  r.provenance.message_id = message_id;
  r.provenance.retrieved_at = when;
  return r;
}

MessageLogEntry message(const std::string& message_id, TimePoint started, bool replied) {
  MessageLogEntry m;
  m.message_id = message_id;
  m.supplier_id = kBin;
  m.system = "gbd_ul";
  m.service_id = "GbdulInfoByBin_v2";
  m.endpoint = "https://shep.example.kz/bip-sync-wss-gost/";
  m.request_body = "<soap:Envelope>request " + message_id + "</soap:Envelope>";
  if (replied) {
    m.response_body = "<soap:Envelope>reply " + message_id + "</soap:Envelope>";
    m.http_status = 200;
    m.outcome = Outcome::data;
    m.reply_sha256 = digest('a');
  } else {
    m.outcome = Outcome::unavailable;
    m.cause = "connect timeout after 2000 ms";
  }
  m.started_at = started;
  m.duration_ms = replied ? 412 : 2000;
  return m;
}

const StoredFact* find_fact(const std::vector<StoredFact>& facts, const std::string& name) {
  for (const auto& f : facts)
    if (f.fact.name == name) return &f;
  return nullptr;
}

const SourceStatus* find_status(const std::vector<SourceStatus>& statuses,
                                const std::string& system) {
  for (const auto& s : statuses)
    if (s.system == system) return &s;
  return nullptr;
}

void expect_same_provenance(const facts::Provenance& a, const facts::Provenance& b) {
  EXPECT_EQ(a.system, b.system);
  EXPECT_EQ(a.service_id, b.service_id);
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_EQ(a.reply_message_id, b.reply_message_id);
  EXPECT_EQ(a.retrieved_at, b.retrieved_at);
  EXPECT_EQ(a.valid_until, b.valid_until);
  EXPECT_EQ(a.reply_sha256, b.reply_sha256);
}

// --- Suppliers --------------------------------------------------------------------------------

TEST_F(StoreTest, UpsertSupplierReportsCreatedThenUpdated) {
  auto s = legal_entity();
  EXPECT_TRUE(store_->upsert_supplier(s));

  auto found = store_->find_supplier(kBin);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, kBin);
  EXPECT_EQ(found->subject_kind, "legal_entity");
  EXPECT_EQ(found->categories, (std::vector<std::string>{"technical_aids", "sanatorium"}));
  ASSERT_TRUE(found->consent);
  EXPECT_EQ(found->consent->kdp_token, "kdp-token-1");
  EXPECT_EQ(found->consent->public_key, "MFkwEwYHKoZIzj0CAQ");
  EXPECT_EQ(found->created_at, s.created_at);
  EXPECT_EQ(found->updated_at, s.updated_at);
  EXPECT_FALSE(found->last_verified_at);

  auto changed = s;
  changed.categories = {"invataxi", "sign_language", "invataxi"};
  changed.consent.reset();
  changed.created_at = at("2030-01-01T00:00:00.000Z");  // ignored on update
  changed.updated_at = at("2026-11-05T12:30:00.250+05:00");
  EXPECT_FALSE(store_->upsert_supplier(changed));
  EXPECT_FALSE(store_->upsert_supplier(changed));

  found = store_->find_supplier(kBin);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->categories, (std::vector<std::string>{"invataxi", "sign_language"}));
  EXPECT_FALSE(found->consent);
  EXPECT_EQ(found->created_at, s.created_at);
  EXPECT_EQ(found->updated_at, changed.updated_at);

  // Another supplier is created, not updated.
  SupplierRecord person;
  person.id = kIin;
  person.subject_kind = "individual";
  person.categories = {"personal_assistant"};
  EXPECT_TRUE(store_->upsert_supplier(person));
  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM suppliers"), "2");
}

TEST_F(StoreTest, UpsertSupplierWithoutTimesUsesTheDatabaseClock) {
  SupplierRecord s;
  s.id = kIin;
  s.subject_kind = "individual";
  s.categories = {"sanatorium"};
  const auto before = xsd_time::now_ms() - std::chrono::seconds(5);
  ASSERT_TRUE(store_->upsert_supplier(s));
  const auto after = xsd_time::now_ms() + std::chrono::seconds(5);
  auto found = store_->find_supplier(kIin);
  ASSERT_TRUE(found);
  EXPECT_GE(found->created_at, before);
  EXPECT_LE(found->created_at, after);
  EXPECT_EQ(found->updated_at, found->created_at);
}

TEST_F(StoreTest, UpsertSupplierRejectsInvalidRows) {
  auto bad_id = legal_entity("12345");
  EXPECT_THROW(store_->upsert_supplier(bad_id), pqxx::check_violation);
  auto no_categories = legal_entity();
  no_categories.categories.clear();
  EXPECT_THROW(store_->upsert_supplier(no_categories), pqxx::check_violation);
  auto unknown_category = legal_entity();
  unknown_category.categories = {"spaceflight"};
  EXPECT_THROW(store_->upsert_supplier(unknown_category), pqxx::check_violation);
  auto bad_kind = legal_entity();
  bad_kind.subject_kind = "company";
  EXPECT_THROW(store_->upsert_supplier(bad_kind), pqxx::check_violation);
  EXPECT_FALSE(store_->find_supplier(kBin));
  EXPECT_FALSE(store_->find_supplier("12345"));
}

// --- Verifications ----------------------------------------------------------------------------

TEST_F(StoreTest, FirstVerificationWritesFactsAndHistory) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  VerificationWrite w{kBin,
                      {gbd_ul_data("m-1", t1 - std::chrono::seconds(1), '1')},
                      {message("m-1", t1 - std::chrono::seconds(2), true)},
                      t1};

  auto summary = store_->record_verification(w);
  EXPECT_EQ(summary.facts_changed, 3);
  EXPECT_EQ(summary.facts_confirmed, 0);

  auto current = store_->current_facts(kBin);
  ASSERT_EQ(current.size(), 3u);
  for (const auto& written : w.results[0].facts) {
    const auto* stored = find_fact(current, written.name);
    ASSERT_TRUE(stored) << written.name;
    EXPECT_EQ(stored->fact.value, written.value) << written.name;
    expect_same_provenance(stored->fact.provenance, written.provenance);
    EXPECT_EQ(stored->first_seen_at, t1);
    EXPECT_EQ(stored->checked_at, t1);
  }

  auto history = store_->history(kBin);
  ASSERT_EQ(history.size(), 3u);
  for (const auto& h : history) {
    EXPECT_EQ(h.system, "gbd_ul");
    EXPECT_FALSE(h.old_value) << h.fact_name;
    EXPECT_EQ(h.changed_at, t1);
    EXPECT_EQ(h.provenance.message_id, "m-1");
    EXPECT_EQ(h.provenance.reply_sha256, digest('1'));
  }

  auto statuses = store_->source_statuses(kBin);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].system, "gbd_ul");
  EXPECT_EQ(statuses[0].service_id, "GbdulInfoByBin_v2");
  EXPECT_EQ(statuses[0].outcome, Outcome::data);
  EXPECT_EQ(statuses[0].message_id, "m-1");
  EXPECT_EQ(statuses[0].checked_at, t1);
  EXPECT_EQ(statuses[0].last_data_at, t1);
  EXPECT_FALSE(statuses[0].error_code);

  auto supplier = store_->find_supplier(kBin);
  ASSERT_TRUE(supplier);
  EXPECT_EQ(supplier->last_verified_at, t1);
  EXPECT_EQ(store_->messages(kBin).size(), 1u);
}

TEST_F(StoreTest, SameReplyAgainConfirmsWithoutHistory) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  const auto t2 = at("2026-11-23T08:00:00.500+05:00");
  store_->record_verification({kBin, {gbd_ul_data("m-1", t1, '1')}, {}, t1});

  // The same values, spelled differently: other key order, other whitespace. jsonb compares
  // meaning, not text.
  auto again =
      gbd_ul_data("m-2", t2, '2', "active", R"({ "kk" : "Ромашка ЖШС", "ru":"ТОО Ромашка" })");
  auto summary = store_->record_verification({kBin, {again}, {}, t2});
  EXPECT_EQ(summary.facts_changed, 0);
  EXPECT_EQ(summary.facts_confirmed, 3);

  EXPECT_EQ(store_->history(kBin).size(), 3u);  // only the first observations
  auto current = store_->current_facts(kBin);
  ASSERT_EQ(current.size(), 3u);
  for (const auto& f : current) {
    EXPECT_EQ(f.first_seen_at, t1) << f.fact.name;
    EXPECT_EQ(f.checked_at, t2) << f.fact.name;
    // The newest reply that confirmed it is the provenance.
    EXPECT_EQ(f.fact.provenance.message_id, "m-2");
    EXPECT_EQ(f.fact.provenance.retrieved_at, t2);
    EXPECT_EQ(f.fact.provenance.reply_sha256, digest('2'));
  }
  EXPECT_EQ(store_->find_supplier(kBin)->last_verified_at, t2);
}

TEST_F(StoreTest, NumbersEqualInValueAreTheSameFact) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  auto first = gbd_ul_data("m-1", t1, '1');
  first.facts = {{"employees", json(R"({"count": 12})"), first.provenance}};
  store_->record_verification({kBin, {first}, {}, t1});
  auto second = gbd_ul_data("m-2", t1 + std::chrono::hours(1), '2');
  second.facts = {{"employees", json(R"({"count": 12.0})"), second.provenance}};
  auto summary = store_->record_verification({kBin, {second}, {}, t1 + std::chrono::hours(1)});
  EXPECT_EQ(summary.facts_changed, 0);
  EXPECT_EQ(summary.facts_confirmed, 1);
}

TEST_F(StoreTest, ChangedValueGoesToHistoryWithOldAndNew) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  const auto t2 = at("2026-12-01T09:15:00.007+05:00");
  store_->record_verification({kBin, {gbd_ul_data("m-1", t1, '1')}, {}, t1});

  auto summary =
      store_->record_verification({kBin, {gbd_ul_data("m-2", t2, '2', "in_liquidation")}, {}, t2});
  EXPECT_EQ(summary.facts_changed, 1);
  EXPECT_EQ(summary.facts_confirmed, 2);

  auto history = store_->history(kBin);
  ASSERT_EQ(history.size(), 4u);
  const auto& newest = history.front();
  EXPECT_EQ(newest.fact_name, facts::name::status);
  ASSERT_TRUE(newest.old_value);
  EXPECT_EQ(*newest.old_value, json(R"({"value":"active","since":"2019-03-04"})"));
  EXPECT_EQ(newest.new_value, json(R"({"value":"in_liquidation","since":"2019-03-04"})"));
  EXPECT_EQ(newest.changed_at, t2);
  EXPECT_EQ(newest.provenance.message_id, "m-2");
  EXPECT_EQ(newest.provenance.reply_message_id, "reply-m-2");
  EXPECT_EQ(newest.provenance.reply_sha256, digest('2'));
  EXPECT_EQ(newest.provenance.retrieved_at, t2);

  auto current = store_->current_facts(kBin);
  const auto* status = find_fact(current, facts::name::status);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->fact.value, newest.new_value);
  EXPECT_EQ(status->first_seen_at, t2);
  EXPECT_EQ(status->checked_at, t2);
  const auto* kind = find_fact(current, facts::name::kind);
  ASSERT_TRUE(kind);
  EXPECT_EQ(kind->first_seen_at, t1);
  EXPECT_EQ(kind->checked_at, t2);

  EXPECT_EQ(store_->history(kBin, 1).size(), 1u);
  EXPECT_TRUE(store_->history(kBin, 0).empty());
  EXPECT_TRUE(store_->history(kBin, -5).empty());
}

TEST_F(StoreTest, FactsNotMentionedAreLeftAsTheyWere) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  const auto t2 = t1 + std::chrono::hours(2);
  store_->record_verification({kBin, {gbd_ul_data("m-1", t1, '1')}, {}, t1});
  auto partial = gbd_ul_data("m-2", t2, '2');
  partial.facts.resize(1);  // only "kind"
  auto summary = store_->record_verification({kBin, {partial}, {}, t2});
  EXPECT_EQ(summary.facts_confirmed, 1);
  auto current = store_->current_facts(kBin);
  ASSERT_EQ(current.size(), 3u);
  EXPECT_EQ(find_fact(current, facts::name::kind)->checked_at, t2);
  EXPECT_EQ(find_fact(current, facts::name::status)->checked_at, t1);
  EXPECT_EQ(find_fact(current, facts::name::status)->fact.provenance.message_id, "m-1");
}

TEST_F(StoreTest, UnavailableSourceChangesNoFactOnlyStatus) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  const auto t2 = at("2026-11-22T20:00:00.999+05:00");
  store_->record_verification({kBin, {gbd_ul_data("m-1", t1, '1')}, {}, t1});
  const auto before = store_->current_facts(kBin);

  auto down = unknown_outcome("gbd_ul", Outcome::unavailable, "m-2", t2);
  // Even if facts came along with a non-data outcome, they are not trusted.
  down.facts = gbd_ul_data("m-2", t2, '2', "liquidated").facts;
  auto refused = unknown_outcome("gbd_fl", Outcome::refused, "m-3", t2);
  refused.cause = "no consent";
  refused.error_code = std::nullopt;
  auto summary = store_->record_verification({kBin, {down, refused}, {}, t2});
  EXPECT_EQ(summary.facts_changed, 0);
  EXPECT_EQ(summary.facts_confirmed, 0);

  const auto after = store_->current_facts(kBin);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].fact.name, before[i].fact.name);
    EXPECT_EQ(after[i].fact.value, before[i].fact.value);
    EXPECT_EQ(after[i].checked_at, t1);
    EXPECT_EQ(after[i].fact.provenance.message_id, "m-1");
  }
  EXPECT_EQ(store_->history(kBin).size(), 3u);

  auto statuses = store_->source_statuses(kBin);
  ASSERT_EQ(statuses.size(), 2u);
  const auto* ul = find_status(statuses, "gbd_ul");
  ASSERT_TRUE(ul);
  EXPECT_EQ(ul->outcome, Outcome::unavailable);
  EXPECT_EQ(ul->cause, "connect timeout after 2000 ms");
  EXPECT_EQ(ul->error_code, "SHEP-504");
  EXPECT_EQ(ul->message_id, "m-2");
  EXPECT_EQ(ul->checked_at, t2);
  EXPECT_EQ(ul->last_data_at, t1);  // kept from the last answer with data
  const auto* fl = find_status(statuses, "gbd_fl");
  ASSERT_TRUE(fl);
  EXPECT_EQ(fl->outcome, Outcome::refused);
  EXPECT_EQ(fl->service_id, "GbdflInfoByIin");
  EXPECT_EQ(fl->cause, "no consent");
  EXPECT_FALSE(fl->error_code);
  EXPECT_FALSE(fl->last_data_at);  // never gave data
  EXPECT_EQ(store_->find_supplier(kBin)->last_verified_at, t2);

  // no_data is its own outcome, and data again moves last_data_at on.
  const auto t3 = t2 + std::chrono::minutes(5);
  auto none = unknown_outcome("gbd_ul", Outcome::no_data, "m-4", t3);
  store_->record_verification({kBin, {none}, {}, t3});
  EXPECT_EQ(find_status(store_->source_statuses(kBin), "gbd_ul")->outcome, Outcome::no_data);
  const auto t4 = t3 + std::chrono::minutes(5);
  store_->record_verification({kBin, {gbd_ul_data("m-5", t4, '5')}, {}, t4});
  statuses = store_->source_statuses(kBin);
  EXPECT_EQ(find_status(statuses, "gbd_ul")->last_data_at, t4);
  EXPECT_EQ(find_status(statuses, "gbd_ul")->outcome, Outcome::data);
}

TEST_F(StoreTest, VerificationOfAnUnknownSupplierWritesNothing) {
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  VerificationWrite w{kBin, {gbd_ul_data("m-1", t1, '1')}, {message("m-1", t1, true)}, t1};
  EXPECT_THROW(store_->record_verification(w), std::invalid_argument);
  EXPECT_TRUE(store_->messages(kBin).empty());
  EXPECT_TRUE(store_->current_facts(kBin).empty());
}

TEST_F(StoreTest, AFailedVerificationWritesNothingAtAll) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  auto result = gbd_ul_data("m-1", t1, '1');
  result.facts.back().provenance.reply_sha256 = "not a digest";  // violates a check
  VerificationWrite w{kBin, {result}, {message("m-1", t1, true)}, t1};
  EXPECT_THROW(store_->record_verification(w), pqxx::check_violation);
  EXPECT_TRUE(store_->messages(kBin).empty());
  EXPECT_TRUE(store_->current_facts(kBin).empty());
  EXPECT_TRUE(store_->history(kBin).empty());
  EXPECT_TRUE(store_->source_statuses(kBin).empty());
  EXPECT_FALSE(store_->find_supplier(kBin)->last_verified_at);
}

TEST_F(StoreTest, FactProvenanceGapsAreFilledFromTheExchange) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  auto result = gbd_ul_data("m-1", t1, '1');
  for (auto& f : result.facts) f.provenance = {};
  store_->record_verification({kBin, {result}, {}, t1});
  for (const auto& f : store_->current_facts(kBin))
    expect_same_provenance(f.fact.provenance, result.provenance);

  auto wrong = gbd_ul_data("m-2", t1, '2');
  wrong.facts[0].provenance.system = "gbd_fl";
  EXPECT_THROW(store_->record_verification({kBin, {wrong}, {}, t1}), std::invalid_argument);
}

TEST_F(StoreTest, ConcurrentVerificationsOfOneSupplierDoNotCollide) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  auto other_connection = schema_->connect();
  Store other(*other_connection);
  VerificationSummary a, b;
  std::exception_ptr error_a, error_b;
  std::latch go(2);
  auto run = [&go](Store& s, VerificationWrite w, VerificationSummary& out,
                   std::exception_ptr& error) {
    go.arrive_and_wait();
    try {
      out = s.record_verification(w);
    } catch (...) {
      error = std::current_exception();
    }
  };
  std::thread ta(run, std::ref(*store_),
                 VerificationWrite{kBin, {gbd_ul_data("m-a", t1, 'a')}, {}, t1}, std::ref(a),
                 std::ref(error_a));
  std::thread tb(run, std::ref(other),
                 VerificationWrite{kBin, {gbd_ul_data("m-b", t1, 'b')}, {}, t1}, std::ref(b),
                 std::ref(error_b));
  ta.join();
  tb.join();
  ASSERT_FALSE(error_a);
  ASSERT_FALSE(error_b);
  // One wrote the first observations, the other confirmed them.
  EXPECT_EQ(a.facts_changed + b.facts_changed, 3);
  EXPECT_EQ(a.facts_confirmed + b.facts_confirmed, 3);
  EXPECT_EQ(store_->history(kBin).size(), 3u);
}

TEST_F(StoreTest, VerificationWithoutTimeUsesTheDatabaseClock) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto before = xsd_time::now_ms() - std::chrono::seconds(5);
  store_->record_verification({kBin, {gbd_ul_data("m-1", before, '1')}, {}, {}});
  const auto after = xsd_time::now_ms() + std::chrono::seconds(5);
  auto verified = store_->find_supplier(kBin)->last_verified_at;
  ASSERT_TRUE(verified);
  EXPECT_GE(*verified, before);
  EXPECT_LE(*verified, after);
  auto current = store_->current_facts(kBin);
  ASSERT_FALSE(current.empty());
  EXPECT_EQ(current[0].checked_at, *verified);
  EXPECT_EQ(store_->source_statuses(kBin)[0].checked_at, *verified);
}

TEST_F(StoreTest, LastVerifiedAtNeverMovesBackwards) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t2 = at("2026-11-22T14:03:07.125+05:00");
  const auto t1 = t2 - std::chrono::hours(1);
  store_->record_verification({kBin, {}, {}, t2});
  store_->record_verification({kBin, {}, {}, t1});
  EXPECT_EQ(store_->find_supplier(kBin)->last_verified_at, t2);
}

// --- Times and the message log ----------------------------------------------------------------

TEST_F(StoreTest, TimestampsRoundTripToTheMillisecond) {
  const std::vector<TimePoint> times = {
      ms(1),                                // just after the epoch
      ms(-1),                               // just before it
      ms(-1500),                            // negative with a fraction
      ms(-2208988800001),                   // 1899-12-31T23:59:59.999Z
      at("2026-11-22T14:03:07.125+05:00"),  // today-ish
      at("2026-11-22T14:03:07.999+05:00"),  // .999 must not round up
      at("2099-12-31T23:59:59.999Z"),       // far, where a double loses microseconds
      ms(253402300799999),                  // 9999-12-31T23:59:59.999Z
  };
  // The session time zone must not matter: try an odd one too.
  for (const char* zone : {"UTC", "Asia/Almaty", "America/St_Johns"}) {
    SCOPED_TRACE(zone);
    query_value(*connection_, std::string("SELECT set_config('TimeZone', '") + zone + "', false)");
    int n = 0;
    for (auto t : times) {
      SCOPED_TRACE(t.time_since_epoch().count());
      const std::string id = "1000000000" + std::to_string(10 + n++);
      auto s = legal_entity(id);
      s.created_at = t;
      s.updated_at = t;
      store_->upsert_supplier(s);
      auto found = store_->find_supplier(id);
      ASSERT_TRUE(found);
      EXPECT_EQ(found->created_at, t);
      EXPECT_EQ(found->updated_at, t);

      auto result = gbd_ul_data("m-" + id, t, '1');
      result.facts.resize(1);
      result.facts[0].provenance.valid_until = t;
      auto m = message("m-" + id, t, true);
      m.supplier_id = id;
      store_->record_verification({id, {result}, {m}, t});
      auto current = store_->current_facts(id);
      ASSERT_EQ(current.size(), 1u);
      EXPECT_EQ(current[0].fact.provenance.retrieved_at, t);
      EXPECT_EQ(current[0].fact.provenance.valid_until, t);
      EXPECT_EQ(current[0].checked_at, t);
      auto messages = store_->messages(id);
      ASSERT_FALSE(messages.empty());
      EXPECT_EQ(messages[0].started_at, t);
    }
  }
  // And the database holds what we meant: the same instant as its own parse of the text.
  auto s = legal_entity("100000000099");
  s.created_at = at("2026-11-22T14:03:07.125+05:00");
  store_->upsert_supplier(s);
  EXPECT_EQ(query_value(*connection_,
                        "SELECT created_at = '2026-11-22T09:03:07.125Z'::timestamptz FROM suppliers"
                        " WHERE id = '100000000099'"),
            "t");
}

TEST_F(StoreTest, MessageLogKeepsDigestAndTimings) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  auto replied = message("m-1", t1, true);
  auto timed_out = message("m-2", t1 + std::chrono::milliseconds(500), false);
  timed_out.supplier_id.clear();  // taken from the write
  auto refused = message("m-3", t1 + std::chrono::seconds(3), true);
  refused.outcome = Outcome::refused;
  refused.cause = "SOAP fault: no consent";
  refused.http_status = 500;
  refused.reply_sha256 = digest('f');
  store_->record_verification({kBin, {}, {replied, timed_out, refused}, t1});

  auto log = store_->messages(kBin);
  ASSERT_EQ(log.size(), 3u);
  // Newest first.
  EXPECT_EQ(log[0].message_id, "m-3");
  EXPECT_EQ(log[1].message_id, "m-2");
  EXPECT_EQ(log[2].message_id, "m-1");

  const auto& r = log[2];
  EXPECT_EQ(r.supplier_id, kBin);
  EXPECT_EQ(r.system, "gbd_ul");
  EXPECT_EQ(r.service_id, "GbdulInfoByBin_v2");
  EXPECT_EQ(r.endpoint, replied.endpoint);
  EXPECT_EQ(r.request_body, replied.request_body);
  EXPECT_EQ(r.response_body, replied.response_body);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.outcome, Outcome::data);
  EXPECT_EQ(r.reply_sha256, digest('a'));
  EXPECT_EQ(r.started_at, t1);
  EXPECT_EQ(r.duration_ms, 412);

  const auto& t = log[1];
  EXPECT_EQ(t.supplier_id, kBin);
  EXPECT_FALSE(t.response_body);
  EXPECT_FALSE(t.http_status);
  EXPECT_EQ(t.outcome, Outcome::unavailable);
  EXPECT_EQ(t.cause, "connect timeout after 2000 ms");
  EXPECT_EQ(t.reply_sha256, "");
  EXPECT_EQ(t.duration_ms, 2000);
  EXPECT_EQ(query_value(*connection_,
                        "SELECT reply_sha256 IS NULL FROM message_log WHERE message_id = 'm-2'"),
            "t");

  EXPECT_EQ(log[0].outcome, Outcome::refused);
  EXPECT_EQ(log[0].http_status, 500);
  EXPECT_EQ(log[0].reply_sha256, digest('f'));

  EXPECT_EQ(store_->messages(kBin, 2).size(), 2u);
  EXPECT_TRUE(store_->messages("999999999999").empty());
}

// The exchanges, facts and answers of a verification travel as array literals (one statement
// each): every character a reply or a cause can hold must come back as it went, an empty text
// must stay empty and not become NULL, and the word NULL is text.
TEST_F(StoreTest, EveryCharacterSurvivesTheBatchedWrite) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  const std::string awkward = "a \"quoted\" \\back\\slash\\, {braces}, commas,\nNULL\ttab 'ü' Қ";
  auto replied = message("m-1", t1, true);
  replied.request_body = awkward;
  replied.response_body = "NULL";
  replied.cause = awkward;
  auto empty_reply = message("m-2", t1, true);
  empty_reply.response_body = "";
  empty_reply.cause = "";

  auto result = gbd_ul_data("m-1", t1, 'b');
  result.facts.push_back({"awkward_text", boost::json::value(awkward), result.provenance});
  result.facts.push_back({"null_word", boost::json::value("NULL"), result.provenance});
  result.cause = awkward;
  result.error_code = "NULL";
  auto none = unknown_outcome("gbd_fl", Outcome::no_data, "m-3", t1);
  none.error_code.reset();
  none.cause = "";
  store_->record_verification({kBin, {result, none}, {replied, empty_reply}, t1});

  const auto log = store_->messages(kBin);
  ASSERT_EQ(log.size(), 2u);
  const auto& first = log[0].message_id == "m-1" ? log[0] : log[1];
  const auto& second = log[0].message_id == "m-1" ? log[1] : log[0];
  EXPECT_EQ(first.request_body, awkward);
  EXPECT_EQ(first.response_body, std::optional<std::string>("NULL"));
  EXPECT_EQ(first.cause, awkward);
  EXPECT_EQ(second.response_body, std::optional<std::string>(""));
  EXPECT_EQ(second.cause, "");

  const auto current = store_->current_facts(kBin);
  ASSERT_NE(find_fact(current, "awkward_text"), nullptr);
  EXPECT_EQ(find_fact(current, "awkward_text")->fact.value, boost::json::value(awkward));
  ASSERT_NE(find_fact(current, "null_word"), nullptr);
  EXPECT_EQ(find_fact(current, "null_word")->fact.value, boost::json::value("NULL"));

  const auto statuses = store_->source_statuses(kBin);
  ASSERT_NE(find_status(statuses, "gbd_ul"), nullptr);
  EXPECT_EQ(find_status(statuses, "gbd_ul")->cause, awkward);
  EXPECT_EQ(find_status(statuses, "gbd_ul")->error_code, std::optional<std::string>("NULL"));
  ASSERT_NE(find_status(statuses, "gbd_fl"), nullptr);
  EXPECT_EQ(find_status(statuses, "gbd_fl")->outcome, Outcome::no_data);
  EXPECT_FALSE(find_status(statuses, "gbd_fl")->error_code);
  EXPECT_EQ(find_status(statuses, "gbd_fl")->cause, "");
}

// One write counts each fact once: changed and confirmed across several sources, and a fact named
// twice by one source is taken at its last value (what a sequence of single writes would leave).
TEST_F(StoreTest, OneWriteCountsChangedAndConfirmedFactsAcrossSources) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T10:00:00.000+05:00");
  const auto t2 = t1 + std::chrono::hours(168);
  auto first = store_->record_verification({kBin, {gbd_ul_data("m-1", t1, 'a')}, {}, t1});
  EXPECT_EQ(first.facts_changed, 3);
  EXPECT_EQ(first.facts_confirmed, 0);

  auto again = gbd_ul_data("m-2", t2, 'b', "liquidated");  // status changes, two confirmed
  facts::SourceResult other;
  other.system = "kgd";
  other.service_id = "KgdDebts";
  other.outcome = Outcome::data;
  other.provenance = provenance("m-3", t2, 'c');
  other.provenance.system = "kgd";
  other.facts.push_back({"tax_debt", json(R"({"amount":1})"), {}});
  other.facts.push_back({"tax_debt", json(R"({"amount":2})"), {}});
  const auto second = store_->record_verification({kBin, {again, other}, {}, t2});
  EXPECT_EQ(second.facts_changed, 2);  // status; tax_debt first seen, once
  EXPECT_EQ(second.facts_confirmed, 2);

  const auto current = store_->current_facts(kBin);
  ASSERT_NE(find_fact(current, "tax_debt"), nullptr);
  EXPECT_EQ(find_fact(current, "tax_debt")->fact.value, json(R"({"amount":2})"));
  EXPECT_EQ(find_fact(current, "tax_debt")->fact.provenance.message_id, "m-3");
  const auto* kind = find_fact(current, facts::name::kind);
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->first_seen_at, t1);
  EXPECT_EQ(kind->checked_at, t2);
  EXPECT_EQ(kind->fact.provenance.message_id, "m-2");
  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM fact_history WHERE supplier_id = '" +
                                          std::string(kBin) + "' AND fact_name = 'tax_debt'"),
            "1");
  // The reply that kept two values is kept once, naming them.
  EXPECT_EQ(query_value(*connection_,
                        "SELECT count(*) || ' ' || array_to_string(fact_names, ',') || ' ' ||"
                        " message_id FROM reply_confirmations GROUP BY fact_names, message_id"),
            "1 " + std::string(facts::name::kind) + "," + facts::name::names + " m-2");
}

// Issue 16 item 2: several suppliers' verifications in the statements of one, each with its own
// time, facts and answers, as the same writes one after the other would leave them.
TEST_F(StoreTest, SeveralVerificationsInOneWriteKeepEachSuppliersOwn) {
  const std::string other_bin = "180340021792";
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  ASSERT_TRUE(store_->upsert_supplier(legal_entity(other_bin)));
  const auto t1 = at("2026-11-22T10:00:00.000+05:00");
  const auto t2 = t1 + std::chrono::hours(1);
  store_->record_verification({kBin, {gbd_ul_data("m-0", t1, '0')}, {}, t1});

  std::vector<VerificationWrite> writes;
  writes.push_back({other_bin, {gbd_ul_data("m-1", t2, '1', "liquidated")}, {}, t2});
  writes.push_back({kBin, {gbd_ul_data("m-2", t2, '2', "liquidated")}, {}, {}});  // now()
  std::vector<VerificationSummary> summaries;
  {
    pqxx::work txn(*connection_);
    summaries = Store::record_verifications(txn, writes);
    txn.commit();
  }
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0].facts_changed, 3);  // first seen
  EXPECT_EQ(summaries[0].facts_confirmed, 0);
  EXPECT_EQ(summaries[1].facts_changed, 1);  // the status
  EXPECT_EQ(summaries[1].facts_confirmed, 2);

  const auto other_facts = store_->current_facts(other_bin);
  ASSERT_EQ(other_facts.size(), 3u);
  for (const auto& f : other_facts) {
    EXPECT_EQ(f.first_seen_at, t2) << "the write's own time";
    EXPECT_EQ(f.fact.provenance.message_id, "m-1");
  }
  const auto facts = store_->current_facts(kBin);
  ASSERT_EQ(facts.size(), 3u);
  for (const auto& f : facts) {
    EXPECT_EQ(f.fact.provenance.message_id, "m-2") << f.fact.name;
    EXPECT_GT(f.checked_at, t2) << "now(), for the write without a time";
  }
  EXPECT_EQ(find_fact(facts, facts::name::kind)->first_seen_at, t1);
  EXPECT_EQ(store_->source_statuses(other_bin).size(), 1u);
  EXPECT_EQ(store_->source_statuses(kBin).size(), 1u);
  EXPECT_EQ(store_->find_supplier(other_bin)->last_verified_at, t2);

  // An unknown supplier among them is refused, naming it.
  writes.push_back({"180340021793", {gbd_ul_data("m-3", t2, '3')}, {}, t2});
  pqxx::work txn(*connection_);
  try {
    Store::record_verifications(txn, writes);
    ADD_FAILURE() << "an unknown supplier was recorded";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("180340021793"), std::string::npos) << e.what();
  }
}

// Issue 16 item 2: a fact that keeps its value is not written again. The reply that confirmed it
// is kept once for all such facts, and gives each its provenance and checked_at; a fact the
// latest reply lacked keeps the provenance of the last reply that did give it.
TEST_F(StoreTest, AnUnchangedFactIsNotRewrittenAndTakesItsProvenanceFromTheConfirmingReply) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T10:00:00.000+05:00");
  const auto t2 = t1 + std::chrono::hours(168);
  const auto t3 = t2 + std::chrono::hours(168);
  store_->record_verification({kBin, {gbd_ul_data("m-1", t1, '1')}, {}, t1});
  const auto rows_written = [&] {
    return query_value(*connection_,
                       "SELECT string_agg(message_id, ',' ORDER BY fact_name)"
                       " FROM facts_current");
  };
  const auto written_first = rows_written();
  EXPECT_EQ(written_first, "m-1,m-1,m-1");

  const auto second_reply = gbd_ul_data("m-2", t2, '2');
  const auto second = store_->record_verification({kBin, {second_reply}, {}, t2});
  EXPECT_EQ(second.facts_changed, 0);
  EXPECT_EQ(second.facts_confirmed, 3);
  EXPECT_EQ(rows_written(), written_first);  // no row of facts_current was written
  for (const auto& f : store_->current_facts(kBin)) {
    SCOPED_TRACE(f.fact.name);
    EXPECT_EQ(f.first_seen_at, t1);
    EXPECT_EQ(f.checked_at, t2);
    expect_same_provenance(f.fact.provenance, second_reply.provenance);
  }

  auto third_reply = gbd_ul_data("m-3", t3, '3');
  std::erase_if(third_reply.facts, [](const auto& f) { return f.name == facts::name::names; });
  store_->record_verification({kBin, {third_reply}, {}, t3});
  EXPECT_EQ(rows_written(), written_first);
  const auto current = store_->current_facts(kBin);
  ASSERT_EQ(current.size(), 3u);
  for (const auto& f : current) {
    SCOPED_TRACE(f.fact.name);
    const bool lacked = f.fact.name == facts::name::names;
    EXPECT_EQ(f.first_seen_at, t1);
    EXPECT_EQ(f.checked_at, lacked ? t2 : t3);
    expect_same_provenance(f.fact.provenance,
                           lacked ? second_reply.provenance : third_reply.provenance);
  }
  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM reply_confirmations"), "2");

  // A change writes the row again, with the changing reply's provenance; an older confirmation
  // no longer speaks for it.
  const auto t4 = t3 + std::chrono::hours(168);
  const auto fourth_reply = gbd_ul_data("m-4", t4, '4', "liquidated");
  store_->record_verification({kBin, {fourth_reply}, {}, t4});
  const auto after_change = store_->current_facts(kBin);
  const auto* status = find_fact(after_change, facts::name::status);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->first_seen_at, t4);
  EXPECT_EQ(status->checked_at, t4);
  expect_same_provenance(status->fact.provenance, fourth_reply.provenance);
}

// Migration 0200: the two time conversions are inlined into the statements that call them (a SQL
// function is inlined only when its body is no more volatile than it is declared), not run as
// functions of their own once per row.
TEST_F(StoreTest, TheTimeConversionsAreInlinedIntoTheirStatements) {
  for (const char* call : {"tekser_ts_to_ms(t)", "tekser_ms_to_ts(tekser_ts_to_ms(t))"}) {
    SCOPED_TRACE(call);
    const auto plan =
        query_value(*connection_, std::string("EXPLAIN (VERBOSE, FORMAT JSON) SELECT ") + call +
                                      " FROM (VALUES (now()), (now() - interval '1 day')) AS v(t)");
    EXPECT_EQ(plan.find("tekser_"), std::string::npos) << plan;
    EXPECT_NE(plan.find("EXTRACT"), std::string::npos) << plan;
  }
}

// Migration 0160: the bodies are compressed with lz4 (Debian's PostgreSQL has it), and a body
// long enough to be compressed reads back byte for byte.
TEST_F(StoreTest, TheMessageLogCompressesItsBodiesWithLz4) {
  EXPECT_EQ(
      query_value(*connection_,
                  "SELECT string_agg(attname || '=' || attcompression::text, ',' ORDER BY attname)"
                  " FROM pg_attribute WHERE attrelid = 'message_log'::regclass"
                  " AND attname IN ('request_body', 'response_body')"),
      "request_body=l,response_body=l");
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-22T14:03:07.125+05:00");
  auto exchange = message("m-1", t1, true);
  std::string body;
  for (int i = 0; body.size() < 20'000; ++i)
    body += "<ns2:row n=\"" + std::to_string(i) + "\">Мейірім Медтехника</ns2:row>";
  exchange.response_body = body;
  store_->record_verification({kBin, {}, {exchange}, t1});
  EXPECT_EQ(
      query_value(*connection_, "SELECT pg_column_compression(response_body) FROM message_log"),
      "lz4");
  const auto log = store_->messages(kBin);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].response_body, std::optional<std::string>(body));
}

// --- What was known when (GET …/eligibility?as_of=DATE) -------------------------------------

TEST_F(StoreTest, KnownAtGivesEachFactAsTheHistoryHadItWithItsLatestConfirmationThen) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-02T02:00:00.000+05:00");  // first seen
  const auto t2 = at("2026-11-09T02:00:00.000+05:00");  // seen again, unchanged
  const auto t3 = at("2026-11-16T02:00:00.000+05:00");  // the status changes
  store_->record_verification({kBin, {gbd_ul_data("m-1", t1, '1')}, {}, t1});
  store_->record_verification({kBin, {gbd_ul_data("m-2", t2, '2')}, {}, t2});
  store_->record_verification({kBin, {gbd_ul_data("m-3", t3, '3', "in_liquidation")}, {}, t3});

  const auto nothing = known_at(*connection_, kBin, t1 - std::chrono::milliseconds(1));
  EXPECT_TRUE(nothing.facts.empty());
  EXPECT_TRUE(nothing.sources.empty());

  const auto first = known_at(*connection_, kBin, t1);
  ASSERT_EQ(first.facts.size(), 3u);
  EXPECT_EQ(find_fact(first.facts, facts::name::status)->fact.provenance.message_id, "m-1");

  // Before the change the first value, with the provenance of the reply that last confirmed it
  // by then: its validity runs from that reply, not from the first.
  const auto between = known_at(*connection_, kBin, t3 - std::chrono::seconds(1));
  ASSERT_EQ(between.facts.size(), 3u);
  const auto* status = find_fact(between.facts, facts::name::status);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->fact.value, json(R"({"value":"active","since":"2019-03-04"})"));
  EXPECT_EQ(status->first_seen_at, t1);
  EXPECT_EQ(status->checked_at, t2);
  expect_same_provenance(status->fact.provenance, provenance("m-2", t2, '2'));
  ASSERT_EQ(between.sources.size(), 1u);
  EXPECT_EQ(between.sources[0].outcome, Outcome::data);
  EXPECT_EQ(between.sources[0].checked_at, t2);
  EXPECT_EQ(between.sources[0].last_data_at, t2);

  // After it the new value; the names, unchanged, confirmed by the same reply.
  const auto after = known_at(*connection_, kBin, t3);
  status = find_fact(after.facts, facts::name::status);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->fact.value, json(R"({"value":"in_liquidation","since":"2019-03-04"})"));
  EXPECT_EQ(status->first_seen_at, t3);
  EXPECT_EQ(status->fact.provenance.message_id, "m-3");
  const auto* names = find_fact(after.facts, facts::name::names);
  ASSERT_TRUE(names);
  EXPECT_EQ(names->first_seen_at, t1);
  EXPECT_EQ(names->checked_at, t3);
  EXPECT_EQ(names->fact.provenance.message_id, "m-3");
  // The same as the current facts, once nothing happened since.
  const auto current = store_->current_facts(kBin);
  ASSERT_EQ(current.size(), after.facts.size());
  for (std::size_t i = 0; i < current.size(); ++i) {
    EXPECT_EQ(after.facts[i].fact.name, current[i].fact.name);
    EXPECT_EQ(after.facts[i].fact.value, current[i].fact.value);
    EXPECT_EQ(after.facts[i].first_seen_at, current[i].first_seen_at);
    EXPECT_EQ(after.facts[i].checked_at, current[i].checked_at);
    expect_same_provenance(after.facts[i].fact.provenance, current[i].fact.provenance);
  }
}

TEST_F(StoreTest, KnownAtKeepsWhatEachSourceAnsweredThen) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-02T02:00:00.000+05:00");
  const auto t2 = at("2026-11-09T02:00:00.000+05:00");
  const auto t3 = at("2026-11-16T02:00:00.000+05:00");
  store_->record_verification({kBin, {gbd_ul_data("m-1", t1, '1')}, {}, t1});
  store_->record_verification(
      {kBin, {unknown_outcome("gbd_ul", Outcome::unavailable, "m-2", t2)}, {}, t2});
  store_->record_verification(
      {kBin, {unknown_outcome("gbd_fl", Outcome::no_data, "m-3", t3)}, {}, t3});

  const auto down = known_at(*connection_, kBin, t2);
  ASSERT_EQ(down.sources.size(), 1u);
  EXPECT_EQ(down.sources[0].outcome, Outcome::unavailable);
  EXPECT_EQ(down.sources[0].cause, "connect timeout after 2000 ms");
  EXPECT_EQ(down.sources[0].error_code, "SHEP-504");
  EXPECT_EQ(down.sources[0].message_id, "m-2");
  EXPECT_EQ(down.sources[0].last_data_at, t1);
  // The facts stay as they were: a source that was down changed none.
  EXPECT_EQ(find_fact(down.facts, facts::name::status)->fact.provenance.message_id, "m-1");

  const auto later = known_at(*connection_, kBin, t3);
  ASSERT_EQ(later.sources.size(), 2u);
  EXPECT_EQ(find_status(later.sources, "gbd_fl")->outcome, Outcome::no_data);
  EXPECT_FALSE(find_status(later.sources, "gbd_fl")->last_data_at);
  EXPECT_EQ(
      find_status(known_at(*connection_, kBin, t3 - std::chrono::seconds(1)).sources, "gbd_fl"),
      nullptr)
      << "not yet asked then";
}

// Facts written before the store kept every answer (version 130): their system answered with
// data then, as the history shows.
TEST_F(StoreTest, KnownAtTakesFactsFromBeforeTheAnswersWereKeptAsData) {
  ASSERT_TRUE(store_->upsert_supplier(legal_entity()));
  const auto t1 = at("2026-11-02T02:00:00.000+05:00");
  store_->record_verification({kBin, {gbd_ul_data("m-1", t1, '1')}, {}, t1});
  query_value(*connection_,
              "WITH d AS (DELETE FROM source_answers RETURNING 1) SELECT count(*) FROM d");
  const auto known = known_at(*connection_, kBin, t1 + std::chrono::hours(1));
  ASSERT_EQ(known.sources.size(), 1u);
  EXPECT_EQ(known.sources[0].system, "gbd_ul");
  EXPECT_EQ(known.sources[0].outcome, Outcome::data);
  EXPECT_EQ(known.sources[0].checked_at, t1);
  EXPECT_EQ(known.sources[0].last_data_at, t1);
  EXPECT_EQ(known.facts.size(), 3u);
}

}  // namespace
}  // namespace tekser::store

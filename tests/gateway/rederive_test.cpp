// Facts re-derive, the pure part (issue 15 item 12): a reply kept in the message log is read
// again exactly as on arrival — classified, its correlation and subject checked, mapped by
// today's mapping — and compared with the supplier's current facts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <boost/json.hpp>

#include "gateway/rederive/rederive.hpp"

#ifndef TEKSER_MAPPINGS_GOLDEN_DIR
#error "TEKSER_MAPPINGS_GOLDEN_DIR must name the golden replies folder"
#endif

namespace tekser::rederive {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// The messageId every golden reply's correlationId names.
constexpr const char* kAsked = "3f6c1c1e-2f7d-4d3a-9a55-0d7d2a1b9c01";

std::string golden(const std::string& name) {
  std::ifstream in(std::filesystem::path(TEKSER_MAPPINGS_GOLDEN_DIR) / name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().empty()) throw std::runtime_error("no golden reply " + name);
  return text.str();
}

store::Exchange kept(const std::string& file, const std::string& subject,
                     facts::Outcome outcome = facts::Outcome::data) {
  store::Exchange e;
  e.id = 7;
  e.message_id = kAsked;
  e.subject = subject;
  e.system = "gbd_ul";
  e.service_id = "GbdulInfoByBin_v2";
  e.response_body = golden(file);
  e.http_status = 200;
  e.outcome = outcome;
  e.reply_sha256 = std::string(64, 'a');
  e.started_at = xsd_time::TimePoint{std::chrono::milliseconds{1'790'000'000'000}};
  e.duration_ms = 250;
  e.signature = facts::SignatureStatus::valid;
  e.signer_sha256 = std::string(64, 'b');
  e.signature_algorithm = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
  return e;
}

store::SupplierRecord legal_entity(const std::string& bin) {
  store::SupplierRecord s;
  s.id = bin;
  s.subject_kind = "legal_entity";
  s.categories = {"technical_aids"};
  return s;
}

const facts::Fact* fact(const facts::SourceResult& r, const std::string& name) {
  for (const auto& f : r.facts)
    if (f.name == name) return &f;
  return nullptr;
}

store::StoredFact stored(const std::string& system, const std::string& name, json::value value,
                         const std::string& message_id) {
  store::StoredFact s;
  s.fact.name = name;
  s.fact.value = std::move(value);
  s.fact.provenance.system = system;
  s.fact.provenance.message_id = message_id;
  return s;
}

TEST(RederiveTest, AKeptReplyIsReadAsOnArrivalWithItsOwnProvenance) {
  const auto logged = kept("ul_active.xml", "150340012340");
  const auto now = reread(logged, legal_entity("150340012340"), 168h);
  ASSERT_EQ(now.outcome, facts::Outcome::data) << now.cause;
  const auto* status = fact(now, "status");
  ASSERT_NE(status, nullptr);
  // The provenance is the reply's: when it arrived, its digest and signature — not today's.
  const auto& p = status->provenance;
  EXPECT_EQ(p.system, "gbd_ul");
  EXPECT_EQ(p.message_id, kAsked);
  EXPECT_EQ(p.reply_sha256, logged.reply_sha256);
  EXPECT_EQ(p.retrieved_at, logged.started_at + 250ms);
  EXPECT_EQ(p.valid_until, p.retrieved_at + 168h);
  EXPECT_EQ(p.signature, facts::SignatureStatus::valid);
  EXPECT_EQ(p.signer_sha256, logged.signer_sha256);
  EXPECT_EQ(p.reply_message_id, "bd161f8e-9fec-4bdb-bc07-3df233d15ae4");
}

// The kept bytes are read in whatever shape the contract allows the bus to send: the payload
// typed, in the declared wrapper, under a JAXB-style undeclared root, in default namespaces or
// another prefix, optional fields left out.
TEST(RederiveTest, EveryShapeTheContractAllowsIsReadAgainAsTheTypedReply) {
  const auto supplier = legal_entity("150340012340");
  const auto typed = reread(kept("ul_active.xml", "150340012340"), supplier, 168h);
  ASSERT_EQ(typed.outcome, facts::Outcome::data) << typed.cause;
  const auto facts_of = [](const facts::SourceResult& r) {
    std::map<std::string, json::value> out;
    for (const auto& f : r.facts) out[f.name] = f.value;
    return out;
  };
  for (const auto* file :
       {"ul_active_declared_default_ns.xml", "ul_active_declared_rebound.xml",
        "ul_active_default_ns.xml", "ul_active_jaxb.xml", "ul_active_prefixed.xml"}) {
    SCOPED_TRACE(file);
    const auto now = reread(kept(file, "150340012340"), supplier, 168h);
    ASSERT_EQ(now.outcome, facts::Outcome::data) << now.cause;
    EXPECT_EQ(facts_of(now), facts_of(typed));
  }
  const auto sparse = reread(kept("ul_missing_optional.xml", "150340012340"), supplier, 168h);
  ASSERT_EQ(sparse.outcome, facts::Outcome::data) << sparse.cause;
  EXPECT_NE(fact(sparse, "status"), nullptr);
}

TEST(RederiveTest, AReplyToAnotherRequestOrAboutAnotherSubjectStaysNoEvidence) {
  auto other_request = kept("ul_active.xml", "150340012340");
  other_request.message_id = "00000000-0000-4000-8000-000000000000";
  const auto a = reread(other_request, legal_entity("150340012340"), 168h);
  EXPECT_EQ(a.outcome, facts::Outcome::malformed);
  EXPECT_NE(a.cause.find("correlationId"), std::string::npos) << a.cause;
  EXPECT_TRUE(a.facts.empty());

  // ul_active names 150340012340; kept as the answer about another BIN it says nothing of it.
  const auto b = reread(kept("ul_active.xml", "120740023454"), legal_entity("120740023454"), 168h);
  EXPECT_EQ(b.outcome, facts::Outcome::malformed);
  EXPECT_NE(b.cause.find("another subject"), std::string::npos) << b.cause;
  EXPECT_TRUE(b.facts.empty());
}

TEST(RederiveTest, WhatTheBusSaidIsClassifiedAgainNotTrustedFromTheLog) {
  // Logged as data, but today's reading finds no Response in <data>: malformed, no facts.
  const auto garbage =
      reread(kept("ul_garbage.xml", "150340012340"), legal_entity("150340012340"), 168h);
  EXPECT_NE(garbage.outcome, facts::Outcome::data);
  EXPECT_TRUE(garbage.facts.empty());

  // A kept HTTP 500 without a SOAP fault is no answer.
  auto http_error = kept("ul_active.xml", "150340012340");
  http_error.http_status = 500;
  EXPECT_EQ(reread(http_error, legal_entity("150340012340"), 168h).outcome,
            facts::Outcome::unavailable);

  // A system with no mapping here is never read as evidence.
  auto unknown = kept("ul_active.xml", "150340012340");
  unknown.system = "samruk";
  EXPECT_EQ(reread(unknown, legal_entity("150340012340"), 168h).outcome, facts::Outcome::malformed);
}

TEST(RederiveTest, CompareListsAddedChangedAndNoLongerDerivedFacts) {
  const auto logged = kept("ul_liquidated.xml", "080940003154", facts::Outcome::malformed);
  const auto now = reread(logged, legal_entity("080940003154"), 168h);
  ASSERT_EQ(now.outcome, facts::Outcome::data) << now.cause;
  const auto* status = fact(now, "status");
  ASSERT_NE(status, nullptr);
  const auto* names = fact(now, "names");
  ASSERT_NE(names, nullptr);

  std::vector<store::StoredFact> current{
      // the old mapping's reading of this reply: active (the defect a fix heals)
      stored("gbd_ul", "status", json::parse(R"({"value":"active"})"), kAsked),
      // the same value from another reply: no change, whatever the provenance
      stored("gbd_ul", "names", names->value, "older-message"),
      // read from this reply then, not today: no longer derived
      stored("gbd_ul", "obsolete_fact", json::value("x"), kAsked),
      // read from an older reply: not this reply's business
      stored("gbd_ul", "older_fact", json::value("y"), "older-message"),
      // another system's fact of the same name: never compared
      stored("kgd", "status", json::value("z"), kAsked),
  };
  const auto change = compare(logged, now, current);
  EXPECT_TRUE(change.changed());
  EXPECT_EQ(change.outcome_then, facts::Outcome::malformed);
  EXPECT_EQ(change.outcome_now, facts::Outcome::data);
  EXPECT_EQ(change.supplier_id, "080940003154");
  EXPECT_EQ(change.received_at, logged.started_at + 250ms);

  std::map<std::string, const FactChange*> by_name;
  for (const auto& f : change.facts) by_name[f.name] = &f;
  ASSERT_TRUE(by_name.count("status"));
  EXPECT_EQ(by_name["status"]->kind, FactChange::Kind::changed);
  EXPECT_EQ(*by_name["status"]->before, json::parse(R"({"value":"active"})"));
  EXPECT_EQ(*by_name["status"]->after, status->value);
  EXPECT_FALSE(by_name.count("names"));
  ASSERT_TRUE(by_name.count("obsolete_fact"));
  EXPECT_EQ(by_name["obsolete_fact"]->kind, FactChange::Kind::no_longer_derived);
  EXPECT_FALSE(by_name["obsolete_fact"]->after);
  EXPECT_FALSE(by_name.count("older_fact"));
  // Every other fact of today's reading is new to the store.
  for (const auto& f : now.facts)
    if (f.name != "status" && f.name != "names") {
      ASSERT_TRUE(by_name.count(f.name)) << f.name;
      EXPECT_EQ(by_name[f.name]->kind, FactChange::Kind::added) << f.name;
    }
}

TEST(RederiveTest, AReadingThatMatchesTheStoreIsNoChange) {
  const auto logged = kept("ul_active.xml", "150340012340");
  const auto now = reread(logged, legal_entity("150340012340"), 168h);
  std::vector<store::StoredFact> current;
  for (const auto& f : now.facts) current.push_back(stored("gbd_ul", f.name, f.value, kAsked));
  EXPECT_FALSE(compare(logged, now, current).changed());

  // Today no data where data was read: what came from this reply is no longer derived, and the
  // answer itself changed.
  auto no_longer = kept("ul_garbage.xml", "150340012340");
  const auto garbage = reread(no_longer, legal_entity("150340012340"), 168h);
  const auto change = compare(no_longer, garbage, current);
  EXPECT_TRUE(change.changed());
  EXPECT_NE(change.outcome_now, facts::Outcome::data);
  EXPECT_EQ(change.facts.size(), current.size());
  for (const auto& f : change.facts) EXPECT_EQ(f.kind, FactChange::Kind::no_longer_derived);
}

TEST(RederiveTest, TheSystemsReReadAreTheShepServicesNotTheMirroredRegisters) {
  const auto systems = rederivable_systems();
  for (const auto* expected : {"gbd_ul", "gbd_fl", "kgd", "elicense", "pa_checks"})
    EXPECT_NE(std::find(systems.begin(), systems.end(), expected), systems.end()) << expected;
  for (const auto* register_name : {"samruk", "goszakup"})
    EXPECT_EQ(std::find(systems.begin(), systems.end(), register_name), systems.end());
}

}  // namespace
}  // namespace tekser::rederive

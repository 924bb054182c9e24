// PersonalAssistantChecks (assumed contract) reply -> facts, on golden replies (the mock
// emulator's output for mocks/fixtures/pa_checks.json, and hand-edited variants).
#include <gtest/gtest.h>

#include "mappings/pa_checks/pa_checks.hpp"
#include "tests/mappings/support.hpp"

namespace {

namespace facts = tekser::facts;
namespace pa = tekser::mappings::pa_checks;
using tekser::test::count;
using tekser::test::fact;
using tekser::test::json;

const facts::Provenance& prov() {
  static const auto p = tekser::test::provenance(pa::kSystem, pa::kServiceId);
  return p;
}

tekser::mappings::MappedReply map(std::string_view golden_name, std::string_view iin) {
  const auto reply = tekser::test::golden(golden_name);
  return pa::map_reply(reply.data, iin, prov());
}

constexpr const char* kNotRegistered = R"({"registered": false, "since": null})";
constexpr const char* kNoRecord = R"({"has_unexpunged_record": false, "articles": []})";
// The golden replies before LimitedCapacity existed leave it out, as the contract allows: the
// fact then says null (unknown), never false.
constexpr const char* kCapable =
    R"({"declared_incapable": false, "court_decision_date": null, "limited_capacity": null,
        "limited_capacity_decision_date": null})";

TEST(PaChecksMapping, CleanAssistantIsThreeFactsOfAbsence) {
  const auto r = map("pa_clean.xml", "911103304560");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(r.facts.size(), 3u);
  EXPECT_EQ(fact(r, "psychiatric_registration"), json(kNotRegistered));
  EXPECT_EQ(fact(r, "criminal_record"), json(kNoRecord));
  EXPECT_EQ(fact(r, "incapacity"), json(kCapable));
  EXPECT_TRUE(r.cause.empty()) << r.cause;
  for (const auto& f : r.facts) EXPECT_TRUE(tekser::test::same(f.provenance, prov()));
}

TEST(PaChecksMapping, PsychiatricRegistration) {
  const auto r = map("pa_psychiatric.xml", "951108300601");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "psychiatric_registration"),
            json(R"({"registered": true, "since": "2016-05-12"})"));
  EXPECT_EQ(fact(r, "criminal_record"), json(kNoRecord));
  EXPECT_EQ(fact(r, "incapacity"), json(kCapable));
}

TEST(PaChecksMapping, UnexpungedCriminalRecordKeepsArticleCodesOnly) {
  const auto r = map("pa_criminal.xml", "690517300101");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "criminal_record"),
            json(R"({"has_unexpunged_record": true, "articles": ["188.2", "293.1"]})"));
  EXPECT_EQ(fact(r, "psychiatric_registration"), json(kNotRegistered));
}

TEST(PaChecksMapping, DeclaredIncapable) {
  const auto r = map("pa_incapable.xml", "821220400204");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "incapacity"),
            json(R"({"declared_incapable": true, "court_decision_date": "2021-02-11",
                     "limited_capacity": null, "limited_capacity_decision_date": null})"));
}

// Order No. 285 p.6 sub-item 3): the special register also holds persons of limited capacity.
TEST(PaChecksMapping, LimitedCapacity) {
  const auto r = map("pa_limited_capacity.xml", "870914301007");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "incapacity"),
            json(R"({"declared_incapable": false, "court_decision_date": null,
                     "limited_capacity": true, "limited_capacity_decision_date": "2023-06-05"})"));
}

TEST(PaChecksMapping, ARegisterDownLeavesThatCheckUnknownAndTheOthersData) {
  const auto r = map("pa_records_down.xml", "990412300708");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(count(r, "criminal_record"), 0u);
  EXPECT_EQ(fact(r, "psychiatric_registration"), json(kNotRegistered));
  EXPECT_EQ(fact(r, "incapacity"), json(kCapable));
  EXPECT_EQ(r.cause, "partly unknown: criminal records register: UNAVAILABLE");
}

TEST(PaChecksMapping, EveryRegisterDownIsUnavailable) {
  const auto r = map("pa_all_down.xml", "990412300708");
  EXPECT_EQ(r.outcome, facts::Outcome::unavailable);
  EXPECT_TRUE(r.facts.empty());
  EXPECT_EQ(r.error_code, "UNAVAILABLE");
  EXPECT_EQ(r.cause,
            "no register answered: psychiatric register: UNAVAILABLE; criminal records register: "
            "REFUSED; register of incapable persons: UNAVAILABLE");
}

TEST(PaChecksMapping, PersonUnknownToTheRegistersIsNoData) {
  const auto r = map("pa_not_found.xml", "780815300507");
  EXPECT_EQ(r.outcome, facts::Outcome::no_data);
  EXPECT_EQ(r.error_code, "PERSON_NOT_FOUND");
  EXPECT_TRUE(r.facts.empty());
}

TEST(PaChecksMapping, AReplyAboutAnotherIinIsMalformed) {
  const auto r = map("pa_clean.xml", "020715601127");
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_TRUE(r.facts.empty());
  // The cause names no IIN and no register data.
  EXPECT_EQ(r.cause.find("911103304560"), std::string::npos) << r.cause;
}

TEST(PaChecksMapping, AnsweredWithoutItsFlagIsMalformed) {
  const auto r = map("pa_answered_without_flag.xml", "911103304560");
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("CriminalRecord is ANSWERED without a valid has_unexpunged_record"),
            std::string::npos)
      << r.cause;
}

TEST(PaChecksMapping, AnotherShapeIsMalformed) {
  EXPECT_EQ(pa::map_reply(pugi::xml_node{}, "911103304560", prov()).outcome,
            facts::Outcome::malformed);
  EXPECT_EQ(map("ul_active.xml", "911103304560").outcome, facts::Outcome::malformed);
}

}  // namespace

// Rule sets by date: an act applies from its entry into force, computed from its first official
// publication (flagged until that date is confirmed), until its repeal; the 2022 rules (order
// No. 60) judge the days they were in force, as their own text words them.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gateway/eligibility/dates.hpp"
#include "gateway/eligibility/eligibility.hpp"

namespace tekser::eligibility {
namespace {

namespace json = boost::json;
using facts::Outcome;

const RuleSet& shipped(std::string_view id) {
  for (const auto& set : shipped_rule_sets())
    if (set.id == id) return set;
  throw std::runtime_error("no shipped rule set " + std::string(id));
}

const RuleSet& rules_2022() {
  return shipped("order-60-2022-02-16");
}
const RuleSet& rules_285() {
  return shipped("order-285-as-amended-2025-08-29");
}

std::string error_of(std::string_view text) {
  try {
    parse_rule_set(text, "dated.json");
  } catch (const RuleSetError& e) {
    return e.what();
  }
  return "(no error)";
}

// A minimal rule set with `dates` (the members that date it) spliced in.
std::string with_dates(std::string_view dates) {
  return R"({"id":"x","legal_basis":"b",)" + std::string(dates) +
         R"(,"requirements":{"p1":{"reference":"r","title_ru":"т","title_kk":"т",
            "check":"not_in_goszakup_rnu"}},"categories":{"invataxi":{"requirements":["p1"]}}})";
}

TEST(Dates, CalendarArithmetic) {
  EXPECT_EQ(add_days("2025-08-29", 11), "2025-09-09");
  EXPECT_EQ(add_days("2022-02-17", 11), "2022-02-28");
  EXPECT_EQ(add_days("2024-02-28", 1), "2024-02-29");
  EXPECT_EQ(add_days("2023-02-28", 1), "2023-03-01");
  EXPECT_EQ(add_days("2025-12-31", 1), "2026-01-01");
  EXPECT_EQ(add_days("2026-01-01", -1), "2025-12-31");
  EXPECT_THROW(add_days("2025-02-29", 1), std::invalid_argument);
  EXPECT_THROW(add_days("29.08.2025", 1), std::invalid_argument);
}

// Almaty was UTC+6 until Kazakhstan went over to one zone, UTC+5, on 1 March 2024 (its clocks
// went back at 00:00 to 23:00 on 29 February, which therefore ended at +05:00).
TEST(Dates, ADayOfAlmatyEndsAtItsOwnOffset) {
  EXPECT_EQ(end_of_day_in_almaty("2026-12-07"),
            *xsd_time::parse_datetime("2026-12-07T18:59:59.999Z"));
  EXPECT_EQ(end_of_day_in_almaty("2023-01-10"),
            *xsd_time::parse_datetime("2023-01-10T17:59:59.999Z"));
  EXPECT_EQ(end_of_day_in_almaty("2024-02-28"),
            *xsd_time::parse_datetime("2024-02-28T17:59:59.999Z"));
  EXPECT_EQ(end_of_day_in_almaty("2024-02-29"),
            *xsd_time::parse_datetime("2024-02-29T18:59:59.999Z"));
  EXPECT_THROW(end_of_day_in_almaty("2023-02-29"), std::invalid_argument);
}

// "In force once ten calendar days have passed after the day of its first official publication":
// published on D, the days D+1 .. D+10 pass, the act applies from D+11.
TEST(RuleSetDates, EntryIntoForceIsComputedFromThePublication) {
  const auto rules = parse_rule_set(
      with_dates(R"("entry_into_force":{"rule":"calendar_days_after_publication","days":10,
        "reference":"p.5"},"publication":{"date":"2022-02-18","source":"the Gazette",
        "confirmed":true})"),
      "dated.json");
  EXPECT_EQ(rules.effective_from, "2022-03-01");
  ASSERT_TRUE(rules.publication);
  EXPECT_TRUE(rules.publication->confirmed);
  EXPECT_TRUE(rules.dates_confirmed());
  EXPECT_EQ(rules.entry_into_force.days, 10);

  const auto named = parse_rule_set(
      with_dates(R"("entry_into_force":{"rule":"on_date","date":"2023-07-01","reference":"p.6"})"),
      "dated.json");
  EXPECT_EQ(named.effective_from, "2023-07-01");
  EXPECT_FALSE(named.publication);
  EXPECT_TRUE(named.dates_confirmed());
}

TEST(RuleSetDates, ErrorsNameTheFileAndTheField) {
  const auto entry =
      std::string(R"("entry_into_force":{"rule":"calendar_days_after_publication","days":10,)"
                  R"("reference":"r"})");
  const std::pair<std::string, std::string> cases[] = {
      {with_dates(R"("effective_from":"2025-08-29",)" + entry +
                  R"(,"publication":{"date":"2025-08-29","source":"s","confirmed":false})"),
       "dated.json: effective_from: computed from entry_into_force"},
      {with_dates(entry), "dated.json: publication: required with calendar_days_after_publication"},
      {with_dates(entry + R"(,"publication":{"date":"2025-08-29","source":"s"})"),
       "dated.json: publication.confirmed: required, true or false"},
      {with_dates(entry + R"(,"publication":{"date":"29.08.2025","source":"s","confirmed":false})"),
       "dated.json: publication.date: must be a date YYYY-MM-DD, got '29.08.2025'"},
      {with_dates(entry + R"(,"publication":{"date":"2025-08-29","confirmed":false})"),
       "dated.json: publication.source: required, a non-empty string"},
      {with_dates(R"("entry_into_force":{"rule":"when_signed","reference":"r"})"),
       "dated.json: entry_into_force.rule: must be calendar_days_after_publication or on_date"},
      {with_dates(
           R"("entry_into_force":{"rule":"calendar_days_after_publication","reference":"r"},)"
           R"("publication":{"date":"2025-08-29","source":"s","confirmed":false})"),
       "dated.json: entry_into_force.days: required, an integer"},
      {with_dates(R"("publication":{"date":"2025-08-29","source":"s","confirmed":false})"),
       "dated.json: entry_into_force: required"},
      {with_dates(R"("effective_from":"2023-07-01","repealed":{"from":"2023-07-01","by":"b",)"
                  R"("source":"s"})"),
       "dated.json: repealed.from: must be after the entry into force (2023-07-01)"},
      {with_dates(R"("effective_from":"2023-07-01","repealed":{"from":"2024-01-01","source":"s"})"),
       "dated.json: repealed.by: required"},
  };
  for (const auto& [text, expected] : cases)
    EXPECT_NE(error_of(text).find(expected), std::string::npos)
        << "expected '" << expected << "', got '" << error_of(text) << "'";
}

// Order No. 285 as amended by No. 261: in force ten calendar days after No. 261's first official
// publication, whose date the texts do not give — the earliest possible is assumed and flagged.
TEST(RuleSetDates, TheAmendedOrder285AppliesFromTheEntryIntoForceOfNo261NotItsSigning) {
  const auto& rules = rules_285();
  EXPECT_EQ(rules.entry_into_force.rule, "calendar_days_after_publication");
  EXPECT_EQ(rules.entry_into_force.days, 10);
  ASSERT_TRUE(rules.publication);
  EXPECT_EQ(rules.publication->date, "2025-08-29");
  EXPECT_FALSE(rules.publication->confirmed) << "assumed until confirmed from the official source";
  EXPECT_FALSE(rules.dates_confirmed());
  EXPECT_NE(rules.publication->source.find("ASSUMED"), std::string::npos);
  EXPECT_EQ(rules.effective_from, "2025-09-09");
  EXPECT_FALSE(rules.repealed);
}

TEST(RuleSetDates, The2022RulesApplyFromTheirEntryIntoForceUntilOrder285) {
  const auto& rules = rules_2022();
  ASSERT_TRUE(rules.publication);
  EXPECT_EQ(rules.publication->date, "2022-02-17") << "the day of state registration";
  EXPECT_FALSE(rules.publication->confirmed);
  EXPECT_EQ(rules.effective_from, "2022-02-28");
  ASSERT_TRUE(rules.repealed);
  EXPECT_EQ(rules.repealed->from, "2023-07-01");
  EXPECT_NE(rules.repealed->by.find("No. 285"), std::string::npos);
}

TEST(RuleSetDates, EachDayIsJudgedByTheRulesInForceOnItOrByNone) {
  const auto& sets = shipped_rule_sets();
  const auto id_on = [&](std::string_view date) {
    const auto* rules = rule_set_for(sets, date);
    return rules ? rules->id : std::string("(none)");
  };
  EXPECT_EQ(id_on("2022-02-27"), "(none)");
  EXPECT_EQ(id_on("2022-02-28"), "order-60-2022-02-16");
  EXPECT_EQ(id_on("2023-06-30"), "order-60-2022-02-16");
  // Order No. 285 as in force from 01.07.2023 until amendment No. 261 is not shipped.
  EXPECT_EQ(id_on("2023-07-01"), "(none)");
  EXPECT_EQ(id_on("2025-09-08"), "(none)");
  EXPECT_EQ(id_on("2025-09-09"), "order-285-as-amended-2025-08-29");
  EXPECT_EQ(id_on("2026-12-07"), "order-285-as-amended-2025-08-29");

  const auto gap = no_rule_set_reason(sets, "2024-01-01");
  EXPECT_NE(gap.find("order-60-2022-02-16 ceased to apply on 2023-07-01"), std::string::npos)
      << gap;
  EXPECT_NE(gap.find("order-285-as-amended-2025-08-29 applies from 2025-09-09"), std::string::npos)
      << gap;
  EXPECT_NE(gap.find("not yet confirmed"), std::string::npos) << gap;
  EXPECT_NE(gap.find("not shipped"), std::string::npos) << gap;
  const auto early = no_rule_set_reason(sets, "2021-06-01");
  EXPECT_NE(early.find("before the earliest"), std::string::npos) << early;
  EXPECT_NE(early.find("order-60-2022-02-16 applies from 2022-02-28"), std::string::npos) << early;
}

TEST(RuleSetDates, EveryShippedRuleSetSaysWhatItMakesOfEveryPortalCategory) {
  for (const auto& set : shipped_rule_sets())
    for (const auto* category :
         {"technical_aids", "sanatorium", "sign_language", "personal_assistant", "invataxi"})
      EXPECT_TRUE(set.categories.contains(category)) << set.id << " " << category;
}

// The 2022 rules, as their text words them: p.19 sub-items 2)-4) are the grounds p.20 acts on
// from the state systems; p.6 sub-item 3) an individual assistant's dispensary registration; p.4
// (article 32-2 of the Law) cannot be judged; invataxi was not theirs.
class Rules2022Test : public ::testing::Test {
 protected:
  static Input entity(std::string category) {
    Input in;
    in.supplier_id = "150340012340";
    in.category = std::move(category);
    in.today = "2023-01-10";
    in.now = *xsd_time::parse_datetime("2023-01-10T23:59:59.999+06:00");
    return in;
  }
  static void add(Input& in, std::string system, std::string name, std::string_view value) {
    facts::Fact f;
    f.name = name;
    f.value = json::parse(value);
    f.provenance.system = system;
    f.provenance.message_id = "m-" + name;
    f.provenance.retrieved_at = in.now - std::chrono::hours(20);
    f.provenance.valid_until = in.now + std::chrono::hours(24 * 6);
    in.facts[{system, name}] = f;
    in.sources[system] = SourceState{Outcome::data, ""};
  }
  static const RequirementVerdict& requirement(const Verdict& v, std::string_view id) {
    for (const auto& r : v.requirements)
      if (r.id == id) return r;
    throw std::runtime_error("no requirement " + std::string(id));
  }
};

TEST_F(Rules2022Test, TheGroundsOfP19AreJudgedAndArticle32_2StaysUnknown) {
  auto in = entity("technical_aids");
  add(in, "gbd_ul", "status", R"({"value":"active"})");
  add(in, "goszakup", "goszakup_rnu", R"({"listed":false})");
  add(in, "samruk", "quasi_public_rnu", R"({"listed":false})");
  add(in, "samruk", "samruk_unreliable", R"({"listed":false})");
  // A tax debt is no requirement the 2022 rules' own text makes.
  add(in, "kgd", "tax_debt", R"({"has_tax_debt":true,"has_social_debt":true})");
  const auto v = evaluate(rules_2022(), in);
  EXPECT_EQ(v.rule_set, "order-60-2022-02-16");
  for (const auto* id : {"p19.2", "p19.3", "p19.4"})
    EXPECT_EQ(requirement(v, id).outcome, eligibility::Outcome::pass) << id;
  const auto& law = requirement(v, "p4");
  EXPECT_EQ(law.outcome, eligibility::Outcome::unknown);
  EXPECT_NE(law.reason.ru.find("32-2"), std::string::npos) << law.reason.ru;
  EXPECT_FALSE(law.reason.kk.empty());
  EXPECT_EQ(v.overall, "undetermined") << "p.4 is never a pass by silence";
  EXPECT_EQ(v.requirements.size(), 4u);

  add(in, "goszakup", "goszakup_rnu", R"({"listed":true})");
  const auto listed = evaluate(rules_2022(), in);
  EXPECT_EQ(requirement(listed, "p19.3").outcome, eligibility::Outcome::fail);
  EXPECT_EQ(listed.overall, "not_eligible");
}

TEST_F(Rules2022Test, NoDataCitesTheLastParagraphOfP6OfThe2022Rules) {
  auto in = entity("sanatorium");
  in.sources["goszakup"] = SourceState{Outcome::no_data, "not found"};
  const auto r_verdict = evaluate(rules_2022(), in);
  const auto& r = requirement(r_verdict, "p19.3");
  EXPECT_EQ(r.outcome, eligibility::Outcome::unknown);
  EXPECT_TRUE(r.documents_required);
  EXPECT_NE(r.reason.ru.find("п.6, последний абзац, Правил 2022 года"), std::string::npos)
      << r.reason.ru;
  EXPECT_EQ(r.reason.ru.find("п.3"), std::string::npos) << r.reason.ru;
  EXPECT_NE(r.reason.kk.find("6-тармағының соңғы абзацы"), std::string::npos) << r.reason.kk;
}

TEST_F(Rules2022Test, AnIndividualAssistantIsCheckedForDispensaryRegistrationOnly) {
  auto in = entity("personal_assistant");
  in.supplier_id = "840512401230";
  in.individual = true;
  in.birth_date = "2008-05-12";  // fourteen: the 2022 rules name no age
  add(in, "gbd_fl", "status", R"({"value":"alive"})");
  add(in, "pa_checks", "psychiatric_registration", R"({"registered":true})");
  const auto v = evaluate(rules_2022(), in);
  EXPECT_EQ(requirement(v, "p6.psychiatric").outcome, eligibility::Outcome::fail);
  for (const auto& r : v.requirements)
    EXPECT_TRUE(r.id == "p19.2" || r.id == "p19.3" || r.id == "p19.4" || r.id == "p4" ||
                r.id == "p6.psychiatric")
        << r.id << " is not in the 2022 rules";
}

TEST_F(Rules2022Test, InvataxiWasNotCoveredByThe2022Rules) {
  const auto v = evaluate(rules_2022(), entity("invataxi"));
  EXPECT_EQ(v.overall, "not_covered");
  EXPECT_TRUE(v.requirements.empty());
  ASSERT_TRUE(v.reason);
  EXPECT_NE(v.reason->ru.find("инватакси"), std::string::npos);
  EXPECT_FALSE(v.reason->kk.empty());
}

TEST_F(Rules2022Test, FactsUnknownThenAreUnknownNeverAVerdict) {
  const auto v = evaluate(rules_2022(), entity("technical_aids"));
  EXPECT_EQ(v.overall, "undetermined");
  for (const auto& r : v.requirements) {
    EXPECT_EQ(r.outcome, eligibility::Outcome::unknown) << r.id;
    EXPECT_TRUE(r.evidence.empty()) << r.id;
  }
}

// p.20: deregistered automatically within one working day; no p.13-style review, no warnings.
TEST_F(Rules2022Test, TheirTriggersDeregisterWithinOneWorkingDay) {
  const auto& t = *rules_2022().triggers;
  EXPECT_EQ(t.default_deregister_policy, "rules_2022");
  EXPECT_EQ(t.deregister_policies.at("rules_2022"),
            (std::vector<std::string>{"p19.2", "p19.3", "p19.4"}));
  const auto* deregister = deadlines_for(t, "deregister", t.default_deregister_policy);
  ASSERT_NE(deregister, nullptr);
  ASSERT_EQ(deregister->steps.size(), 1u);
  EXPECT_EQ(deregister->steps[0].working_days, 1);
  EXPECT_NE(deregister->steps[0].reference.find("p.20"), std::string::npos);
  EXPECT_EQ(deadlines_for(t, "block", t.default_deregister_policy), nullptr);
  EXPECT_FALSE(t.review);
  EXPECT_TRUE(t.warn.empty());
  // The deregistration policy of the same name in order No. 285 is these rules' p.20.
  EXPECT_EQ(deadlines_for(*rules_285().triggers, "deregister", "rules_2022")->steps[0].working_days,
            1);
}

TEST(RuleSetDates, ACategoryNotCoveredHasNoRequirements) {
  EXPECT_NE(error_of(R"({"id":"x","legal_basis":"b","effective_from":"2022-02-28",
      "requirements":{"p1":{"reference":"r","title_ru":"т","title_kk":"т",
        "check":"not_in_goszakup_rnu"}},
      "categories":{"invataxi":{"not_covered":{"ru":"r","kk":"k"},"requirements":["p1"]}}})")
                .find("dated.json: categories.invataxi.not_covered: a category the rules do not "
                      "cover has no requirements"),
            std::string::npos);
}

}  // namespace
}  // namespace tekser::eligibility

// A rule set not yet in force against the one in force, supplier by supplier (pure part of
// POST /v1/rule-sets/dry-run), and how tekser-ctl prints the answer.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gateway/api/dry_run.hpp"
#include "gateway/cli/format.hpp"
#include "tests/gateway/supplier_inputs.hpp"

namespace tekser::api {
namespace {

const eligibility::RuleSet& in_force() {
  return *eligibility::rule_set_for(eligibility::shipped_rule_sets(), "2026-11-23");
}

TEST(DryRun, TheRuleSetInForceChangesNothing) {
  const auto c = compare(in_force(), in_force(), testing::clean_entity(), {"technical_aids"}, {});
  EXPECT_FALSE(c.changed());
}

TEST(DryRun, ARequirementAddedShowsInTheVerdictsItChanges) {
  auto candidate = in_force();
  candidate.id = "draft";
  candidate.categories.at("technical_aids").requirements.push_back("p3.11");
  auto in = testing::clean_entity();
  testing::set_fact(in, "elicense", "notifications", "[]");  // no taxi-carrier notification
  const auto c = compare(in_force(), candidate, in, {"technical_aids", "sign_language"}, {});
  ASSERT_TRUE(c.changed());
  ASSERT_EQ(c.categories.size(), 1u) << "sign_language did not change";
  EXPECT_EQ(c.categories[0].name, "technical_aids");
  EXPECT_EQ(c.categories[0].overall_now, "eligible");
  EXPECT_EQ(c.categories[0].overall_then, "not_eligible");
  ASSERT_EQ(c.categories[0].changed.size(), 1u);
  EXPECT_EQ(c.categories[0].changed[0],
            std::make_tuple(std::string("p3.11"), std::string("—"), std::string("fail")));
}

TEST(DryRun, ABlockGroundDroppedShowsInTheTriggersThatWouldFire) {
  auto candidate = in_force();
  auto& block = candidate.triggers->block;
  std::erase_if(block,
                [](const eligibility::TriggerGround& g) { return g.requirement == "p15.3"; });
  for (auto& [name, grounds] : candidate.triggers->deregister_policies)
    std::erase(grounds, "p15.3");
  auto in = testing::clean_entity();
  testing::set_fact(in, "goszakup", "goszakup_rnu", R"({"listed":true,"entries":[]})");
  const auto c = compare(in_force(), candidate, in, {"technical_aids"}, {});
  EXPECT_EQ(c.triggers_now, std::vector<std::string>{"block p15.3"});
  EXPECT_TRUE(c.triggers_then.empty());
  EXPECT_TRUE(c.changed());
  // An unknown category in the candidate is said, never judged.
  candidate.categories.erase("sign_language");
  const auto gone = compare(in_force(), candidate, testing::clean_entity(), {"sign_language"}, {});
  ASSERT_EQ(gone.categories.size(), 1u);
  EXPECT_EQ(gone.categories[0].overall_then, "unknown_category");
}

TEST(DryRun, CtlPrintsAHeadlineTheVerdictsAndTheTriggers) {
  const auto body = boost::json::parse(R"({
    "in_force": "order-285-as-amended-2025-08-29", "candidate": "draft",
    "candidate_effective_from": "2027-01-01", "suppliers": 6, "changed": 2,
    "verdicts_changed": 1, "triggers_changed": 1, "listed": 2,
    "changes": [
      {"supplier_id": "150340012340", "triggers_now": [], "triggers_then": [],
       "categories": [{"category": "technical_aids", "overall_now": "eligible",
                       "overall_then": "not_eligible",
                       "requirements": [{"id": "p3.11", "now": "—", "then": "fail"}]}]},
      {"supplier_id": "120740023454", "categories": [], "triggers_now": ["block p15.3"],
       "triggers_then": []}]})");
  const auto lines = ctl::dry_run_report(body);
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[0],
            "rule set draft (in force from 2027-01-01) against order-285-as-amended-2025-08-29: 6 "
            "suppliers, 2 would change (1 in their verdicts, 1 in their triggers)");
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("p3.11 —→fail"), std::string::npos) << all;
  bool trigger_line = false;
  for (const auto& l : lines)
    trigger_line = trigger_line || (l.starts_with("120740023454") &&
                                    l.find("block p15.3") != std::string::npos && l.ends_with("—"));
  EXPECT_TRUE(trigger_line) << all;
}

}  // namespace
}  // namespace tekser::api

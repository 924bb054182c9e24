// Trigger rules: facts become block / deregister / unblock / warning exactly on a change of
// state, on positive evidence only; unknown changes nothing in either direction.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gateway/calendar/working_calendar.hpp"
#include "gateway/triggers/deadlines.hpp"
#include "gateway/triggers/decide.hpp"
#include "tests/gateway/supplier_inputs.hpp"

namespace tekser::triggers {
namespace {

namespace json = boost::json;
using eligibility::Input;
using facts::Outcome;

using testing::clean_entity;
const auto kNow = testing::kInputNow;

class TriggersTest : public ::testing::Test {
 protected:
  const eligibility::RuleSet& rules() {
    return *eligibility::rule_set_for(eligibility::shipped_rule_sets(), "2026-11-23");
  }

  static void set(Input& in, std::string system, std::string name, std::string_view value,
                  xsd_time::TimePoint retrieved = kNow - std::chrono::hours(1)) {
    testing::set_fact(in, std::move(system), std::move(name), value, retrieved);
  }
  static void drop(Input& in, const std::string& system, const std::string& name) {
    in.facts.erase({system, name});
    in.sources[system] = eligibility::SourceState{Outcome::unavailable, "HTTP 503"};
  }

  Decision decide_for(const Input& in, const State& previous = {},
                      std::string_view policy = "final_grounds_only",
                      std::vector<std::string> categories = {"technical_aids"}) {
    return decide(rules(), in, categories, previous, policy);
  }

  static std::vector<std::string> kinds(const Decision& d) {
    std::vector<std::string> out;
    for (const auto& t : d.triggers) out.emplace_back(to_string(t.kind));
    return out;
  }
};

TEST_F(TriggersTest, ACleanSupplierGetsNothing) {
  const auto d = decide_for(clean_entity());
  EXPECT_TRUE(d.triggers.empty());
  EXPECT_EQ(d.next, State{});
}

TEST_F(TriggersTest, EnteringGoszakupRnuBlocksWithTheEvidenceAndWhenItArrived) {
  auto in = clean_entity();
  const auto arrived = kNow - std::chrono::minutes(5);
  set(in, "goszakup", "goszakup_rnu", R"({"listed":true,"entries":[{"start_date":"2026-11-20"}]})",
      arrived);
  const auto d = decide_for(in);
  ASSERT_EQ(kinds(d), std::vector<std::string>{"block"});
  const auto& block = d.triggers[0];
  ASSERT_EQ(block.grounds.size(), 1u);
  EXPECT_EQ(block.grounds[0].requirement, "p15.3");
  ASSERT_EQ(block.evidence.size(), 1u);
  EXPECT_EQ(block.evidence[0].provenance.system, "goszakup");
  EXPECT_EQ(block.data_received_at, arrived);
  EXPECT_EQ(d.next.block_grounds, std::set<std::string>{"p15.3"});
  EXPECT_FALSE(d.next.deregistered) << "РНУ does not deregister under order No. 285's policy";

  // The next weekly refresh finds the same: nothing new is sent.
  EXPECT_TRUE(decide_for(in, d.next).triggers.empty());
}

TEST_F(TriggersTest, The2022PolicyAlsoDeregistersOnRnu) {
  auto in = clean_entity();
  set(in, "samruk", "samruk_unreliable", R"({"listed":true,"entries":[]})");
  const auto d = decide_for(in, {}, "rules_2022");
  EXPECT_EQ(kinds(d), (std::vector<std::string>{"block", "deregister"}));
  EXPECT_EQ(d.triggers[1].grounds[0].requirement, "p15.4");
  EXPECT_TRUE(d.next.deregistered);
  EXPECT_TRUE(decide_for(in, d.next, "rules_2022").triggers.empty());
}

TEST_F(TriggersTest, LiquidationBlocksAndDeregistersAndIsFinal) {
  auto in = clean_entity();
  set(in, "gbd_ul", "status", R"({"value":"liquidated","since":"2026-11-01"})");
  const auto d = decide_for(in);
  // One event, one trigger: liquidated also fails p3.5 on the same status fact, and the block
  // says it all — no "liquidation started" warning beside it.
  EXPECT_EQ(kinds(d), (std::vector<std::string>{"block", "deregister"}));
  EXPECT_EQ(d.next.block_grounds, std::set<std::string>{"p15.2"});
  EXPECT_TRUE(d.next.warnings.contains("p3.5")) << "and not sent later either";
  // Even if a later reply read "active", a final ground is not lifted automatically.
  set(in, "gbd_ul", "status", R"({"value":"active","since":null})");
  const auto later = decide_for(in, d.next);
  EXPECT_TRUE(later.triggers.empty());
  EXPECT_TRUE(later.next.blocked());
}

TEST_F(TriggersTest, AWarningOnOtherEvidenceIsStillSentBesideAFinalBlock) {
  auto in = clean_entity();
  in.supplier_id = "840512401230";
  in.individual = true;
  in.facts.erase({"gbd_ul", "status"});
  set(in, "gbd_fl", "status", R"({"value":"deceased","death_date":"2026-11-20"})");
  set(in, "kgd", "tax_debt", R"({"has_tax_debt":true,"has_social_debt":false})");
  const auto d = decide_for(in);
  EXPECT_EQ(kinds(d), (std::vector<std::string>{"block", "deregister", "warning"}))
      << "the tax debt is another fact than the death";
}

TEST_F(TriggersTest, AnInProgressLiquidationWarnsWithoutABlock) {
  auto in = clean_entity();
  set(in, "gbd_ul", "status", R"({"value":"in_liquidation","since":"2026-11-01"})");
  const auto d = decide_for(in);
  ASSERT_EQ(kinds(d), std::vector<std::string>{"warning"});
  EXPECT_EQ(d.triggers[0].grounds[0].requirement, "p3.5");
}

TEST_F(TriggersTest, ADeathBlocksAnIndividualEntrepreneur) {
  Input in = clean_entity();
  in.facts.erase({"gbd_ul", "status"});
  in.supplier_id = "840512401230";
  in.individual = true;
  set(in, "gbd_fl", "status", R"({"value":"deceased","death_date":"2026-11-20"})");
  const auto d = decide_for(in);
  EXPECT_EQ(kinds(d), (std::vector<std::string>{"block", "deregister"}));
  EXPECT_EQ(d.triggers[0].grounds[0].requirement, "p15.2");
}

// Order No. 285 blocks automatically (p.16) and leaves deregistration to the commission (p.19):
// the rule set's default policy deregisters nothing.
TEST_F(TriggersTest, ByDefaultTheGatewayBlocksAndNeverDeregisters) {
  EXPECT_EQ(rules().triggers->default_deregister_policy, "never");
  Input in = clean_entity();
  in.facts.erase({"gbd_ul", "status"});
  in.supplier_id = "840512401230";
  in.individual = true;
  set(in, "gbd_fl", "status", R"({"value":"deceased","death_date":"2026-11-20"})");
  const auto d =
      decide(rules(), in, {"technical_aids"}, {}, rules().triggers->default_deregister_policy);
  EXPECT_EQ(kinds(d), std::vector<std::string>{"block"});
  EXPECT_FALSE(d.next.deregistered);
}

TEST_F(TriggersTest, LeavingTheRegisterUnblocksOnlyWhenEveryGroundPasses) {
  auto in = clean_entity();
  set(in, "goszakup", "goszakup_rnu", R"({"listed":true,"entries":[]})");
  set(in, "samruk", "quasi_public_rnu", R"({"listed":true,"entries":[]})");
  const auto blocked = decide_for(in);
  ASSERT_EQ(kinds(blocked), std::vector<std::string>{"block"});
  ASSERT_EQ(blocked.triggers[0].grounds.size(), 2u);

  set(in, "goszakup", "goszakup_rnu", R"({"listed":false,"entries":[]})");
  const auto half = decide_for(in, blocked.next);
  EXPECT_TRUE(half.triggers.empty()) << "still in the quasi-public register";
  EXPECT_EQ(half.next.block_grounds, std::set<std::string>{"p15.4"});

  set(in, "samruk", "quasi_public_rnu", R"({"listed":false,"entries":[]})");
  const auto free = decide_for(in, half.next);
  ASSERT_EQ(kinds(free), std::vector<std::string>{"unblock"});
  EXPECT_EQ(free.triggers[0].grounds[0].requirement, "p15.4");
  EXPECT_FALSE(free.next.blocked());
}

// p.20: a deregistered supplier is reopened only by the commission's positive decision, even when
// every ground has gone; once it is recorded, the unblock follows the evidence.
TEST_F(TriggersTest, NoUnblockAfterADeregistrationUntilTheCommissionReregisters) {
  auto in = clean_entity();
  set(in, "goszakup", "goszakup_rnu", R"({"listed":true,"entries":[]})");
  const auto deregistered = decide_for(in, {}, "rules_2022");
  ASSERT_EQ(kinds(deregistered), (std::vector<std::string>{"block", "deregister"}));
  EXPECT_EQ(deregistered.next.deregistered_by, "gateway");
  EXPECT_EQ(deregistered.next.deregistration_ground, "p15.3");

  set(in, "goszakup", "goszakup_rnu", R"({"listed":false,"entries":[]})");
  const auto left = decide_for(in, deregistered.next, "rules_2022");
  EXPECT_TRUE(left.triggers.empty()) << "no automatic reopening after a deregistration";
  EXPECT_EQ(left.next, deregistered.next) << "the ground is held until the commission decides";

  const auto reregistered = apply_commission_decision(
      rules(), left.next, {CommissionDecision::Kind::reregistration, "", "2026-11-30", "12/2026"});
  ASSERT_FALSE(reregistered.refused) << reregistered.refused->reason;
  EXPECT_FALSE(reregistered.next->deregistered);
  EXPECT_TRUE(reregistered.next->blocked()) << "the decision alone lifts nothing";
  const auto open = decide_for(in, *reregistered.next, "rules_2022");
  ASSERT_EQ(kinds(open), std::vector<std::string>{"unblock"});
  EXPECT_FALSE(open.next.blocked());
}

TEST_F(TriggersTest, ACommissionDeregistrationHoldsTheBlockLikeTheGatewaysOwn) {
  auto in = clean_entity();
  set(in, "samruk", "quasi_public_rnu", R"({"listed":true,"entries":[]})");
  const auto blocked = decide_for(in, {}, "never");
  ASSERT_EQ(kinds(blocked), std::vector<std::string>{"block"});
  const auto protocol = apply_commission_decision(
      rules(), blocked.next,
      {CommissionDecision::Kind::deregistration, "p15.4", "2026-11-25", "7/2026"});
  ASSERT_TRUE(protocol.next);
  EXPECT_EQ(protocol.next->deregistered_by, "commission");
  EXPECT_EQ(protocol.next->deregistered_on, "2026-11-25");
  set(in, "samruk", "quasi_public_rnu", R"({"listed":false,"entries":[]})");
  EXPECT_TRUE(decide_for(in, *protocol.next, "never").triggers.empty());
  // Without the deregistration the same evidence unblocks at once.
  EXPECT_EQ(kinds(decide_for(in, blocked.next, "never")), std::vector<std::string>{"unblock"});
}

TEST_F(TriggersTest, CommissionDecisionsTheStateCannotTakeAreRefusedNamingTheField) {
  State clean;
  auto refused = apply_commission_decision(
      rules(), clean, {CommissionDecision::Kind::reregistration, "", "2026-11-30", "1"});
  ASSERT_TRUE(refused.refused);
  EXPECT_EQ(refused.refused->field, "kind");
  EXPECT_TRUE(refused.refused->conflict) << "not deregistered: nothing to re-register";

  // p.20: a year after a deregistration on ground p15.5 at the earliest.
  const auto p155 = apply_commission_decision(
      rules(), clean, {CommissionDecision::Kind::deregistration, "p15.5", "2024-02-29", "2"});
  ASSERT_TRUE(p155.next);
  refused = apply_commission_decision(
      rules(), *p155.next, {CommissionDecision::Kind::reregistration, "", "2025-02-28", "3"});
  ASSERT_TRUE(refused.refused);
  EXPECT_EQ(refused.refused->field, "decided_on");
  EXPECT_FALSE(refused.refused->conflict);
  EXPECT_NE(refused.refused->reason.find("not before 2025-03-01"), std::string::npos)
      << refused.refused->reason;
  EXPECT_TRUE(
      apply_commission_decision(rules(), *p155.next,
                                {CommissionDecision::Kind::reregistration, "", "2025-03-01", "3"})
          .next);
  // Before the deregistration it would reverse.
  const auto p153 = apply_commission_decision(
      rules(), clean, {CommissionDecision::Kind::deregistration, "p15.3", "2026-11-20", "4"});
  refused = apply_commission_decision(
      rules(), *p153.next, {CommissionDecision::Kind::reregistration, "", "2026-11-19", "5"});
  ASSERT_TRUE(refused.refused);
  EXPECT_EQ(refused.refused->field, "decided_on");

  // A final ground (death, termination) is never reopened: that would be a new registration.
  State dead;
  dead.block_grounds = {"p15.2"};
  dead.deregistered = true;
  refused = apply_commission_decision(
      rules(), dead, {CommissionDecision::Kind::reregistration, "", "2026-11-30", "6"});
  ASSERT_TRUE(refused.refused);
  EXPECT_TRUE(refused.refused->conflict);
  EXPECT_NE(refused.refused->reason.find("p15.2"), std::string::npos);

  // Malformed decisions.
  EXPECT_EQ(
      apply_commission_decision(
          rules(), clean, {CommissionDecision::Kind::deregistration, "p15.9", "2026-11-30", "7"})
          .refused->field,
      "ground");
  EXPECT_EQ(
      apply_commission_decision(
          rules(), clean, {CommissionDecision::Kind::deregistration, "p15.3", "2026-02-30", "8"})
          .refused->field,
      "decided_on");
}

TEST_F(TriggersTest, UnknownNeverBlocksAndNeverUnblocks) {
  // Every source down or silent: nothing for a clean supplier...
  Input silent = clean_entity();
  silent.facts.clear();
  for (auto& [system, state] : silent.sources) state = {Outcome::unavailable, "timeout"};
  EXPECT_TRUE(decide_for(silent).triggers.empty());
  // ...and a blocked one stays blocked while the register cannot be read.
  auto in = clean_entity();
  set(in, "goszakup", "goszakup_rnu", R"({"listed":true,"entries":[]})");
  const auto blocked = decide_for(in);
  drop(in, "goszakup", "goszakup_rnu");
  const auto down = decide_for(in, blocked.next);
  EXPECT_TRUE(down.triggers.empty());
  EXPECT_EQ(down.next, blocked.next);
  // Stale evidence is no evidence either.
  set(in, "goszakup", "goszakup_rnu", R"({"listed":false,"entries":[]})");
  in.facts.at({"goszakup", "goszakup_rnu"}).provenance.valid_until = kNow - std::chrono::hours(1);
  EXPECT_TRUE(decide_for(in, blocked.next).triggers.empty());
}

TEST_F(TriggersTest, WarningsFollowCompliance) {
  auto in = clean_entity();
  set(in, "kgd", "tax_debt", R"({"has_tax_debt":true,"has_social_debt":false})");
  const auto debt = decide_for(in);
  ASSERT_EQ(kinds(debt), std::vector<std::string>{"warning"});
  EXPECT_EQ(debt.triggers[0].grounds[0].requirement, "p3.4");
  EXPECT_FALSE(debt.next.blocked()) << "a tax debt warns; it is not a p.15 ground";
  EXPECT_TRUE(decide_for(in, debt.next).triggers.empty()) << "warned once";
  // The debt paid, then a new one: a new warning.
  set(in, "kgd", "tax_debt", R"({"has_tax_debt":false,"has_social_debt":false})");
  const auto paid = decide_for(in, debt.next);
  EXPECT_TRUE(paid.triggers.empty());
  EXPECT_TRUE(paid.next.warnings.empty());
  set(in, "kgd", "tax_debt", R"({"has_tax_debt":false,"has_social_debt":true})");
  EXPECT_EQ(kinds(decide_for(in, paid.next)), std::vector<std::string>{"warning"});
}

TEST_F(TriggersTest, ALapsedLicenceWarnsOnlyInACategoryThatNeedsOne) {
  auto in = clean_entity();
  set(in, "elicense", "licences",
      R"([{"number":"KZ12LIC0001","activity_code":"MED","status":"revoked","expires":null}])");
  EXPECT_EQ(kinds(decide_for(in, {}, "final_grounds_only", {"technical_aids"})),
            std::vector<std::string>{"warning"});
  EXPECT_TRUE(decide_for(in, {}, "final_grounds_only", {"sign_language"}).triggers.empty());
}

TEST_F(TriggersTest, StateRoundTripsThroughJson) {
  State s;
  s.block_grounds = {"p15.3", "p15.4"};
  s.deregistered = true;
  s.deregistered_by = "commission";
  s.deregistration_ground = "p15.5";
  s.deregistered_on = "2026-11-25";
  s.warnings = {"p3.4"};
  s.legal_address_sha256 = std::string(64, 'b');
  EXPECT_EQ(state_from_json(to_json(s)), s);
  EXPECT_THROW(state_from_json(json::parse(R"({"deregistered_on":5})")), std::invalid_argument);
  EXPECT_THROW(state_from_json(json::parse(R"({"block_grounds":"p15.3"})")), std::invalid_argument);
}

TEST_F(TriggersTest, AnUnknownPolicyIsRefused) {
  EXPECT_THROW(decide_for(clean_entity(), {}, "sometimes"), eligibility::RuleSetError);
}

// p.15 sub-item 2: an entrepreneur KGD deregistered (stopped trading) is blocked, finally; a
// personal assistant's old entrepreneur registration is no ground.
TEST_F(TriggersTest, AnEntrepreneurWhoStoppedTradingIsBlockedOnKgdsEvidence) {
  auto in = clean_entity("840512401230");
  in.facts.erase({"gbd_ul", "status"});
  in.individual = true;
  in.entrepreneur = true;
  set(in, "gbd_fl", "status", R"({"value":"alive"})");
  set(in, "kgd", "entrepreneur_registration",
      R"({"status":"registered","code":"1","registered_on":"2012-03-15"})");
  EXPECT_TRUE(decide_for(in).triggers.empty());
  set(in, "kgd", "entrepreneur_registration",
      R"({"status":"deregistered","code":"2","deregistered_on":"2026-11-20"})");
  const auto d = decide_for(in, {}, "never");
  ASSERT_EQ(kinds(d), std::vector<std::string>{"block"});
  EXPECT_EQ(d.triggers[0].grounds[0].requirement, "p15.2");
  EXPECT_EQ(d.triggers[0].evidence.at(0).provenance.system, "kgd");
  // Final: registered again later, it is not unblocked automatically.
  set(in, "kgd", "entrepreneur_registration", R"({"status":"registered","code":"1"})");
  EXPECT_TRUE(decide_for(in, d.next, "never").triggers.empty());

  auto assistant = in;
  assistant.entrepreneur = false;
  set(assistant, "kgd", "entrepreneur_registration",
      R"({"status":"deregistered","code":"2","deregistered_on":"2020-01-01"})");
  EXPECT_TRUE(decide_for(assistant, {}, "never", {"personal_assistant"}).triggers.empty());
}

// ---- p.13: a changed legal address ----

constexpr const char* kAstana =
    R"({"kato":"711210000","zip":"010000","city_ru":"г. Астана","street_ru":"улица Сарыарка",)"
    R"("building":"6","office":"12","text_ru":"010000, г. Астана, улица Сарыарка, дом 6, офис 12"})";

TEST_F(TriggersTest, TheFirstAddressSeenIsRememberedWithoutATrigger) {
  auto in = clean_entity();
  set(in, "gbd_ul", "legal_address", kAstana);
  const auto d = decide_for(in);
  EXPECT_TRUE(d.triggers.empty());
  EXPECT_EQ(d.next.legal_address_sha256, address_digest(json::parse(kAstana)));
  EXPECT_EQ(d.next.legal_address_sha256.size(), 64u);
}

TEST_F(TriggersTest, TheSameAddressWrittenOtherwiseIsNoChange) {
  State seen;
  seen.legal_address_sha256 = address_digest(json::parse(kAstana));
  auto in = clean_entity();
  // spaces, the derived one-line text and member order do not make another address
  set(in, "gbd_ul", "legal_address",
      R"({"office":"12","building":"6","street_ru":"улица  Сарыарка ","city_ru":"г. Астана",)"
      R"("zip":"010000","kato":"711210000","text_ru":"другая строка"})");
  EXPECT_TRUE(decide_for(in, seen).triggers.empty());
}

TEST_F(TriggersTest, AChangedAddressSendsAReviewWithTheNewAddressAsEvidence) {
  State seen;
  seen.legal_address_sha256 = address_digest(json::parse(kAstana));
  auto in = clean_entity();
  const auto arrived = kNow - std::chrono::minutes(7);
  set(in, "gbd_ul", "legal_address",
      R"({"kato":"711210000","zip":"010000","city_ru":"г. Астана","street_ru":"улица Сарыарка",)"
      R"("building":"8","text_ru":"010000, г. Астана, улица Сарыарка, дом 8"})",
      arrived);
  const auto d = decide_for(in, seen);
  ASSERT_EQ(kinds(d), std::vector<std::string>{"review"});
  const auto& review = d.triggers[0];
  ASSERT_EQ(review.grounds.size(), 1u);
  EXPECT_EQ(review.grounds[0].requirement, "p13.legal_address");
  EXPECT_NE(review.grounds[0].reference.find("p.13"), std::string::npos);
  EXPECT_NE(review.grounds[0].reason.ru.find("дом 8"), std::string::npos)
      << review.grounds[0].reason.ru;
  ASSERT_EQ(review.evidence.size(), 1u);
  EXPECT_EQ(review.evidence[0].name, "legal_address");
  EXPECT_EQ(review.evidence[0].provenance.system, "gbd_ul");
  EXPECT_EQ(review.data_received_at, arrived);
  EXPECT_NE(d.next.legal_address_sha256, seen.legal_address_sha256);
  // Seen now: the next refresh with the same address sends nothing.
  EXPECT_TRUE(decide_for(in, d.next).triggers.empty());
}

TEST_F(TriggersTest, AnIndividualsAddressComesFromGbdFl) {
  auto in = clean_entity("840512401230");
  in.individual = true;
  State seen;
  seen.legal_address_sha256 = std::string(64, 'c');
  set(in, "gbd_ul", "legal_address", kAstana);  // not the individual's source: ignored
  EXPECT_TRUE(decide_for(in, seen).triggers.empty());
  set(in, "gbd_fl", "legal_address",
      R"({"region_code":"1911","city":"Алматы","street":"Абая","building":"10","flat":"5"})");
  const auto d = decide_for(in, seen);
  ASSERT_EQ(kinds(d), std::vector<std::string>{"review"});
  EXPECT_EQ(d.triggers[0].evidence[0].provenance.system, "gbd_fl");
  EXPECT_NE(d.triggers[0].grounds[0].reason.ru.find("ГБД ФЛ"), std::string::npos);
}

TEST_F(TriggersTest, NoAddressAStaleOneOrADeregisteredSupplierSendsNoReview) {
  State seen;
  seen.legal_address_sha256 = address_digest(json::parse(kAstana));
  auto in = clean_entity();
  // none: nothing said, nothing changes
  EXPECT_TRUE(decide_for(in, seen).triggers.empty());
  EXPECT_EQ(decide_for(in, seen).next.legal_address_sha256, seen.legal_address_sha256);
  // null (the reply had no Address) is no address either
  set(in, "gbd_ul", "legal_address", "null");
  EXPECT_TRUE(decide_for(in, seen).triggers.empty());
  // past its valid_until, a fact proves nothing any more
  set(in, "gbd_ul", "legal_address", R"({"kato":"751110000","building":"1"})");
  in.facts.at({"gbd_ul", "legal_address"}).provenance.valid_until = kNow - std::chrono::hours(1);
  EXPECT_TRUE(decide_for(in, seen).triggers.empty());
  // deregistered: nothing to re-review; the new address is remembered all the same
  set(in, "gbd_ul", "legal_address", R"({"kato":"751110000","building":"1"})");
  State deregistered = seen;
  deregistered.deregistered = true;
  const auto d = decide_for(in, deregistered);
  EXPECT_TRUE(d.triggers.empty());
  EXPECT_NE(d.next.legal_address_sha256, seen.legal_address_sha256);
}

// ---- deadlines: only those the law gives ----

TEST_F(TriggersTest, OnlyAReviewAndA2022DeregistrationCarryDeadlines) {
  const auto& t = *rules().triggers;
  for (const char* kind : {"block", "unblock", "warning"})
    for (const char* policy : {"never", "final_grounds_only", "rules_2022"})
      EXPECT_EQ(eligibility::deadlines_for(t, kind, policy), nullptr) << kind << " " << policy;
  EXPECT_EQ(eligibility::deadlines_for(t, "deregister", "final_grounds_only"), nullptr);
  const auto* dereg = eligibility::deadlines_for(t, "deregister", "rules_2022");
  ASSERT_NE(dereg, nullptr);
  ASSERT_EQ(dereg->steps.size(), 1u);
  EXPECT_EQ(dereg->steps[0].working_days, 1);
  EXPECT_NE(dereg->steps[0].reference.find("No. 60"), std::string::npos);
  const auto* review = eligibility::deadlines_for(t, "review", "never");
  ASSERT_NE(review, nullptr);
  ASSERT_EQ(review->steps.size(), 2u);
  EXPECT_EQ(review->steps[0].step, "commission_review");
  EXPECT_EQ(review->steps[0].working_days, 5);
  EXPECT_EQ(review->steps[1].step, "inform_territorial_unit");
  EXPECT_EQ(review->steps[1].working_days, 1);
}

TEST_F(TriggersTest, AReviewsStepsAreCountedOneAfterTheOtherInWorkingDays) {
  const auto calendar = calendar::WorkingCalendar::load_dir(TEKSER_CALENDAR_DIR);
  const auto* review = eligibility::deadlines_for(*rules().triggers, "review", "never");
  // Thursday 15 January 2026: five working days to Thursday 22, then one to Friday 23.
  auto due =
      deadlines_due(calendar, review, *xsd_time::parse_datetime("2026-01-15T10:00:00+05:00"));
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(xsd_time::format_datetime(due[0].due), "2026-01-22T23:59:59.999+05:00");
  EXPECT_EQ(xsd_time::format_datetime(due[1].due), "2026-01-23T23:59:59.999+05:00");
  EXPECT_FALSE(due[0].estimate);
  // Friday 27 November 2026: to Friday 4 December, then Monday 7 December (a weekend between).
  due = deadlines_due(calendar, review, *xsd_time::parse_datetime("2026-11-27T18:00:00+05:00"));
  EXPECT_EQ(xsd_time::format_datetime(due[0].due), "2026-12-04T23:59:59.999+05:00");
  EXPECT_EQ(xsd_time::format_datetime(due[1].due), "2026-12-07T23:59:59.999+05:00");
  EXPECT_TRUE(deadlines_due(calendar, nullptr, kNow).empty());
}

TEST(TriggerRules, TheOldSingleDeadlineIsRefusedNamingItsReplacement) {
  const std::string text = R"({"id":"x","effective_from":"2026-01-01","legal_basis":"b",
    "requirements":{"p15.3":{"reference":"r","title_ru":"t","title_kk":"t","check":"not_in_goszakup_rnu"}},
    "categories":{},
    "triggers":{"legal_basis":"p.16","block":[{"requirement":"p15.3"}],
                "deregister_policies":{"none":[]},"default_deregister_policy":"none",
                "deadline_working_days":1}})";
  try {
    eligibility::parse_rule_set(text, "x.json");
    FAIL() << "accepted";
  } catch (const eligibility::RuleSetError& e) {
    EXPECT_NE(std::string(e.what()).find("triggers.deadline_working_days: replaced by "
                                         "triggers.deadlines"),
              std::string::npos)
        << e.what();
  }
}

TEST(TriggerRules, ARuleSetNamingAMissingRequirementIsRefused) {
  const std::string text = R"({"id":"x","effective_from":"2026-01-01","legal_basis":"b",
    "requirements":{"p15.3":{"reference":"r","title_ru":"t","title_kk":"t","check":"not_in_goszakup_rnu"}},
    "categories":{},
    "triggers":{"legal_basis":"p.16","block":[{"requirement":"p15.9"}],
                "deregister_policies":{"none":[]},"default_deregister_policy":"none"}})";
  try {
    eligibility::parse_rule_set(text, "x.json");
    FAIL() << "accepted";
  } catch (const eligibility::RuleSetError& e) {
    EXPECT_STREQ(e.what(), "x.json: triggers.block[0].requirement: no requirement 'p15.9'");
  }
}

}  // namespace
}  // namespace tekser::triggers

// Prints, one per line, the trigger documents tekser builds for the cases of p.15-p.26 (a
// supplier entering goszakup РНУ, liquidated, dead, leaving the register, with a tax debt, with
// a lapsed licence), so that an independent validator (trigger_contract_test.py, Python's
// jsonschema) can check them against contracts/portal/trigger.schema.json.
#include <iostream>
#include <string>
#include <string_view>

#include "gateway/calendar/working_calendar.hpp"
#include "gateway/triggers/deadlines.hpp"
#include "gateway/triggers/document.hpp"
#include "tests/gateway/supplier_inputs.hpp"

namespace {

using namespace tekser;
using testing::clean_entity;
using testing::set_fact;

int printed = 0;

void print(const eligibility::RuleSet& rules, const eligibility::Input& in,
           const triggers::State& previous = {}, std::string_view policy = {}) {
  static const auto calendar = calendar::WorkingCalendar::load_dir(TEKSER_CALENDAR_DIR);
  const auto decision = triggers::decide(
      rules, in, {"technical_aids", "invataxi"}, previous,
      policy.empty() ? rules.triggers->default_deregister_policy : std::string(policy));
  long long sequence = 1;
  for (const auto& draft : decision.triggers) {
    triggers::DocumentContext context;
    context.trigger_id =
        "00000000-0000-4000-8000-" + std::string(11, '0') + std::to_string(printed % 10);
    context.supplier_id = in.supplier_id;
    context.individual = in.individual;
    context.sequence = sequence++;
    context.rule_set = rules.id;
    context.created_at = testing::kInputNow;
    const auto chosen =
        policy.empty() ? rules.triggers->default_deregister_policy : std::string(policy);
    context.deadlines = triggers::deadlines_due(
        calendar, eligibility::deadlines_for(*rules.triggers, to_string(draft.kind), chosen),
        draft.data_received_at);
    if (draft.kind == triggers::Kind::unblock)
      context.supersedes = "00000000-0000-4000-8000-0000000000ff";
    std::cout << triggers::document(draft, context) << '\n';
    ++printed;
  }
}

}  // namespace

int main() {
  const auto& rules = *eligibility::rule_set_for(eligibility::shipped_rule_sets(), "2026-11-23");
  auto rnu = clean_entity();
  set_fact(rnu, "goszakup", "goszakup_rnu",
           R"({"listed":true,"entries":[{"index_date":"2026-11-20","reason":"уклонение"}]})");
  print(rules, rnu);

  auto liquidated = clean_entity("080940003154");
  set_fact(liquidated, "gbd_ul", "status", R"({"value":"liquidated","since":"2026-11-01"})");
  print(rules, liquidated);
  // a portal on the 2022 rules: the block and a deregistration (one working day)
  print(rules, liquidated, {}, "rules_2022");

  auto dead = clean_entity("840512401230");
  dead.facts.erase({"gbd_ul", "status"});
  dead.individual = true;
  set_fact(dead, "gbd_fl", "status", R"({"value":"deceased","death_date":"2026-11-20"})");
  print(rules, dead);
  print(rules, dead, {}, "rules_2022");

  auto left = clean_entity();
  triggers::State blocked;
  blocked.block_grounds = {"p15.3"};
  print(rules, left, blocked);

  auto debt = clean_entity();
  set_fact(debt, "kgd", "tax_debt", R"({"has_tax_debt":true,"has_social_debt":true})");
  set_fact(debt, "elicense", "notifications", R"([])");
  print(rules, debt);

  // p.13: an address other than the one last seen
  auto moved = clean_entity("080940003154");
  set_fact(moved, "gbd_ul", "legal_address",
           R"({"kato":"711210000","city_ru":"г. Астана","street_ru":"улица Сарыарка",)"
           R"("building":"6","text_ru":"г. Астана, улица Сарыарка, дом 6"})");
  triggers::State seen;
  seen.legal_address_sha256 = std::string(64, 'a');
  print(rules, moved, seen);

  std::cerr << printed << " documents\n";
  return printed >= 11 ? 0 : 1;
}

#include "gateway/triggers/decide.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/json.hpp>

namespace tekser::triggers {
namespace {

namespace json = boost::json;
using eligibility::Outcome;
using eligibility::RequirementVerdict;

Ground ground_of(const RequirementVerdict& verdict) {
  return Ground{verdict.id, verdict.reference, verdict.title, verdict.reason};
}

void add_evidence(Draft& draft, const RequirementVerdict& verdict) {
  for (const auto& fact : verdict.evidence) {
    const bool known =
        std::any_of(draft.evidence.begin(), draft.evidence.end(), [&](const facts::Fact& f) {
          return f.name == fact.name && f.provenance.system == fact.provenance.system;
        });
    if (!known) draft.evidence.push_back(fact);
    draft.data_received_at = std::max(draft.data_received_at, fact.provenance.retrieved_at);
  }
}

bool listed_in(const eligibility::CategoryRules& category, const std::string& requirement) {
  return std::find(category.requirements.begin(), category.requirements.end(), requirement) !=
         category.requirements.end();
}

std::set<std::string> string_set(const json::object& o, const char* key) {
  std::set<std::string> out;
  const auto* v = o.if_contains(key);
  if (!v) return out;
  if (!v->is_array())
    throw std::invalid_argument(std::string("trigger state: ") + key + " must be an array");
  for (const auto& item : v->as_array()) {
    if (!item.is_string())
      throw std::invalid_argument(std::string("trigger state: ") + key + " must hold strings");
    out.emplace(item.as_string());
  }
  return out;
}

json::array to_array(const std::set<std::string>& set) {
  json::array out;
  for (const auto& s : set) out.emplace_back(s);
  return out;
}

}  // namespace

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::block:
      return "block";
    case Kind::deregister:
      return "deregister";
    case Kind::unblock:
      return "unblock";
    case Kind::warning:
      return "warning";
  }
  return "block";
}

json::value to_json(const State& state) {
  json::object out{{"block_grounds", to_array(state.block_grounds)},
                   {"deregistered", state.deregistered},
                   {"warnings", to_array(state.warnings)}};
  if (!state.block_trigger_id.empty()) out["block_trigger_id"] = state.block_trigger_id;
  return out;
}

State state_from_json(const json::value& value) {
  if (!value.is_object()) throw std::invalid_argument("trigger state: must be an object");
  const auto& o = value.as_object();
  State state;
  state.block_grounds = string_set(o, "block_grounds");
  state.warnings = string_set(o, "warnings");
  if (const auto* d = o.if_contains("deregistered")) {
    if (!d->is_bool()) throw std::invalid_argument("trigger state: deregistered must be a boolean");
    state.deregistered = d->as_bool();
  }
  if (const auto* id = o.if_contains("block_trigger_id")) {
    if (!id->is_string())
      throw std::invalid_argument("trigger state: block_trigger_id must be a string");
    state.block_trigger_id = std::string(id->as_string());
  }
  return state;
}

Decision decide(const eligibility::RuleSet& rules, const eligibility::Input& input,
                const std::vector<std::string>& categories, const State& previous,
                std::string_view deregister_policy) {
  if (!rules.triggers)
    throw eligibility::RuleSetError("rule set " + rules.id + " has no trigger rules");
  const auto& t = *rules.triggers;
  const auto policy = t.deregister_policies.find(std::string(deregister_policy));
  if (policy == t.deregister_policies.end())
    throw eligibility::RuleSetError("rule set " + rules.id + " has no deregistration policy '" +
                                    std::string(deregister_policy) + "'");
  Decision decision;
  decision.next = previous;
  State& next = decision.next;

  // Block grounds: category-independent.
  Draft block{Kind::block, {}, {}, {}};
  Draft deregister{Kind::deregister, {}, {}, {}};
  Draft unblock{Kind::unblock, {}, {}, {}};
  for (const auto& ground : t.block) {
    const auto verdict = eligibility::evaluate_requirement(rules, ground.requirement, input);
    const bool held = previous.block_grounds.contains(ground.requirement);
    if (verdict.outcome == Outcome::fail) {
      if (!held) {
        next.block_grounds.insert(ground.requirement);
        block.grounds.push_back(ground_of(verdict));
        add_evidence(block, verdict);
      }
      const auto& deregistering = policy->second;
      if (!previous.deregistered && std::find(deregistering.begin(), deregistering.end(),
                                              ground.requirement) != deregistering.end()) {
        deregister.grounds.push_back(ground_of(verdict));
        add_evidence(deregister, verdict);
      }
    } else if (verdict.outcome == Outcome::pass && held && !ground.final) {
      next.block_grounds.erase(ground.requirement);
      unblock.grounds.push_back(ground_of(verdict));
      add_evidence(unblock, verdict);
    }
  }
  // A supplier already blocked gets no second block for another ground: the portal's state is
  // "blocked" either way; the ground is kept so that an unblock waits for every one to clear.
  if (!block.grounds.empty() && !previous.blocked()) decision.triggers.push_back(std::move(block));
  if (!deregister.grounds.empty()) {
    next.deregistered = true;
    decision.triggers.push_back(std::move(deregister));
  }
  // Leaving the register allows re-registration (p.20) even after a deregistration, which a
  // later entry may then repeat.
  if (!unblock.grounds.empty() && previous.blocked() && !next.blocked()) {
    next.deregistered = false;
    next.block_trigger_id.clear();
    decision.triggers.push_back(std::move(unblock));
  }

  // Warnings: per category, where the category's requirements list the monitored requirement.
  for (const auto& requirement : t.warn) {
    std::optional<RequirementVerdict> failing;
    bool all_pass = true;
    bool evaluated = false;
    for (const auto& name : categories) {
      const auto category = rules.categories.find(name);
      if (category == rules.categories.end() || !listed_in(category->second, requirement)) continue;
      eligibility::Input in_category = input;
      in_category.category = name;
      auto verdict = eligibility::evaluate_requirement(rules, requirement, in_category);
      if (verdict.outcome == Outcome::not_applicable) continue;
      evaluated = true;
      if (verdict.outcome != Outcome::pass) all_pass = false;
      if (verdict.outcome == Outcome::fail && !failing) failing = std::move(verdict);
    }
    if (failing && !previous.warnings.contains(requirement)) {
      next.warnings.insert(requirement);
      Draft warning{Kind::warning, {ground_of(*failing)}, {}, {}};
      add_evidence(warning, *failing);
      decision.triggers.push_back(std::move(warning));
    } else if (evaluated && all_pass) {
      // Compliance is back (positive evidence): a later lapse warns again.
      next.warnings.erase(requirement);
    }
  }
  return decision;
}

}  // namespace tekser::triggers

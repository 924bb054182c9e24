#include "gateway/triggers/decide.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>

#include <boost/json.hpp>

#include "common/digest/sha256.hpp"

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
    case Kind::review:
      return "review";
  }
  return "block";
}

json::value to_json(const State& state) {
  json::object out{{"block_grounds", to_array(state.block_grounds)},
                   {"deregistered", state.deregistered},
                   {"warnings", to_array(state.warnings)}};
  if (!state.block_trigger_id.empty()) out["block_trigger_id"] = state.block_trigger_id;
  if (!state.deregistered_by.empty()) out["deregistered_by"] = state.deregistered_by;
  if (!state.deregistration_ground.empty())
    out["deregistration_ground"] = state.deregistration_ground;
  if (!state.deregistered_on.empty()) out["deregistered_on"] = state.deregistered_on;
  if (!state.legal_address_sha256.empty()) out["legal_address_sha256"] = state.legal_address_sha256;
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
  const auto text = [&o](const char* key, std::string& into) {
    if (const auto* v = o.if_contains(key)) {
      if (!v->is_string())
        throw std::invalid_argument(std::string("trigger state: ") + key + " must be a string");
      into = std::string(v->as_string());
    }
  };
  text("block_trigger_id", state.block_trigger_id);
  text("deregistered_by", state.deregistered_by);
  text("deregistration_ground", state.deregistration_ground);
  text("deregistered_on", state.deregistered_on);
  text("legal_address_sha256", state.legal_address_sha256);
  return state;
}

std::string address_digest(const json::value& address) {
  if (!address.is_object() || address.as_object().empty()) return {};
  // Keys in order (json::object keeps insertion order, which a mapping change could alter).
  std::map<std::string, std::string> parts;
  for (const auto& [key, value] : address.as_object()) {
    if (key == "text_ru" || key == "text_kk" || key == "registered_since" || value.is_null())
      continue;
    if (!value.is_string()) {
      parts.emplace(std::string(key), json::serialize(value));
      continue;
    }
    std::string words;
    bool space = false;
    for (const char c : value.as_string()) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        space = !words.empty();
        continue;
      }
      if (space) words += ' ';
      space = false;
      words += c;
    }
    if (!words.empty()) parts.emplace(std::string(key), std::move(words));
  }
  if (parts.empty()) return {};
  std::string canonical;
  for (const auto& [key, value] : parts) canonical += key + '\x1f' + value + '\x1e';
  return digest::sha256_hex(canonical);
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
  // The facts a failing final ground (death, termination) rests on: a warning about the same
  // fact is not sent — the block says it all (one event, one trigger).
  std::set<std::pair<std::string, std::string>> final_evidence;
  for (const auto& ground : t.block) {
    const auto verdict = eligibility::evaluate_requirement(rules, ground.requirement, input);
    const bool held = previous.block_grounds.contains(ground.requirement);
    if (verdict.outcome == Outcome::fail && ground.final)
      for (const auto& fact : verdict.evidence)
        final_evidence.emplace(fact.provenance.system, fact.name);
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
    } else if (verdict.outcome == Outcome::pass && held && !ground.final &&
               !previous.deregistered) {
      // Deregistered, the supplier is reopened only by the commission's positive decision
      // (p.20, last paragraph): until apply_commission_decision() releases it, the ground stays.
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
    next.deregistered_by = "gateway";
    next.deregistration_ground = deregister.grounds.front().requirement;
    decision.triggers.push_back(std::move(deregister));
  }
  if (!unblock.grounds.empty() && previous.blocked() && !next.blocked()) {
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
    const bool said_by_a_block =
        failing &&
        std::any_of(failing->evidence.begin(), failing->evidence.end(), [&](const facts::Fact& f) {
          return final_evidence.contains({f.provenance.system, f.name});
        });
    if (said_by_a_block) {
      next.warnings.insert(requirement);  // never sent later either: a final block stays
    } else if (failing && !previous.warnings.contains(requirement)) {
      next.warnings.insert(requirement);
      Draft warning{Kind::warning, {ground_of(*failing)}, {}, {}};
      add_evidence(warning, *failing);
      decision.triggers.push_back(std::move(warning));
    } else if (evaluated && all_pass) {
      // Compliance is back (positive evidence): a later lapse warns again.
      next.warnings.erase(requirement);
    }
  }

  // p.13: the legal address changed since it was last seen. Only a fresh fact speaks (one
  // past its valid_until proves nothing any more); a deregistered supplier is not reviewed.
  if (t.review) {
    const auto& review = *t.review;
    const auto system = input.individual ? review.individual_system : review.entity_system;
    const auto found = input.facts.find({system, review.fact});
    const bool fresh =
        found != input.facts.end() &&
        (input.now == xsd_time::TimePoint{} || found->second.provenance.valid_until > input.now);
    const auto digest = fresh ? address_digest(found->second.value) : std::string();
    if (!digest.empty() && digest != previous.legal_address_sha256) {
      next.legal_address_sha256 = digest;
      if (!previous.legal_address_sha256.empty() && !previous.deregistered) {
        const auto& fact = found->second;
        const auto text = [&](const char* key) {
          const auto* v = fact.value.as_object().if_contains(key);
          return v && v->is_string() ? std::string(v->as_string()) : std::string();
        };
        const auto where_ru = text("text_ru");
        const auto where_kk = text("text_kk");
        const auto source_ru = system == "gbd_fl" ? "ГБД ФЛ" : "ГБД ЮЛ";
        const auto source_kk = system == "gbd_fl" ? "ЖТ МДҚ" : "ЗТ МДҚ";
        Ground ground{review.code,
                      review.reference,
                      review.title,
                      {std::string(source_ru) + ": юридический адрес изменился" +
                           (where_ru.empty() ? std::string() : ", новый адрес: " + where_ru),
                       std::string(source_kk) + ": заңды мекенжай өзгерді" +
                           (where_kk.empty() ? std::string() : ", жаңа мекенжай: " + where_kk)}};
        Draft draft{Kind::review, {std::move(ground)}, {fact}, fact.provenance.retrieved_at};
        decision.triggers.push_back(std::move(draft));
      }
    }
  }
  return decision;
}

std::string_view to_string(CommissionDecision::Kind kind) {
  return kind == CommissionDecision::Kind::deregistration ? "deregistration" : "reregistration";
}

namespace {

std::optional<std::chrono::year_month_day> parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char dash1 = 0, dash2 = 0;
  if (text.size() != 10 ||
      std::sscanf(text.c_str(), "%4d%c%2u%c%2u", &y, &dash1, &m, &dash2, &d) != 5 || dash1 != '-' ||
      dash2 != '-')
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(m),
                                         std::chrono::day(d)};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string format_date(std::chrono::year_month_day date) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return out;
}

// A year after `date`; 29 February gives 1 March.
std::chrono::year_month_day a_year_after(std::chrono::year_month_day date) {
  const auto next = date + std::chrono::years(1);
  if (next.ok()) return next;
  return std::chrono::year_month_day(std::chrono::sys_days(std::chrono::year_month_day_last(
                                         next.year(), std::chrono::month_day_last(next.month()))) +
                                     std::chrono::days(1));
}

}  // namespace

CommissionOutcome apply_commission_decision(const eligibility::RuleSet& rules,
                                            const State& previous,
                                            const CommissionDecision& decision) {
  const auto refuse = [](std::string field, std::string reason, bool conflict) {
    return CommissionOutcome{std::nullopt,
                             DecisionRefused{std::move(field), std::move(reason), conflict}};
  };
  const auto decided = parse_date(decision.decided_on);
  if (!decided) return refuse("decided_on", "expected a date YYYY-MM-DD", false);
  State next = previous;
  if (decision.kind == CommissionDecision::Kind::deregistration) {
    const auto& grounds = kDeregistrationGrounds;
    if (std::find(std::begin(grounds), std::end(grounds), decision.ground) == std::end(grounds))
      return refuse("ground", "expected one of p15.1, p15.2, p15.3, p15.4, p15.5 (p.15)", false);
    next.deregistered = true;
    next.deregistered_by = "commission";
    next.deregistration_ground = decision.ground;
    next.deregistered_on = decision.decided_on;
    return {next, std::nullopt};
  }

  if (!decision.ground.empty())
    return refuse("ground", "a re-registration has no ground (p.20)", false);
  if (!previous.deregistered)
    return refuse("kind", "the supplier is not deregistered: there is nothing to re-register",
                  true);
  if (rules.triggers)
    for (const auto& ground : rules.triggers->block)
      if (ground.final && previous.block_grounds.contains(ground.requirement))
        return refuse("kind",
                      "the supplier is blocked on " + ground.requirement +
                          " (death or termination), which is final: registering it again is a "
                          "new registration (p.21), not a re-registration",
                      true);
  if (!previous.deregistered_on.empty()) {
    const auto deregistered = parse_date(previous.deregistered_on);
    if (deregistered && std::chrono::sys_days(*decided) < std::chrono::sys_days(*deregistered))
      return refuse("decided_on",
                    "before the deregistration it would reverse (" + previous.deregistered_on + ")",
                    false);
    if (deregistered && previous.deregistration_ground == "p15.5") {
      const auto earliest = a_year_after(*deregistered);
      if (std::chrono::sys_days(*decided) < std::chrono::sys_days(earliest))
        return refuse("decided_on",
                      "re-registration after a deregistration on ground p15.5 (" +
                          previous.deregistered_on + ") is possible a year later, not before " +
                          format_date(earliest) + " (p.20)",
                      false);
    }
  }
  next.deregistered = false;
  next.deregistered_by.clear();
  next.deregistration_ground.clear();
  next.deregistered_on.clear();
  return {next, std::nullopt};
}

}  // namespace tekser::triggers

#include "gateway/api/rule_sets.hpp"

#include <boost/json.hpp>

namespace tekser::api {
namespace {

namespace json = boost::json;

json::object text(const eligibility::Text& t) {
  return json::object{{"ru", t.ru}, {"kk", t.kk}};
}

json::value triggers_json(const eligibility::TriggerRules& t) {
  json::object deadlines;
  for (const auto& [kind, kd] : t.deadlines) {
    json::array policies(kd.policies.begin(), kd.policies.end());
    json::array steps;
    for (const auto& step : kd.steps)
      steps.push_back(json::object{{"step", step.step},
                                   {"working_days", step.working_days},
                                   {"reference", step.reference},
                                   {"what", text(step.what)}});
    deadlines[kind] = json::object{{"policies", std::move(policies)}, {"steps", std::move(steps)}};
  }
  json::array commission;
  for (const auto& d : t.commission_deadlines)
    commission.push_back(
        json::object{{"point", d.point}, {"working_days", d.working_days}, {"what", text(d.what)}});
  json::array policies;
  for (const auto& [name, grounds] : t.deregister_policies)
    policies.push_back(
        json::object{{"name", name}, {"grounds", json::array(grounds.begin(), grounds.end())}});
  json::object out{{"legal_basis", t.legal_basis},
                   {"default_deregister_policy", t.default_deregister_policy},
                   {"deregister_policies", std::move(policies)},
                   {"deadlines", std::move(deadlines)},
                   {"commission_deadlines", std::move(commission)}};
  if (t.review)
    out["review"] = json::object{{"code", t.review->code},
                                 {"reference", t.review->reference},
                                 {"title", text(t.review->title)}};
  return out;
}

}  // namespace

json::object rule_set_dates_json(const eligibility::RuleSet& rules) {
  json::object out{{"effective_from", rules.effective_from},
                   {"confirmed", rules.dates_confirmed()}};
  const auto& entry = rules.entry_into_force;
  if (entry.rule.empty()) {
    out["entry_into_force"] = nullptr;
  } else {
    json::object e{{"rule", entry.rule}, {"reference", entry.reference}};
    if (entry.rule == "on_date")
      e["date"] = entry.date;
    else
      e["days"] = entry.days;
    out["entry_into_force"] = std::move(e);
  }
  out["publication"] = rules.publication
                           ? json::value(json::object{{"date", rules.publication->date},
                                                      {"source", rules.publication->source},
                                                      {"confirmed", rules.publication->confirmed}})
                           : json::value(nullptr);
  out["repealed"] = rules.repealed ? json::value(json::object{{"from", rules.repealed->from},
                                                              {"by", rules.repealed->by},
                                                              {"source", rules.repealed->source}})
                                   : json::value(nullptr);
  return out;
}

json::value rule_sets_json(const std::vector<eligibility::RuleSet>& sets, std::string_view today) {
  const auto* in_force = eligibility::rule_set_for(sets, today);
  json::array out;
  for (const auto& rules : sets) {
    json::array requirements;
    for (const auto& [id, r] : rules.requirements)
      requirements.push_back(json::object{
          {"id", id}, {"reference", r.reference}, {"title", text(r.title)}, {"check", r.check}});
    json::object set{{"id", rules.id},
                     {"effective_from", rules.effective_from},
                     {"dates", rule_set_dates_json(rules)},
                     {"in_force", &rules == in_force},
                     {"legal_basis", rules.legal_basis},
                     {"requirements", std::move(requirements)}};
    set["triggers"] = rules.triggers ? triggers_json(*rules.triggers) : json::value(nullptr);
    out.push_back(std::move(set));
  }
  return json::object{{"today", today}, {"rule_sets", std::move(out)}};
}

}  // namespace tekser::api

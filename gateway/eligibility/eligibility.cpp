#include "gateway/eligibility/eligibility.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "gateway/eligibility/checks.hpp"
#include "gateway/eligibility/dates.hpp"
#include "gateway/eligibility/embedded_rulesets.hpp"

namespace tekser::eligibility {
namespace {

namespace json = boost::json;

[[noreturn]] void fail(std::string_view source, const std::string& field, const std::string& why) {
  throw RuleSetError(std::string(source) + ": " + field + ": " + why);
}

const json::object& object_at(const json::object& parent, std::string_view key,
                              std::string_view source, const std::string& path) {
  const auto* v = parent.if_contains(key);
  if (!v || !v->is_object()) fail(source, path, "required, an object");
  return v->as_object();
}

std::string string_at(const json::object& parent, std::string_view key, std::string_view source,
                      const std::string& path) {
  const auto* v = parent.if_contains(key);
  if (!v || !v->is_string() || v->as_string().empty())
    fail(source, path, "required, a non-empty string");
  return std::string(v->as_string());
}

Text text_pair(const json::object& o, std::string_view ru_key, std::string_view kk_key,
               std::string_view source, const std::string& path) {
  return {string_at(o, ru_key, source, path + "." + std::string(ru_key)),
          string_at(o, kk_key, source, path + "." + std::string(kk_key))};
}

std::string date_at(const json::object& parent, std::string_view key, std::string_view source,
                    const std::string& path) {
  auto text = string_at(parent, key, source, path);
  if (text.size() != 10 || !xsd_time::normalize_date(text))
    fail(source, path, "must be a date YYYY-MM-DD, got '" + text + "'");
  return text;
}

// An optional {ru, kk} member; nullopt when absent.
std::optional<Text> optional_text(const json::object& parent, std::string_view key,
                                  std::string_view source, const std::string& path) {
  const auto* v = parent.if_contains(key);
  if (!v) return std::nullopt;
  if (!v->is_object()) fail(source, path, "must be {ru, kk}");
  return text_pair(v->as_object(), "ru", "kk", source, path);
}

// The rule set's dates: its entry into force (computed from the first official publication, or
// named by the act), or a plain effective_from; and its repeal.
void parse_dates(const json::object& root, RuleSet& rules, std::string_view source) {
  const auto* entry = root.if_contains("entry_into_force");
  if (!entry) {
    if (!root.contains("effective_from"))
      fail(source, "entry_into_force", "required, an object (or effective_from, a date)");
    rules.effective_from = date_at(root, "effective_from", source, "effective_from");
    if (root.contains("publication"))
      fail(source, "publication",
           "only with entry_into_force.rule calendar_days_after_publication");
  } else {
    if (root.contains("effective_from"))
      fail(source, "effective_from",
           "computed from entry_into_force: an act applies from its entry into force, not a date "
           "written beside it; remove effective_from");
    if (!entry->is_object()) fail(source, "entry_into_force", "must be an object");
    const auto& e = entry->as_object();
    auto& out = rules.entry_into_force;
    out.rule = string_at(e, "rule", source, "entry_into_force.rule");
    out.reference = string_at(e, "reference", source, "entry_into_force.reference");
    if (out.rule == "calendar_days_after_publication") {
      const auto* days = e.if_contains("days");
      if (!days || !days->is_int64() || days->as_int64() < 0 || days->as_int64() > 366)
        fail(source, "entry_into_force.days", "required, an integer 0..366");
      out.days = static_cast<int>(days->as_int64());
      const auto* publication = root.if_contains("publication");
      if (!publication || !publication->is_object())
        fail(source, "publication",
             "required with calendar_days_after_publication: {date, source, confirmed}");
      const auto& p = publication->as_object();
      Publication pub;
      pub.date = date_at(p, "date", source, "publication.date");
      pub.source = string_at(p, "source", source, "publication.source");
      const auto* confirmed = p.if_contains("confirmed");
      if (!confirmed || !confirmed->is_bool())
        fail(source, "publication.confirmed", "required, true or false");
      pub.confirmed = confirmed->as_bool();
      // D+1 .. D+days pass; the act applies from the day after.
      rules.effective_from = add_days(pub.date, out.days + 1);
      rules.publication = std::move(pub);
    } else if (out.rule == "on_date") {
      out.date = date_at(e, "date", source, "entry_into_force.date");
      rules.effective_from = out.date;
      if (root.contains("publication"))
        fail(source, "publication",
             "only with entry_into_force.rule calendar_days_after_publication");
    } else {
      fail(source, "entry_into_force.rule",
           "must be calendar_days_after_publication or on_date, got '" + out.rule + "'");
    }
  }
  if (const auto* repealed = root.if_contains("repealed")) {
    if (!repealed->is_object()) fail(source, "repealed", "must be {from, by, source}");
    const auto& r = repealed->as_object();
    Repeal repeal;
    repeal.from = date_at(r, "from", source, "repealed.from");
    repeal.by = string_at(r, "by", source, "repealed.by");
    repeal.source = string_at(r, "source", source, "repealed.source");
    if (repeal.from <= rules.effective_from)
      fail(source, "repealed.from",
           "must be after the entry into force (" + rules.effective_from + ")");
    rules.repealed = std::move(repeal);
  }
}

}  // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "pass";
    case Outcome::fail:
      return "fail";
    case Outcome::unknown:
      return "unknown";
    case Outcome::not_applicable:
      return "not_applicable";
  }
  return "unknown";
}

namespace {

const std::string& known_requirement(const RuleSet& rules, const json::value& item,
                                     std::string_view source, const std::string& path) {
  if (!item.is_string()) fail(source, path, "must be a requirement id");
  const auto found = rules.requirements.find(std::string(item.as_string()));
  if (found == rules.requirements.end())
    fail(source, path, "no requirement '" + std::string(item.as_string()) + "'");
  return found->first;
}

TriggerRules parse_triggers(const json::object& root, const RuleSet& rules,
                            std::string_view source) {
  const auto& t = object_at(root, "triggers", source, "triggers");
  TriggerRules out;
  out.legal_basis = string_at(t, "legal_basis", source, "triggers.legal_basis");
  const auto* block = t.if_contains("block");
  if (!block || !block->is_array() || block->as_array().empty())
    fail(source, "triggers.block", "required, a non-empty array");
  for (std::size_t i = 0; i < block->as_array().size(); ++i) {
    const auto path = "triggers.block[" + std::to_string(i) + "]";
    const auto& item = block->as_array()[i];
    if (!item.is_object()) fail(source, path, "must be {requirement, final?}");
    const auto* requirement = item.as_object().if_contains("requirement");
    if (!requirement) fail(source, path + ".requirement", "required");
    TriggerGround ground;
    ground.requirement = known_requirement(rules, *requirement, source, path + ".requirement");
    if (const auto* final = item.as_object().if_contains("final")) {
      if (!final->is_bool()) fail(source, path + ".final", "must be true or false");
      ground.final = final->as_bool();
    }
    out.block.push_back(std::move(ground));
  }
  if (const auto* warn = t.if_contains("warn")) {
    if (!warn->is_array()) fail(source, "triggers.warn", "must be an array");
    for (std::size_t i = 0; i < warn->as_array().size(); ++i)
      out.warn.push_back(known_requirement(rules, warn->as_array()[i], source,
                                           "triggers.warn[" + std::to_string(i) + "]"));
  }
  for (const auto& [name, list] :
       object_at(t, "deregister_policies", source, "triggers.deregister_policies")) {
    const auto path = "triggers.deregister_policies." + std::string(name);
    if (!list.is_array()) fail(source, path, "must be an array of block requirements");
    std::vector<std::string> grounds;
    for (std::size_t i = 0; i < list.as_array().size(); ++i) {
      const auto item_path = path + "[" + std::to_string(i) + "]";
      const auto& id = known_requirement(rules, list.as_array()[i], source, item_path);
      const bool is_block_ground =
          std::any_of(out.block.begin(), out.block.end(),
                      [&](const TriggerGround& g) { return g.requirement == id; });
      if (!is_block_ground) fail(source, item_path, "'" + id + "' is not a block ground");
      grounds.push_back(id);
    }
    out.deregister_policies.emplace(std::string(name), std::move(grounds));
  }
  out.default_deregister_policy =
      string_at(t, "default_deregister_policy", source, "triggers.default_deregister_policy");
  if (!out.deregister_policies.contains(out.default_deregister_policy))
    fail(source, "triggers.default_deregister_policy",
         "no policy '" + out.default_deregister_policy + "'");
  if (t.contains("deadline_working_days"))
    fail(source, "triggers.deadline_working_days",
         "replaced by triggers.deadlines (a deadline per kind, none where the law gives none)");
  if (const auto* deadlines = t.if_contains("deadlines")) {
    if (!deadlines->is_object()) fail(source, "triggers.deadlines", "must be an object");
    for (const auto& [kind, value] : deadlines->as_object()) {
      const auto path = "triggers.deadlines." + std::string(kind);
      if (kind != "block" && kind != "deregister" && kind != "unblock" && kind != "warning" &&
          kind != "review")
        fail(source, path, "not a trigger kind (block, deregister, unblock, warning, review)");
      if (!value.is_object()) fail(source, path, "must be {policies?, steps}");
      KindDeadlines kd;
      if (const auto* policies = value.as_object().if_contains("policies")) {
        if (!policies->is_array()) fail(source, path + ".policies", "must be an array");
        for (const auto& p : policies->as_array()) {
          if (!p.is_string() || !out.deregister_policies.contains(std::string(p.as_string())))
            fail(source, path + ".policies", "names no deregistration policy");
          kd.policies.emplace_back(p.as_string());
        }
      }
      const auto* steps = value.as_object().if_contains("steps");
      if (!steps || !steps->is_array() || steps->as_array().empty())
        fail(source, path + ".steps", "required, a non-empty array");
      for (std::size_t i = 0; i < steps->as_array().size(); ++i) {
        const auto step_path = path + ".steps[" + std::to_string(i) + "]";
        const auto& item = steps->as_array()[i];
        if (!item.is_object()) fail(source, step_path, "must be {step, working_days, reference}");
        const auto& o = item.as_object();
        DeadlineStep step;
        step.step = string_at(o, "step", source, step_path + ".step");
        const auto* days = o.if_contains("working_days");
        if (!days || !days->is_int64() || days->as_int64() < 1 || days->as_int64() > 30)
          fail(source, step_path + ".working_days", "must be an integer 1..30");
        step.working_days = static_cast<int>(days->as_int64());
        step.reference = string_at(o, "reference", source, step_path + ".reference");
        step.what = text_pair(o, "what_ru", "what_kk", source, step_path);
        kd.steps.push_back(std::move(step));
      }
      out.deadlines.emplace(std::string(kind), std::move(kd));
    }
  }
  if (const auto* review = t.if_contains("review")) {
    if (!review->is_object()) fail(source, "triggers.review", "must be an object");
    const auto& r = review->as_object();
    ReviewRule rule;
    rule.code = string_at(r, "code", source, "triggers.review.code");
    rule.reference = string_at(r, "reference", source, "triggers.review.reference");
    rule.title = text_pair(r, "title_ru", "title_kk", source, "triggers.review");
    rule.fact = string_at(r, "fact", source, "triggers.review.fact");
    rule.entity_system = string_at(r, "entity_system", source, "triggers.review.entity_system");
    rule.individual_system =
        string_at(r, "individual_system", source, "triggers.review.individual_system");
    out.review = std::move(rule);
  }
  if (const auto* list = t.if_contains("commission_deadlines")) {
    if (!list->is_array()) fail(source, "triggers.commission_deadlines", "must be an array");
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
      const auto path = "triggers.commission_deadlines[" + std::to_string(i) + "]";
      const auto& item = list->as_array()[i];
      if (!item.is_object()) fail(source, path, "must be {point, working_days, what_ru, what_kk}");
      const auto& o = item.as_object();
      CommissionDeadline d;
      d.point = string_at(o, "point", source, path + ".point");
      const auto* days = o.if_contains("working_days");
      if (!days || !days->is_int64() || days->as_int64() < 1 || days->as_int64() > 30)
        fail(source, path + ".working_days", "must be an integer 1..30");
      d.working_days = static_cast<int>(days->as_int64());
      d.what = text_pair(o, "what_ru", "what_kk", source, path);
      out.commission_deadlines.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace

const KindDeadlines* deadlines_for(const TriggerRules& rules, std::string_view kind,
                                   std::string_view policy) {
  const auto found = rules.deadlines.find(std::string(kind));
  if (found == rules.deadlines.end()) return nullptr;
  const auto& policies = found->second.policies;
  if (!policies.empty() && std::find(policies.begin(), policies.end(), policy) == policies.end())
    return nullptr;
  return &found->second;
}

RuleSet parse_rule_set(std::string_view json_text, std::string_view source) {
  json::error_code ec;
  auto doc = json::parse(json_text, ec);
  if (ec) throw RuleSetError(std::string(source) + ": not valid JSON: " + ec.message());
  if (!doc.is_object()) fail(source, "(top level)", "must be an object");
  const auto& root = doc.as_object();

  RuleSet rules;
  rules.id = string_at(root, "id", source, "id");
  parse_dates(root, rules, source);
  rules.legal_basis = string_at(root, "legal_basis", source, "legal_basis");
  const auto when_no_data = optional_text(root, "when_no_data", source, "when_no_data");

  for (const auto& [id, value] : object_at(root, "requirements", source, "requirements")) {
    const auto path = "requirements." + std::string(id);
    if (!value.is_object()) fail(source, path, "must be an object");
    const auto& r = value.as_object();
    Requirement requirement;
    requirement.id = std::string(id);
    requirement.reference = string_at(r, "reference", source, path + ".reference");
    requirement.title = text_pair(r, "title_ru", "title_kk", source, path);
    requirement.check = string_at(r, "check", source, path + ".check");
    if (!find_check(requirement.check))
      fail(source, path + ".check", "unknown check '" + requirement.check + "'");
    if (const auto* params = r.if_contains("params")) {
      if (!params->is_object()) fail(source, path + ".params", "must be an object");
      requirement.params = params->as_object();
    }
    requirement.when_no_data = optional_text(r, "when_no_data", source, path + ".when_no_data");
    if (!requirement.when_no_data) requirement.when_no_data = when_no_data;
    rules.requirements.emplace(requirement.id, std::move(requirement));
  }

  for (const auto& [name, value] : object_at(root, "categories", source, "categories")) {
    const auto path = "categories." + std::string(name);
    if (!value.is_object()) fail(source, path, "must be an object");
    const auto& c = value.as_object();
    CategoryRules category;
    category.not_covered = optional_text(c, "not_covered", source, path + ".not_covered");
    if (category.not_covered) {
      if (c.contains("requirements") || c.contains("exempt"))
        fail(source, path + ".not_covered",
             "a category the rules do not cover has no requirements and no exemptions");
      rules.categories.emplace(std::string(name), std::move(category));
      continue;
    }
    const auto* list = c.if_contains("requirements");
    if (!list || !list->is_array()) fail(source, path + ".requirements", "required, an array");
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
      const auto& item = list->as_array()[i];
      const auto item_path = path + ".requirements[" + std::to_string(i) + "]";
      if (!item.is_string()) fail(source, item_path, "must be a requirement id");
      std::string id(item.as_string());
      if (!rules.requirements.count(id)) fail(source, item_path, "no requirement '" + id + "'");
      category.requirements.push_back(std::move(id));
    }
    if (const auto* exempt = c.if_contains("exempt")) {
      if (!exempt->is_object()) fail(source, path + ".exempt", "must be an object");
      for (const auto& [id, reason] : exempt->as_object()) {
        const auto exempt_path = path + ".exempt." + std::string(id);
        if (!rules.requirements.count(std::string(id)))
          fail(source, exempt_path, "no requirement '" + std::string(id) + "'");
        if (!reason.is_object()) fail(source, exempt_path, "must be {ru, kk}");
        category.exempt.emplace(std::string(id),
                                text_pair(reason.as_object(), "ru", "kk", source, exempt_path));
      }
    }
    rules.categories.emplace(std::string(name), std::move(category));
  }
  if (root.contains("triggers")) rules.triggers = parse_triggers(root, rules, source);
  return rules;
}

const std::vector<RuleSet>& shipped_rule_sets() {
  static const std::vector<RuleSet> sets = [] {
    std::vector<RuleSet> out;
    for (const auto& embedded : embedded_rule_sets())
      out.push_back(parse_rule_set(embedded.json, embedded.file));
    std::sort(out.begin(), out.end(), [](const RuleSet& a, const RuleSet& b) {
      return a.effective_from < b.effective_from;
    });
    return out;
  }();
  return sets;
}

namespace {

// The latest set whose effective_from <= date (repealed or not), and the first one after date.
std::pair<const RuleSet*, const RuleSet*> around(const std::vector<RuleSet>& sets,
                                                 std::string_view date) {
  const RuleSet* latest = nullptr;
  const RuleSet* next = nullptr;
  for (const auto& set : sets) {
    if (set.effective_from <= date) {
      if (!latest || latest->effective_from <= set.effective_from) latest = &set;
    } else if (!next || set.effective_from < next->effective_from) {
      next = &set;
    }
  }
  return {latest, next};
}

}  // namespace

const RuleSet* rule_set_for(const std::vector<RuleSet>& sets, std::string_view date) {
  const auto* latest = around(sets, date).first;
  if (latest && latest->repealed && latest->repealed->from <= date) return nullptr;
  return latest;
}

std::string no_rule_set_reason(const std::vector<RuleSet>& sets, std::string_view date) {
  const auto [latest, next] = around(sets, date);
  std::string out = "no rule set shipped applies on " + std::string(date);
  if (!latest)
    out += ": it is before the earliest one";
  else if (latest->repealed)
    out += ": " + latest->id + " ceased to apply on " + latest->repealed->from + " (repealed by " +
           latest->repealed->by + ")";
  if (next) {
    out +=
        std::string(latest ? ", and " : "; ") + next->id + " applies from " + next->effective_from;
    if (!next->dates_confirmed())
      out +=
          " (computed from a publication date not yet confirmed: " + next->publication->date + ")";
    if (latest) out += "; the rules in force between them are not shipped";
  }
  return out;
}

RequirementVerdict evaluate_requirement(const RuleSet& rules, std::string_view requirement,
                                        const Input& input) {
  const auto found = rules.requirements.find(std::string(requirement));
  if (found == rules.requirements.end())
    throw RuleSetError("rule set " + rules.id + " has no requirement '" + std::string(requirement) +
                       "'");
  return (*find_check(found->second.check))(found->second, input);
}

Verdict evaluate(const RuleSet& rules, const Input& input) {
  auto category = rules.categories.find(input.category);
  if (category == rules.categories.end())
    throw RuleSetError("rule set " + rules.id + " has no category '" + input.category + "'");
  Verdict verdict;
  verdict.rule_set = rules.id;
  verdict.legal_basis = rules.legal_basis;
  verdict.category = input.category;
  if (category->second.not_covered) {
    verdict.overall = "not_covered";
    verdict.reason = category->second.not_covered;
    return verdict;
  }

  for (const auto& id : category->second.requirements) {
    const auto& requirement = rules.requirements.at(id);
    verdict.requirements.push_back((*find_check(requirement.check))(requirement, input));
  }
  for (const auto& [id, reason] : category->second.exempt) {
    const auto& requirement = rules.requirements.at(id);
    RequirementVerdict exempt;
    exempt.id = id;
    exempt.reference = requirement.reference;
    exempt.title = requirement.title;
    exempt.outcome = Outcome::not_applicable;
    exempt.reason = reason;
    verdict.requirements.push_back(std::move(exempt));
  }

  bool any_fail = false, any_unknown = false;
  for (const auto& r : verdict.requirements) {
    any_fail = any_fail || r.outcome == Outcome::fail;
    any_unknown = any_unknown || r.outcome == Outcome::unknown;
  }
  verdict.overall = any_fail ? "not_eligible" : any_unknown ? "undetermined" : "eligible";
  return verdict;
}

}  // namespace tekser::eligibility

#include "gateway/eligibility/eligibility.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "gateway/eligibility/checks.hpp"
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

RuleSet parse_rule_set(std::string_view json_text, std::string_view source) {
  json::error_code ec;
  auto doc = json::parse(json_text, ec);
  if (ec) throw RuleSetError(std::string(source) + ": not valid JSON: " + ec.message());
  if (!doc.is_object()) fail(source, "(top level)", "must be an object");
  const auto& root = doc.as_object();

  RuleSet rules;
  rules.id = string_at(root, "id", source, "id");
  rules.effective_from = string_at(root, "effective_from", source, "effective_from");
  if (!xsd_time::normalize_date(rules.effective_from) || rules.effective_from.size() != 10)
    fail(source, "effective_from", "must be a date YYYY-MM-DD");
  rules.legal_basis = string_at(root, "legal_basis", source, "legal_basis");

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
    rules.requirements.emplace(requirement.id, std::move(requirement));
  }

  for (const auto& [name, value] : object_at(root, "categories", source, "categories")) {
    const auto path = "categories." + std::string(name);
    if (!value.is_object()) fail(source, path, "must be an object");
    const auto& c = value.as_object();
    CategoryRules category;
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

const RuleSet* rule_set_for(const std::vector<RuleSet>& sets, std::string_view date) {
  const RuleSet* in_force = nullptr;
  for (const auto& set : sets)
    if (set.effective_from <= date && (!in_force || in_force->effective_from <= set.effective_from))
      in_force = &set;
  return in_force;
}

Verdict evaluate(const RuleSet& rules, const Input& input) {
  auto category = rules.categories.find(input.category);
  if (category == rules.categories.end())
    throw RuleSetError("rule set " + rules.id + " has no category '" + input.category + "'");
  Verdict verdict;
  verdict.rule_set = rules.id;
  verdict.legal_basis = rules.legal_basis;
  verdict.category = input.category;

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

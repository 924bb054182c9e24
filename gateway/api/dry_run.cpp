#include "gateway/api/dry_run.hpp"

#include <map>
#include <tuple>

#include <boost/json.hpp>

#include "gateway/store/store.hpp"
#include "gateway/verify/eligibility_input.hpp"

namespace tekser::api {
namespace {

namespace json = boost::json;

std::map<std::string, std::string> outcomes(const eligibility::Verdict& verdict) {
  std::map<std::string, std::string> out;
  for (const auto& r : verdict.requirements) out[r.id] = std::string(to_string(r.outcome));
  return out;
}

std::vector<std::string> fired(const eligibility::RuleSet& rules, const eligibility::Input& input,
                               const std::vector<std::string>& categories,
                               const triggers::State& state) {
  std::vector<std::string> out;
  if (!rules.triggers) return out;
  for (const auto& t :
       triggers::decide(rules, input, categories, state, rules.triggers->default_deregister_policy)
           .triggers) {
    std::string line(to_string(t.kind));
    for (std::size_t i = 0; i < t.grounds.size(); ++i)
      line += (i == 0 ? " " : ",") + t.grounds[i].requirement;
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace

SupplierComparison compare(const eligibility::RuleSet& in_force,
                           const eligibility::RuleSet& candidate, const eligibility::Input& input,
                           const std::vector<std::string>& categories,
                           const triggers::State& state) {
  SupplierComparison out;
  for (const auto& name : categories) {
    auto in = input;
    in.category = name;
    SupplierComparison::Category c;
    c.name = name;
    std::map<std::string, std::string> now, then;
    if (in_force.categories.contains(name)) {
      const auto verdict = eligibility::evaluate(in_force, in);
      c.overall_now = verdict.overall;
      now = outcomes(verdict);
    } else {
      c.overall_now = "unknown_category";
    }
    if (candidate.categories.contains(name)) {
      const auto verdict = eligibility::evaluate(candidate, in);
      c.overall_then = verdict.overall;
      then = outcomes(verdict);
    } else {
      c.overall_then = "unknown_category";
    }
    std::map<std::string, int> ids;
    for (const auto& [id, _] : now) ids[id];
    for (const auto& [id, _] : then) ids[id];
    for (const auto& [id, _] : ids) {
      const auto a = now.contains(id) ? now.at(id) : "—";
      const auto b = then.contains(id) ? then.at(id) : "—";
      if (a != b) c.changed.emplace_back(id, a, b);
    }
    if (c.overall_now != c.overall_then || !c.changed.empty()) out.categories.push_back(c);
  }
  out.triggers_now = fired(in_force, input, categories, state);
  out.triggers_then = fired(candidate, input, categories, state);
  return out;
}

json::value dry_run(pqxx::connection& connection, const eligibility::RuleSet& in_force,
                    const eligibility::RuleSet& candidate, xsd_time::TimePoint now, int limit) {
  // One snapshot: the comparison is of one moment's facts, and it writes nothing.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(connection);
  const auto ids = txn.exec("SELECT id FROM suppliers ORDER BY id");
  long long suppliers = 0, changed = 0, verdicts_changed = 0, triggers_changed = 0;
  json::array listed;
  for (const auto& row : ids) {
    const auto id = row[0].as<std::string>();
    const auto supplier = store::Store::find_supplier(txn, id);
    if (!supplier) continue;
    ++suppliers;
    const auto input =
        verify::eligibility_input(supplier.value(), store::Store::current_facts(txn, id),
                                  store::Store::source_statuses(txn, id), now);
    triggers::State state;
    const auto stored = txn.exec_params(
        "SELECT state::text FROM supplier_trigger_state WHERE supplier_id = $1", id);
    if (!stored.empty()) state = triggers::state_from_json(json::parse(stored[0][0].c_str()));
    const auto c = compare(in_force, candidate, input, supplier->categories, state);
    if (!c.changed()) continue;
    ++changed;
    if (!c.categories.empty()) ++verdicts_changed;
    if (c.triggers_then != c.triggers_now) ++triggers_changed;
    if (static_cast<int>(listed.size()) >= limit) continue;
    json::array categories;
    for (const auto& cat : c.categories) {
      json::array requirements;
      for (const auto& [rid, a, b] : cat.changed)
        requirements.push_back(json::object{{"id", rid}, {"now", a}, {"then", b}});
      categories.push_back(json::object{{"category", cat.name},
                                        {"overall_now", cat.overall_now},
                                        {"overall_then", cat.overall_then},
                                        {"requirements", std::move(requirements)}});
    }
    listed.push_back(json::object{
        {"supplier_id", id},
        {"categories", std::move(categories)},
        {"triggers_now", json::array(c.triggers_now.begin(), c.triggers_now.end())},
        {"triggers_then", json::array(c.triggers_then.begin(), c.triggers_then.end())}});
  }
  return json::object{{"in_force", in_force.id},
                      {"candidate", candidate.id},
                      {"candidate_effective_from", candidate.effective_from},
                      {"suppliers", suppliers},
                      {"changed", changed},
                      {"verdicts_changed", verdicts_changed},
                      {"triggers_changed", triggers_changed},
                      {"listed", listed.size()},
                      {"changes", std::move(listed)}};
}

}  // namespace tekser::api

// A rule set not yet in force, tried on every watched supplier's current facts without writing
// anything (POST /v1/rule-sets/dry-run, tekser-ctl rules dry-run): which verdicts would change
// and which triggers would fire — so a ministry sees an amendment's effect before it applies.
#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>
#include <pqxx/pqxx>

#include "gateway/eligibility/eligibility.hpp"
#include "gateway/triggers/decide.hpp"

namespace tekser::api {

// One supplier under both rule sets; pure. `state`: its stored trigger state. A category the
// candidate does not know is reported as such, never judged.
struct SupplierComparison {
  struct Category {
    std::string name;
    std::string overall_now;   // under the rule set in force
    std::string overall_then;  // under the candidate ("unknown_category" if it has none)
    // requirement id -> {now, then}; only those whose outcome differs (absent: "—")
    std::vector<std::tuple<std::string, std::string, std::string>> changed;
  };
  std::vector<Category> categories;  // only those with a change
  // The triggers the candidate would fire from the stored state, and those the rule set in force
  // would (a supplier already blocked fires nothing new under either).
  std::vector<std::string> triggers_then;  // "block p15.3", "warning p3.4", …
  std::vector<std::string> triggers_now;
  bool changed() const { return !categories.empty() || triggers_then != triggers_now; }
};
SupplierComparison compare(const eligibility::RuleSet& in_force,
                           const eligibility::RuleSet& candidate, const eligibility::Input& input,
                           const std::vector<std::string>& categories,
                           const triggers::State& state);

// Every watched supplier, in id order, read in one repeatable-read snapshot; at most `limit`
// changed suppliers are listed (the counts cover all).
boost::json::value dry_run(pqxx::connection& connection, const eligibility::RuleSet& in_force,
                           const eligibility::RuleSet& candidate, xsd_time::TimePoint now,
                           int limit);

}  // namespace tekser::api

// GET /v1/rule-sets: the rule sets the gateway ships, for the portal — which one is in force,
// from when to when each applies (its entry into force, the publication it counts from and
// whether that date is confirmed, its repeal), what each requirement cites, and the deadlines
// the law gives (per trigger kind, and the commission's own steps the working-day calendar can
// count: p.10, p.13, p.18, p.19, p.23, p.24).
#pragma once

#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "gateway/eligibility/eligibility.hpp"

namespace tekser::api {

// `today`: YYYY-MM-DD (Kazakhstan), which decides `in_force`.
boost::json::value rule_sets_json(const std::vector<eligibility::RuleSet>& sets,
                                  std::string_view today);

// A rule set's dates: {effective_from, confirmed, entry_into_force, publication, repealed}
// (null where the rule set has none). `confirmed` is false while they rest on a publication date
// not yet confirmed. Also in every eligibility answer (`rule_set_dates`).
boost::json::object rule_set_dates_json(const eligibility::RuleSet& rules);

}  // namespace tekser::api

// GET /v1/rule-sets: the rule sets the gateway ships, for the portal — which one is in force,
// what each requirement cites, and the deadlines the law gives (per trigger kind, and the
// commission's own steps the working-day calendar can count: p.10, p.13, p.18, p.19, p.23, p.24).
#pragma once

#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "gateway/eligibility/eligibility.hpp"

namespace tekser::api {

// `today`: YYYY-MM-DD (Kazakhstan), which decides `in_force`.
boost::json::value rule_sets_json(const std::vector<eligibility::RuleSet>& sets,
                                  std::string_view today);

}  // namespace tekser::api

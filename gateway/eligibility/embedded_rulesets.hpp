// The rule sets embedded at build time from gateway/eligibility/rulesets/*.json.
#pragma once

#include <span>
#include <string_view>

namespace tekser::eligibility {

struct EmbeddedRuleSet {
  std::string_view file;
  std::string_view json;
};

std::span<const EmbeddedRuleSet> embedded_rule_sets();

}  // namespace tekser::eligibility

// The named checks a rule set refers to. Internal to the eligibility library.
#pragma once

#include <functional>
#include <string_view>

#include "gateway/eligibility/eligibility.hpp"

namespace tekser::eligibility {

using Check = std::function<RequirementVerdict(const Requirement&, const Input&)>;

// nullptr for an unknown name.
const Check* find_check(std::string_view name);

}  // namespace tekser::eligibility

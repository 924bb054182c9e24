// The PersonalAssistantChecks request payload (ASSUMED contract
// contracts/assumed/pa_checks/PersonalAssistantChecks.xsd, `Request`: RequestorBIN, IIN). Pure.
#pragma once

#include <string_view>

#include "common/shep/envelope.hpp"

namespace tekser::adapters::pa_checks {

shep::Payload build_request(std::string_view requestor_bin, std::string_view iin);

}  // namespace tekser::adapters::pa_checks

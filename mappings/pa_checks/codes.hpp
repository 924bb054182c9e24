// PersonalAssistantChecks codes. ASSUMED (contracts/assumed/pa_checks/README.md) until the service
// passport arrives; a real code list changes this one table.
#pragma once

#include <string_view>

namespace tekser::mappings::pa_checks::codes {

// Response/Result/Code.
inline constexpr std::string_view kOk = "OK";
inline constexpr std::string_view kPersonNotFound = "PERSON_NOT_FOUND";

// <section>/Status/Code.
inline constexpr std::string_view kAnswered = "ANSWERED";
inline constexpr std::string_view kUnavailable = "UNAVAILABLE";
inline constexpr std::string_view kRefused = "REFUSED";

}  // namespace tekser::mappings::pa_checks::codes

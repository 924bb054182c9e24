// ЕНИС codes the mapping gives a meaning to. ASSUMED (contracts/assumed/enis/README.md): the
// result codes and the classifier of powers are ours until the service passport arrives; a real
// code list changes this one table.
#pragma once

#include <string_view>

namespace tekser::mappings::enis::codes {

// Response/Result/Code.
inline constexpr std::string_view kFound = "FOUND";
inline constexpr std::string_view kNotFound = "NOT_FOUND";
inline constexpr std::string_view kAccessDenied = "ACCESS_DENIED";

// The power that lets a representative act for the supplier before the social services portal.
inline constexpr std::string_view kPortalRepresentation = "SSP_REPRESENT";

}  // namespace tekser::mappings::enis::codes

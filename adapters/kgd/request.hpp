// The KGD_TaxpayerStatus request payload (ASSUMED contract, contracts/assumed/kgd): requestorBin,
// biin, asOf?. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/shep/envelope.hpp"
#include "common/shep/services.hpp"

namespace tekser::adapters::kgd {

inline constexpr std::string_view kPayloadNs = shep::payload_ns::kgd;

// xsi:type Request in the assumed namespace; valid against KGD_TaxpayerStatus.xsd. `as_of`
// (YYYY-MM-DD) asks for the arrears at that date; without it, the current state.
shep::Payload build_request(std::string_view requestor_bin, std::string_view biin,
                            const std::optional<std::string>& as_of = std::nullopt);

}  // namespace tekser::adapters::kgd

// The ELICENSE_LicensesByBiin request payload (ASSUMED contract, contracts/assumed/elicense, in
// the e-licensing exchange namespace): requestorBin, biin. Pure.
#pragma once

#include <string_view>

#include "common/shep/envelope.hpp"
#include "common/shep/services.hpp"

namespace tekser::adapters::elicense {

inline constexpr std::string_view kPayloadNs = shep::payload_ns::elicense;

// xsi:type Request in the exchange namespace; valid against ELICENSE_LicensesByBiin.xsd.
shep::Payload build_request(std::string_view requestor_bin, std::string_view biin);

}  // namespace tekser::adapters::elicense

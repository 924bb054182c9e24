// The ГБД ЮЛ request payload (GbdulInfoByBin_v2 `Request`: RequestorBIN, BIN), marked for the
// enveloped payload signature the service wants. Pure.
#pragma once

#include <string_view>

#include "common/shep/envelope.hpp"
#include "common/shep/services.hpp"

namespace tekser::adapters::gbd_ul {

inline constexpr std::string_view kPayloadNs = shep::payload_ns::gbd_ul;

// xsi:type Request in the service namespace; valid against GbdulInfoByBin_v2.xsd.
shep::Payload build_request(std::string_view requestor_bin, std::string_view bin);

}  // namespace tekser::adapters::gbd_ul

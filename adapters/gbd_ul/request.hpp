// The ГБД ЮЛ request payload (GbdulInfoByBin_v2 `Request`: RequestorBIN, BIN), marked for the
// enveloped payload signature the service wants. Pure.
#pragma once

#include <string_view>

#include "adapters/shep/envelope.hpp"

namespace tekser::adapters::gbd_ul {

inline constexpr std::string_view kPayloadNs = "http://gbdulinfobybin_v2.egp.gbdul.tamur.kz";

// xsi:type Request in the service namespace; valid against GbdulInfoByBin_v2.xsd.
shep::Payload build_request(std::string_view requestor_bin, std::string_view bin);

}  // namespace tekser::adapters::gbd_ul

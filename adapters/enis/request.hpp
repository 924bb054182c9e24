// The ЕНИС request payload (ASSUMED contract contracts/assumed/enis/PoaVerification.xsd,
// `Request`: RequestorBIN, PrincipalId, RepresentativeIIN, PoaNumber). Pure.
#pragma once

#include <string_view>

#include "common/shep/envelope.hpp"
#include "mappings/enis/enis.hpp"

namespace tekser::adapters::enis {

using PoaQuery = mappings::enis::PoaQuery;

// xsi:type Request in the assumed service namespace; valid against PoaVerification.xsd.
shep::Payload build_request(std::string_view requestor_bin, const PoaQuery& query);

}  // namespace tekser::adapters::enis

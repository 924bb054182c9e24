// ГБД ФЛ (GBDFL_UniversalServiceSync, consent-token variant) reply payload -> supplier facts.
// Pure: the payload node and the provenance of the exchange in, facts out.
#pragma once

#include <string_view>

#include <pugixml.hpp>

#include "common/shep/services.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::mappings::gbd_fl {

inline constexpr std::string_view kSystem = "gbd_fl";
inline constexpr std::string_view kServiceId = shep::service::gbd_fl;
inline constexpr std::string_view kPayloadNs = shep::payload_ns::gbd_fl;

// `data` is responseData/data of a SCSS001 reply. Facts: kind (individual), identifier, names,
// birth_date, legal_address (registered address), status (alive | deceased, with the date).
MappedReply map_reply(const pugi::xml_node& data, const facts::Provenance& provenance);

}  // namespace tekser::mappings::gbd_fl

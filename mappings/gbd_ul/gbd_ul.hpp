// ГБД ЮЛ (GbdulInfoByBin_v2) reply payload -> supplier facts. Pure: the payload node and the
// provenance of the exchange in, facts out. The field rules are a declarative table (mapping.cpp)
// over namespace-aware paths, so another prefix or a default namespace reads the same.
#pragma once

#include <string_view>

#include <pugixml.hpp>

#include "common/shep/services.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::mappings::gbd_ul {

inline constexpr std::string_view kSystem = "gbd_ul";
inline constexpr std::string_view kServiceId = shep::service::gbd_ul;
inline constexpr std::string_view kPayloadNs = shep::payload_ns::gbd_ul;

// `data` is responseData/data of a SCSS001 reply (the Response type's children under it).
// Facts: kind, identifier, names, legal_address, registration_date, head, founders, status.
MappedReply map_reply(const pugi::xml_node& data, const facts::Provenance& provenance);

}  // namespace tekser::mappings::gbd_ul

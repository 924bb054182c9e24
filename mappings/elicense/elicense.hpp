// E-licensing (ELICENSE_LicensesByBiin, an ASSUMED contract: contracts/assumed/elicense) reply
// payload -> supplier facts. Pure: the payload node and the provenance of the exchange in, facts
// out. A real service passport changes this mapping, its code table (codes.hpp), the request
// builder and the mock.
#pragma once

#include <string_view>

#include <pugixml.hpp>

#include "common/shep/services.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::mappings::elicense {

inline constexpr std::string_view kSystem = "elicense";
inline constexpr std::string_view kServiceId = shep::service::elicense;
inline constexpr std::string_view kPayloadNs = shep::payload_ns::elicense;

// Fact names.
inline constexpr const char* kLicences = "licences";
inline constexpr const char* kNotifications = "notifications";

// `data` is responseData/data of a SCSS001 reply.
//  - result 00 with a subject -> data: facts (both always present; an empty list is evidence)
//      licences      [{number, activity_code, activity_ru, activity_kk, subtypes: [{code,
//                      name_ru, name_kk}], status: valid|suspended|revoked|terminated,
//                      issued, expires (null: perpetual), licensor_ru}]
//      notifications [{number, kind: taxi_carrier | the kind code, kind_ru,
//                      status: valid|suspended|terminated, date}]
//    Statuses are what the register says; whether a licence has expired is the eligibility
//    rules' decision against their own date.
//  - result 01 (the subject is unknown to the register) -> no_data; other codes -> refused
//  - anything else, or a status code the table does not know -> malformed
MappedReply map_reply(const pugi::xml_node& data, const facts::Provenance& provenance);

}  // namespace tekser::mappings::elicense

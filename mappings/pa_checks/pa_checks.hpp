// Personal-assistant checks, service PersonalAssistantChecks — ASSUMED contract
// (contracts/assumed/pa_checks/) until the service passport arrives: one reply with a section per
// register (psychiatric dispensary register, criminal records, court register of incapable
// persons). Reply payload -> facts. Pure; logs nothing: these are sensitive personal data, and the
// facts keep only flags, dates and article codes.
#pragma once

#include <string_view>

#include <pugixml.hpp>

#include "common/shep/services.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::mappings::pa_checks {

inline constexpr std::string_view kSystem = "pa_checks";
inline constexpr std::string_view kServiceId = shep::service::pa_checks;
inline constexpr std::string_view kPayloadNs = shep::payload_ns::pa_checks;

// Fact names.
inline constexpr const char* kPsychiatric = "psychiatric_registration";  // {registered, since}
inline constexpr const char* kCriminal = "criminal_record";  // {has_unexpunged_record, articles}
inline constexpr const char* kIncapacity =
    "incapacity";  // {declared_incapable, court_decision_date, limited_capacity, …_decision_date}

// `data` is responseData/data of a SCSS001 reply about `iin`.
//  - Result PERSON_NOT_FOUND -> no_data (the registers do not know the person).
//  - Result OK: one fact per ANSWERED section. "No record" is an answer (the flag false: positive
//    evidence of absence). A section UNAVAILABLE / REFUSED / absent gives no fact (that check is
//    unknown), and `cause` names it; with no fact at all the outcome is unavailable (a register
//    was down), refused (all declined) or malformed.
//  - A reply about another IIN, or an ANSWERED section without its flag, is malformed.
MappedReply map_reply(const pugi::xml_node& data, std::string_view iin,
                      const facts::Provenance& provenance);

}  // namespace tekser::mappings::pa_checks

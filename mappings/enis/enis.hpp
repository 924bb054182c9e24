// ЕНИС (unified notary information system), service ENIS_PoaVerification — ASSUMED contract
// (contracts/assumed/enis/) until the service passport arrives. Reply payload -> the
// power_of_attorney fact, and the pure judgement of such a fact against a date. Pure: the payload
// node, the query it answers and the provenance in, facts out; no clock it does not receive.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <pugixml.hpp>

#include "common/shep/services.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::mappings::enis {

inline constexpr std::string_view kSystem = "enis";
inline constexpr std::string_view kServiceId = shep::service::enis;
inline constexpr std::string_view kPayloadNs = shep::payload_ns::enis;
inline constexpr const char* kFact = "power_of_attorney";

// What the gateway asks ЕНИС about: whose power of attorney, to whom, under which number.
struct PoaQuery {
  std::string principal_id;        // BIN (legal entity) or IIN (individual entrepreneur)
  std::string representative_iin;  // the person acting for the principal
  std::string number;              // the power of attorney's number as written on it
};

// `data` is responseData/data of a SCSS001 reply; `query` is what was asked. FOUND gives one
// fact, power_of_attorney = {number, registry_number, principal_id, principal_name,
// representative_iin, representative_name, issued, valid_until|null, revoked, revoked_on|null,
// scope: [{code, text_ru}], notary_ru}. NOT_FOUND -> no_data; ACCESS_DENIED -> refused. A
// document whose principal, representative or number differs from the query is malformed (never
// data): it is not the power of attorney that was asked about.
MappedReply map_reply(const pugi::xml_node& data, const PoaQuery& query,
                      const facts::Provenance& provenance);

// Whether a power_of_attorney fact lets the representative act before the social services portal
// on `today` (YYYY-MM-DD): not revoked (on or before today), issued on or before today, not past
// valid_until (valid through that day), and the scope holds the portal-representation power.
struct Assessment {
  bool valid = false;
  std::string reason;  // why not, or what makes it valid
};
Assessment assess(const boost::json::value& poa_fact, std::string_view today);

}  // namespace tekser::mappings::enis

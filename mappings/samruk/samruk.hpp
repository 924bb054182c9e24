// Samruk-Kazyna list of unreliable potential suppliers and the register of unreliable participants
// of quasi-public-sector procurement -> the facts "samruk_unreliable" and "quasi_public_rnu".
// ASSUMED contract (no public schema): contracts/assumed/samruk/README.md. Pure: the parsed JSON
// reply, the subject, "today" and the provenance in; facts out.
//
// Each fact = {"listed": bool, "entries": [{"start_date", "end_date", "reason_ru", "active"}]};
// an entry is active while its end date is empty or after today; `listed` = any entry active.
// No entries in a list -> listed=false, outcome data (the register answered: evidence of absence).
#pragma once

#include <string_view>

#include <boost/json/value.hpp>

#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::mappings::samruk {

inline constexpr std::string_view kSystem = "samruk";
inline constexpr std::string_view kServiceId = "sk_unreliable_v1";  // ASSUMED
inline constexpr const char* kFactSamrukUnreliable = "samruk_unreliable";
inline constexpr const char* kFactQuasiPublicRnu = "quasi_public_rnu";

// The values of an item's "list" field.
inline constexpr std::string_view kListSamruk = "samruk";
inline constexpr std::string_view kListQuasiPublic = "quasi_public";

// `page` is a reply of GET /api/unreliable-suppliers?bin_iin=...&list=all :
// {"count", "next", "previous", "results": [{"list", "bin_iin", "name_ru", "full_name_ru",
// "reason_ru", "created_date", "start_date", "end_date"}]}. Items of other subjects are left out.
// `today` is "YYYY-MM-DD" (Kazakhstan); anything else throws std::invalid_argument.
MappedReply map_lists(const boost::json::value& page, std::string_view bin_iin,
                      std::string_view today, const facts::Provenance& provenance);

}  // namespace tekser::mappings::samruk

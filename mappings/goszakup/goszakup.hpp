// goszakup (OWS v3) register of unreliable suppliers (РНУ) -> the fact "goszakup_rnu". Pure: the
// parsed JSON reply, the supplier asked about, "today" and the provenance in; facts out.
//
// Fact goszakup_rnu = {"listed": bool, "entries": [{"id", "index_date", "start_date",
// "end_date", "reason_ru", "active"}]}: `listed` is true while any entry is active (no end date,
// or an end date after today). A supplier with no entries gets listed=false and no entries with
// outcome data: the register answered, and that is evidence of absence.
#pragma once

#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::mappings::goszakup {

inline constexpr std::string_view kSystem = "goszakup";
inline constexpr std::string_view kServiceId = "ows_v3_rnu";
inline constexpr const char* kFactRnu = "goszakup_rnu";

// `page` is a reply of GET /v3/rnu?supplier_biin=... : {"total", "limit", "next_page", "items"}.
// Items of other suppliers (if the filter were ignored) are left out. `today` is "YYYY-MM-DD"
// (Kazakhstan); anything else throws std::invalid_argument.
MappedReply map_rnu(const boost::json::value& page, std::string_view supplier_biin,
                    std::string_view today, const facts::Provenance& provenance);

// The same over register items already gathered (a mirror's rows, several pages).
MappedReply map_items(const boost::json::array& items, std::string_view supplier_biin,
                      std::string_view today, const facts::Provenance& provenance);

}  // namespace tekser::mappings::goszakup

// Assumed Samruk-Kazyna / quasi-public register items -> samruk_unreliable, quasi_public_rnu.
//   list ("samruk" | "quasi_public") -> which fact    start_date -> entries[].start_date
//   bin_iin (the filter)                              end_date   -> entries[].end_date, `active`
//   reason_ru -> entries[].reason_ru                  (names and created_date are not facts)
#include "mappings/samruk/samruk.hpp"

#include <optional>
#include <string>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "mappings/registers/ban.hpp"

namespace tekser::mappings::samruk {
namespace {

namespace json = boost::json;

json::value date_or_null(const std::optional<std::string>& date) {
  if (!date) return nullptr;
  return json::value(*date);
}

MappedReply malformed(std::string cause) {
  MappedReply out;
  out.outcome = facts::Outcome::malformed;
  out.cause = std::move(cause);
  return out;
}

struct List {
  json::array entries;
  bool listed = false;
  json::value fact() && {
    return json::object{{"listed", listed}, {"entries", std::move(entries)}};
  }
};

}  // namespace

MappedReply map_lists(const json::value& page, std::string_view bin_iin, std::string_view today,
                      const facts::Provenance& provenance) {
  registers::require_today(today);
  if (!page.is_object()) return malformed("the reply is not a JSON object");
  const auto* results = page.as_object().if_contains("results");
  if (!results || !results->is_array()) return malformed("the reply has no \"results\" array");

  List samruk_list, quasi_list;
  const auto& items = results->as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto where = "results[" + std::to_string(i) + "]";
    if (!items[i].is_object()) return malformed(where + " is not an object");
    const auto& item = items[i].as_object();
    const auto* subject = item.if_contains("bin_iin");
    if (!subject || !subject->is_string()) return malformed(where + ": no \"bin_iin\" string");
    if (subject->as_string() != bin_iin) continue;
    const auto* list_name = item.if_contains("list");
    if (!list_name || !list_name->is_string()) return malformed(where + ": no \"list\" string");
    List* list = nullptr;
    if (list_name->as_string() == kListSamruk) list = &samruk_list;
    if (list_name->as_string() == kListQuasiPublic) list = &quasi_list;
    if (!list)
      return malformed(where + ": unknown list '" + std::string(list_name->as_string()) + "'");

    json::object entry;
    std::optional<std::string> end;
    for (const auto* key : {"start_date", "end_date"}) {
      auto field = registers::read_date(item, key);
      if (!field.ok) return malformed(where + ": \"" + key + "\" is not a date");
      if (std::string_view(key) == "end_date") end = field.date;
      entry[key] = date_or_null(field.date);
    }
    const auto* reason = item.if_contains("reason_ru");
    if (reason && !reason->is_null() && !reason->is_string())
      return malformed(where + ": \"reason_ru\" is not a string");
    entry["reason_ru"] =
        reason && reason->is_string() ? json::value(reason->as_string()) : json::value(nullptr);
    const bool active = registers::ban_active(end, today);
    entry["active"] = active;
    list->listed = list->listed || active;
    list->entries.push_back(std::move(entry));
  }

  MappedReply out;
  out.outcome = facts::Outcome::data;
  out.facts.push_back(
      facts::Fact{kFactSamrukUnreliable, std::move(samruk_list).fact(), provenance});
  out.facts.push_back(facts::Fact{kFactQuasiPublicRnu, std::move(quasi_list).fact(), provenance});
  return out;
}

}  // namespace tekser::mappings::samruk

// OWS v3 /v3/rnu items -> goszakup_rnu. The item fields read (the rest are ignored):
//   id (integer) -> entries[].id          index_date -> entries[].index_date
//   supplier_biin (12 digits, the filter) start_date -> entries[].start_date
//   reason_ru -> entries[].reason_ru      end_date   -> entries[].end_date, and `active`
// Dates come as "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" and leave as "YYYY-MM-DD" (null if empty).
#include "mappings/goszakup/goszakup.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "mappings/registers/ban.hpp"

namespace tekser::mappings::goszakup {
namespace {

namespace json = boost::json;
using registers::read_date;

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

}  // namespace

MappedReply map_items(const json::array& items, std::string_view supplier_biin,
                      std::string_view today, const facts::Provenance& provenance) {
  registers::require_today(today);
  struct Entry {
    std::int64_t id;
    json::object value;
  };
  std::vector<Entry> entries;
  bool listed = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto where = "items[" + std::to_string(i) + "]";
    if (!items[i].is_object()) return malformed(where + " is not an object");
    const auto& item = items[i].as_object();
    const auto* biin = item.if_contains("supplier_biin");
    if (!biin || !biin->is_string()) return malformed(where + ": no \"supplier_biin\" string");
    if (biin->as_string() != supplier_biin) continue;
    const auto* id = item.if_contains("id");
    if (!id || !id->is_int64()) return malformed(where + ": no integer \"id\"");
    const auto at = where + " (id " + std::to_string(id->as_int64()) + ")";

    json::object entry;
    entry["id"] = id->as_int64();
    std::optional<std::string> end;
    for (const auto* key : {"index_date", "start_date", "end_date"}) {
      auto field = read_date(item, key);
      if (!field.ok) return malformed(at + ": \"" + key + "\" is not a date");
      if (std::string_view(key) == "end_date") end = field.date;
      entry[key] = date_or_null(field.date);
    }
    const auto* reason = item.if_contains("reason_ru");
    if (reason && !reason->is_null() && !reason->is_string())
      return malformed(at + ": \"reason_ru\" is not a string");
    entry["reason_ru"] =
        reason && reason->is_string() ? json::value(reason->as_string()) : json::value(nullptr);
    const bool active = registers::ban_active(end, today);
    entry["active"] = active;
    listed = listed || active;
    entries.push_back({id->as_int64(), std::move(entry)});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.id < b.id; });

  json::array list;
  for (auto& entry : entries) list.push_back(std::move(entry.value));
  MappedReply out;
  out.outcome = facts::Outcome::data;
  out.facts.push_back(facts::Fact{
      kFactRnu, json::object{{"listed", listed}, {"entries", std::move(list)}}, provenance});
  return out;
}

MappedReply map_rnu(const json::value& page, std::string_view supplier_biin, std::string_view today,
                    const facts::Provenance& provenance) {
  if (!page.is_object()) return malformed("the reply is not a JSON object");
  const auto* items = page.as_object().if_contains("items");
  if (!items || !items->is_array()) return malformed("the reply has no \"items\" array");
  return map_items(items->as_array(), supplier_biin, today, provenance);
}

}  // namespace tekser::mappings::goszakup

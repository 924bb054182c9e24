#include "mappings/registers/ban.hpp"

#include <stdexcept>

#include "common/time/xsd_time.hpp"

namespace tekser::mappings::registers {

DateField read_date(const boost::json::object& item, std::string_view key) {
  const auto* value = item.if_contains(key);
  if (!value || value->is_null()) return {};
  if (!value->is_string()) return {false, std::nullopt};
  const std::string_view text = value->as_string();
  if (text.empty()) return {};
  // A time may follow the date after ' ' or 'T'; the date alone is what the rules need.
  if (text.size() > 10 && text[10] != ' ' && text[10] != 'T') return {false, std::nullopt};
  auto date = xsd_time::normalize_date(text.substr(0, 10));
  if (!date) return {false, std::nullopt};
  return {true, std::move(date)};
}

bool ban_active(const std::optional<std::string>& end_date, std::string_view today) {
  return !end_date || *end_date > today;  // ISO dates compare as text
}

void require_today(std::string_view today) {
  const auto date = xsd_time::normalize_date(today);
  if (today.size() != 10 || !date || *date != today)
    throw std::invalid_argument("today must be a YYYY-MM-DD date, got '" + std::string(today) +
                                "'");
}

}  // namespace tekser::mappings::registers

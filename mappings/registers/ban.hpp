// What the blacklist registers (goszakup РНУ, the Samruk-Kazyna list, the quasi-public РНУ) share:
// reading their dates and the rule that says whether a ban is in force. Pure: "today" is an
// argument, never the clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace tekser::mappings::registers {

// A date field of a register item: absent, null and "" read as no date; "YYYY-MM-DD" optionally
// followed by a time ("2024-03-01 10:15:00", "2024-03-01T10:15:00+05:00") reads as "YYYY-MM-DD".
struct DateField {
  bool ok = true;                   // false: present but not a date (or not a string)
  std::optional<std::string> date;  // "YYYY-MM-DD" when there is one
};
DateField read_date(const boost::json::object& item, std::string_view key);

// A ban is in force while its end date is empty or after `today` (both "YYYY-MM-DD"): the day
// named as the end is the first day the supplier is free again.
bool ban_active(const std::optional<std::string>& end_date, std::string_view today);

// Throws std::invalid_argument unless `today` is a "YYYY-MM-DD" date (a caller's bug, never data).
void require_today(std::string_view today);

}  // namespace tekser::mappings::registers

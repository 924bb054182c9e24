// When the weekly refresh runs: a weekday and a time of day in Kazakhstan (UTC+05:00, Asia/Almaty
// since March 2024), e.g. "MON 02:00", or "off". Pure: "now" comes in.
//
// A replica that finds a slot passed within the catch-up window starts that slot's run (the
// store makes one run per slot however many replicas try), so a gateway down at 02:00 on Monday
// still refreshes when it comes back, but a fresh deployment on a Thursday does not start a run
// for a Monday long past.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/time/xsd_time.hpp"

namespace tekser::refresh {

class ScheduleError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct Schedule {
  bool enabled = true;
  std::chrono::weekday weekday = std::chrono::Monday;
  std::chrono::minutes time_of_day{2 * 60};
  std::chrono::minutes catch_up{24 * 60};

  // "MON 02:00" (weekday names MON..SUN, case-insensitive; 24-hour time) or "off". Throws
  // ScheduleError saying what is wrong.
  static Schedule parse(std::string_view text);
  std::string to_string() const;

  // The latest slot at or before `now`; nullopt when disabled.
  std::optional<xsd_time::TimePoint> latest_slot(xsd_time::TimePoint now) const;
  // The first slot after `now`; nullopt when disabled.
  std::optional<xsd_time::TimePoint> next_slot(xsd_time::TimePoint now) const;
  // The slot a replica should start now, if any: the latest one, when within the catch-up window.
  std::optional<xsd_time::TimePoint> due_slot(xsd_time::TimePoint now) const;
};

}  // namespace tekser::refresh

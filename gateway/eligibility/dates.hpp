// Dates of the law: calendar arithmetic on YYYY-MM-DD, and where a day of Almaty ends. Pure.
#pragma once

#include <string>
#include <string_view>

#include "common/time/xsd_time.hpp"

namespace tekser::eligibility {

// `date` (YYYY-MM-DD) moved by `days` calendar days (back when negative). Throws
// std::invalid_argument for a date that does not exist.
std::string add_days(std::string_view date, int days);

// The last millisecond of `date` in Asia/Almaty: 23:59:59.999 at UTC+6 up to 28.02.2024, at
// UTC+5 from 29.02.2024 on. Kazakhstan went over to one zone, UTC+5, at 00:00 on 1 March 2024,
// when Almaty's clocks went back to 23:00 on 29 February: that day ended at +05:00. Throws
// std::invalid_argument for a date that does not exist.
xsd_time::TimePoint end_of_day_in_almaty(std::string_view date);

}  // namespace tekser::eligibility

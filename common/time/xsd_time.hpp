// xsd:dateTime and xsd:date text <-> std::chrono, always with an explicit offset.
// Kazakhstan has been on a single zone, UTC+5, since 1 March 2024.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tekser::xsd_time {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::milliseconds>;

inline constexpr std::chrono::minutes kKazakhstanOffset{5 * 60};

// "2026-11-22T14:03:07.125+05:00" (milliseconds always present).
std::string format_datetime(TimePoint t, std::chrono::minutes offset = kKazakhstanOffset);

// UTC "2026-11-22T09:03:07.125Z", for our own JSON.
std::string format_utc(TimePoint t);

// Parses an xsd:dateTime. With `require_offset`, a value without "Z" or "±hh:mm" fails (a
// local time without an offset is ambiguous on the bus). Fractions of any length are accepted.
std::optional<TimePoint> parse_datetime(std::string_view text, bool require_offset = true);

// Validates an xsd:date "YYYY-MM-DD" (an optional offset is dropped) and returns "YYYY-MM-DD".
std::optional<std::string> normalize_date(std::string_view text);

inline TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

}  // namespace tekser::xsd_time

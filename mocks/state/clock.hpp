// The mock clock: what "now" is for the mocks' answers (when a state change takes effect, the
// dates the emulators stamp). Real time until an integration test sets it; then it stands still
// at the moment set until it is advanced or given back to real time. It never changes the
// server's own timeouts nor the SHEP envelope the bus writes. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/time/xsd_time.hpp"

namespace tekser::mocks::state {

using TimePoint = xsd_time::TimePoint;

class MockClock {
 public:
  TimePoint now() const;
  bool mocked() const;
  void set(TimePoint moment);
  // Moves the clock by `delta` from what now() says (from real time when not mocked); it then
  // stands still there.
  TimePoint advance(std::chrono::milliseconds delta);
  // Back to real time.
  void reset();

 private:
  mutable std::mutex mutex_;
  std::optional<TimePoint> frozen_;
};

// "YYYY-MM-DD" of a moment in Kazakhstan (UTC+5).
std::string kazakhstan_date(TimePoint moment);

// 00:00 in Kazakhstan of a "YYYY-MM-DD" date (already validated).
TimePoint start_of_day(std::string_view date);

// An ISO 8601 duration of weeks, days, hours, minutes and seconds ("P7D", "PT12H", "P1DT2H30M",
// "P2W"); nullopt for anything else, including years and months (their length varies).
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// A moment as the admin API accepts it: an xsd:dateTime with an offset, or a date "YYYY-MM-DD"
// (00:00 in Kazakhstan).
std::optional<TimePoint> parse_moment(std::string_view text);

}  // namespace tekser::mocks::state

#include "mocks/state/clock.hpp"

#include <charconv>

namespace tekser::mocks::state {

TimePoint MockClock::now() const {
  std::lock_guard lock(mutex_);
  return frozen_ ? *frozen_ : xsd_time::now_ms();
}

bool MockClock::mocked() const {
  std::lock_guard lock(mutex_);
  return frozen_.has_value();
}

void MockClock::set(TimePoint moment) {
  std::lock_guard lock(mutex_);
  frozen_ = moment;
}

TimePoint MockClock::advance(std::chrono::milliseconds delta) {
  std::lock_guard lock(mutex_);
  frozen_ = (frozen_ ? *frozen_ : xsd_time::now_ms()) + delta;
  return *frozen_;
}

void MockClock::reset() {
  std::lock_guard lock(mutex_);
  frozen_.reset();
}

std::string kazakhstan_date(TimePoint moment) {
  return xsd_time::format_datetime(moment).substr(0, 10);
}

TimePoint start_of_day(std::string_view date) {
  return *xsd_time::parse_datetime(std::string(date) + "T00:00:00+05:00");
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.size() < 3 || text[0] != 'P') return std::nullopt;
  std::chrono::seconds total{0};
  bool in_time = false;
  bool any = false;
  std::size_t i = 1;
  while (i < text.size()) {
    if (text[i] == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      ++i;
      continue;
    }
    std::int64_t value = 0;
    const auto* begin = text.data() + i;
    const auto parsed = std::from_chars(begin, text.data() + text.size(), value);
    if (parsed.ec != std::errc{} || parsed.ptr == begin || value < 0 ||
        parsed.ptr == text.data() + text.size())
      return std::nullopt;
    i = static_cast<std::size_t>(parsed.ptr - text.data());
    const char unit = text[i++];
    std::int64_t seconds_per = 0;
    if (!in_time && unit == 'W') seconds_per = 7 * 86400;
    if (!in_time && unit == 'D') seconds_per = 86400;
    if (in_time && unit == 'H') seconds_per = 3600;
    if (in_time && unit == 'M') seconds_per = 60;
    if (in_time && unit == 'S') seconds_per = 1;
    if (seconds_per == 0 || value > 100LL * 365 * 86400 / seconds_per) return std::nullopt;
    total += std::chrono::seconds(value * seconds_per);
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

std::optional<TimePoint> parse_moment(std::string_view text) {
  if (text.size() == 10) {
    const auto date = xsd_time::normalize_date(text);
    if (!date || *date != text) return std::nullopt;
    return start_of_day(text);
  }
  return xsd_time::parse_datetime(text, true);
}

}  // namespace tekser::mocks::state

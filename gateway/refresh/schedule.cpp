#include "gateway/refresh/schedule.hpp"

#include <array>
#include <cctype>
#include <cstdio>

namespace tekser::refresh {
namespace {

using namespace std::chrono;

constexpr std::array<const char*, 7> kNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Schedule Schedule::parse(std::string_view text) {
  const auto t = upper(text);
  Schedule s;
  if (t == "OFF") {
    s.enabled = false;
    return s;
  }
  const auto space = t.find(' ');
  if (space == std::string::npos)
    throw ScheduleError("schedule '" + std::string(text) +
                        "': expected \"DAY HH:MM\" (e.g. \"MON 02:00\") or \"off\"");
  const auto day = t.substr(0, space);
  const auto time = t.substr(space + 1);
  bool found = false;
  for (unsigned i = 0; i < kNames.size(); ++i)
    if (day == kNames[i]) {
      s.weekday = std::chrono::weekday{i};
      found = true;
    }
  if (!found)
    throw ScheduleError("schedule '" + std::string(text) + "': day '" + day +
                        "' is not one of MON TUE WED THU FRI SAT SUN");
  unsigned hours = 0, minutes = 0;
  char tail = 0;
  if (time.size() != 5 || std::sscanf(time.c_str(), "%2u:%2u%c", &hours, &minutes, &tail) != 2 ||
      hours > 23 || minutes > 59)
    throw ScheduleError("schedule '" + std::string(text) + "': time '" + time +
                        "' is not HH:MM (00:00..23:59)");
  s.time_of_day = std::chrono::hours{hours} + std::chrono::minutes{minutes};
  return s;
}

std::string Schedule::to_string() const {
  if (!enabled) return "off";
  char text[16];
  std::snprintf(text, sizeof text, "%s %02d:%02d", kNames[weekday.c_encoding()],
                static_cast<int>(time_of_day.count() / 60),
                static_cast<int>(time_of_day.count() % 60));
  return text;
}

std::optional<xsd_time::TimePoint> Schedule::latest_slot(xsd_time::TimePoint now) const {
  if (!enabled) return std::nullopt;
  const auto local = now + xsd_time::kKazakhstanOffset;
  sys_days day = floor<days>(local);
  // Walk back to the slot's weekday, then one more week if today's slot is still ahead.
  while (std::chrono::weekday{day} != weekday) day -= days{1};
  auto slot_local = time_point_cast<milliseconds>(day + time_of_day);
  if (slot_local > local) slot_local -= days{7};
  return slot_local - xsd_time::kKazakhstanOffset;
}

std::optional<xsd_time::TimePoint> Schedule::next_slot(xsd_time::TimePoint now) const {
  const auto latest = latest_slot(now);
  if (!latest) return std::nullopt;
  return *latest + days{7};
}

std::optional<xsd_time::TimePoint> Schedule::due_slot(xsd_time::TimePoint now) const {
  const auto latest = latest_slot(now);
  if (!latest || now - *latest > catch_up) return std::nullopt;
  return latest;
}

}  // namespace tekser::refresh

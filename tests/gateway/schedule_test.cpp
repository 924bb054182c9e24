// The refresh schedule: slots in Kazakhstan time, the catch-up window, parsing errors.
#include <gtest/gtest.h>

#include "gateway/refresh/schedule.hpp"

namespace tekser::refresh {
namespace {

xsd_time::TimePoint at(std::string_view text) {
  return *xsd_time::parse_datetime(text);
}
std::string text(std::optional<xsd_time::TimePoint> t) {
  return t ? xsd_time::format_datetime(*t) : "none";
}

TEST(Schedule, DefaultIsMondayTwoAmInAlmaty) {
  const Schedule s;
  EXPECT_EQ(s.to_string(), "MON 02:00");
  // Monday 23 November 2026, 01:59 in Almaty: the slot is the previous Monday.
  EXPECT_EQ(text(s.latest_slot(at("2026-11-23T01:59:00+05:00"))), "2026-11-16T02:00:00.000+05:00");
  EXPECT_EQ(text(s.latest_slot(at("2026-11-23T02:00:00+05:00"))), "2026-11-23T02:00:00.000+05:00");
  // 21:30 UTC on Sunday is already Monday 02:30 in Almaty.
  EXPECT_EQ(text(s.latest_slot(at("2026-11-22T21:30:00Z"))), "2026-11-23T02:00:00.000+05:00");
  EXPECT_EQ(text(s.next_slot(at("2026-11-25T12:00:00+05:00"))), "2026-11-30T02:00:00.000+05:00");
}

TEST(Schedule, ASlotIsDueOnlyWithinTheCatchUpWindow) {
  Schedule s;
  s.catch_up = std::chrono::hours(6);
  EXPECT_EQ(text(s.due_slot(at("2026-11-23T07:59:00+05:00"))), "2026-11-23T02:00:00.000+05:00");
  EXPECT_EQ(text(s.due_slot(at("2026-11-23T08:01:00+05:00"))), "none");
  EXPECT_EQ(text(s.due_slot(at("2026-11-26T12:00:00+05:00"))), "none") << "Thursday: no run";
}

TEST(Schedule, ParsesDaysAndTimesAndOff) {
  EXPECT_EQ(Schedule::parse("sun 23:45").to_string(), "SUN 23:45");
  EXPECT_EQ(text(Schedule::parse("SUN 23:45").latest_slot(at("2026-11-23T10:00:00+05:00"))),
            "2026-11-22T23:45:00.000+05:00");
  EXPECT_FALSE(Schedule::parse("off").latest_slot(at("2026-11-23T10:00:00+05:00")));
  EXPECT_EQ(Schedule::parse("Off").to_string(), "off");
}

TEST(Schedule, RefusesWhatItCannotRead) {
  auto refused = [](std::string_view text) {
    try {
      Schedule::parse(text);
    } catch (const ScheduleError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refused("MONDAY 02:00"),
            "schedule 'MONDAY 02:00': day 'MONDAY' is not one of MON TUE WED THU FRI SAT SUN");
  EXPECT_EQ(refused("MON 24:00"), "schedule 'MON 24:00': time '24:00' is not HH:MM (00:00..23:59)");
  EXPECT_EQ(refused("MON 2:00"), "schedule 'MON 2:00': time '2:00' is not HH:MM (00:00..23:59)");
  EXPECT_EQ(refused("weekly"),
            "schedule 'weekly': expected \"DAY HH:MM\" (e.g. \"MON 02:00\") or \"off\"");
}

}  // namespace
}  // namespace tekser::refresh

// The working-day calendar against shared/docs/CALENDAR.md, and the deadlines built on it.
#include <gtest/gtest.h>

#include "gateway/calendar/working_calendar.hpp"

namespace tekser::calendar {
namespace {

using namespace std::chrono;

Day day(int y, unsigned m, unsigned d) {
  return Day{year{y} / month{m} / std::chrono::day{d}};
}

const WorkingCalendar& shipped() {
  static const WorkingCalendar c = WorkingCalendar::load_dir(TEKSER_CALENDAR_DIR);
  return c;
}

xsd_time::TimePoint at(std::string_view text) {
  return *xsd_time::parse_datetime(text);
}

TEST(WorkingCalendar, ShipsTheYearsOfTheBrief) {
  EXPECT_EQ(shipped().years(), (std::vector<int>{2025, 2026, 2027}));
  EXPECT_TRUE(shipped().is_official(2025));
  EXPECT_TRUE(shipped().is_official(2026));
  EXPECT_FALSE(shipped().is_official(2027));  // an estimate until the decree
}

// The "Resulting days off" of CALENDAR.md, year by year: exactly these weekdays are off.
TEST(WorkingCalendar, WeekdaysOffAreExactlyThoseOfTheBrief) {
  const std::map<int, std::vector<std::pair<unsigned, unsigned>>> expected = {{2025,
                                                                               {{1, 1},
                                                                                {1, 2},
                                                                                {1, 3},
                                                                                {1, 7},
                                                                                {3, 10},
                                                                                {3, 21},
                                                                                {3, 24},
                                                                                {3, 25},
                                                                                {5, 1},
                                                                                {5, 7},
                                                                                {5, 9},
                                                                                {6, 6},
                                                                                {7, 7},
                                                                                {9, 1},
                                                                                {10, 27},
                                                                                {12, 16}}},
                                                                              {2026,
                                                                               {{1, 1},
                                                                                {1, 2},
                                                                                {1, 7},
                                                                                {3, 9},
                                                                                {3, 23},
                                                                                {3, 24},
                                                                                {3, 25},
                                                                                {5, 1},
                                                                                {5, 7},
                                                                                {5, 11},
                                                                                {5, 27},
                                                                                {7, 6},
                                                                                {10, 26},
                                                                                {12, 16}}},
                                                                              {2027,
                                                                               {{1, 1},
                                                                                {1, 4},
                                                                                {1, 7},
                                                                                {3, 8},
                                                                                {3, 15},
                                                                                {3, 22},
                                                                                {3, 23},
                                                                                {3, 24},
                                                                                {5, 3},
                                                                                {5, 7},
                                                                                {5, 10},
                                                                                {7, 6},
                                                                                {10, 25},
                                                                                {12, 16}}}};
  for (const auto& [y, list] : expected) {
    std::set<Day> off;
    for (const auto& [m, d] : list) off.insert(day(y, m, d));
    for (Day d = day(y, 1, 1); d <= day(y, 12, 31); d += days{1}) {
      const weekday wd{d};
      if (wd == Saturday || wd == Sunday) continue;
      EXPECT_EQ(shipped().is_working_day(d), !off.contains(d)) << to_string(d);
    }
  }
}

TEST(WorkingCalendar, TransfersAndTheChangesOf2026) {
  EXPECT_TRUE(shipped().is_working_day(day(2025, 1, 5)));   // Sunday worked for 3 January
  EXPECT_FALSE(shipped().is_working_day(day(2025, 1, 4)));  // an ordinary Saturday
  EXPECT_TRUE(shipped().is_working_day(day(2026, 8, 31)));  // 30 August is no longer a holiday
  EXPECT_EQ(shipped().reason_off(day(2026, 3, 24)), "Nauryz (21 March, a Saturday)");
  EXPECT_EQ(shipped().reason_off(day(2026, 3, 26)), "");
}

TEST(WorkingCalendar, DeadlineIsTheEndOfTheNextWorkingDayInKazakhstan) {
  // An ordinary Tuesday: Wednesday, 23:59:59.999 +05:00.
  auto d = shipped().deadline(at("2026-11-24T10:00:00+05:00"));
  EXPECT_EQ(xsd_time::format_datetime(d.at), "2026-11-25T23:59:59.999+05:00");
  EXPECT_FALSE(d.estimate);
  // Friday before Nauryz 2026: the weekend and 23–25 March are off.
  d = shipped().deadline(at("2026-03-20T15:00:00+05:00"));
  EXPECT_EQ(d.day, day(2026, 3, 26));
  // 20:00 UTC on 15 December is already 16 December (a holiday) in Kazakhstan.
  d = shipped().deadline(at("2026-12-15T20:00:00Z"));
  EXPECT_EQ(d.day, day(2026, 12, 17));
  // Data on Saturday 4 January 2025: Sunday the 5th was a working day.
  EXPECT_EQ(shipped().deadline(at("2025-01-04T12:00:00+05:00")).day, day(2025, 1, 5));
  // Two working days from Thursday 31 December 2026: 1, 2 (Sat), 3 (Sun) January 2027 are off,
  // 4 January 2027 is an estimated day off.
  d = shipped().deadline(at("2026-12-31T09:00:00+05:00"), 2);
  EXPECT_EQ(d.day, day(2027, 1, 6));
  EXPECT_TRUE(d.estimate);
}

TEST(WorkingCalendar, AYearWithoutAFileCountsWeekendsOnlyAndSaysItIsAnEstimate) {
  const auto d = shipped().deadline(at("2028-03-08T10:00:00+05:00"));
  EXPECT_EQ(d.day, day(2028, 3, 9));  // 8 March 2028 would be off, but there is no file
  EXPECT_TRUE(d.estimate);
}

TEST(WorkingCalendar, ABrokenFileIsRefusedNamingTheEntryAndTheField) {
  auto refused = [](std::string_view text) {
    try {
      parse_year(text, "kz-2026.json");
    } catch (const CalendarError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refused(R"({"year":2026,"status":"official","days_off":[{"date":"2026-03-21"}]})"),
            "kz-2026.json: days_off[0]: field \"date\": 2026-03-21 is a weekend day; list only "
            "weekdays that are off");
  EXPECT_EQ(refused(R"({"year":2026,"status":"official","days_off":[{"date":"2025-03-21"}]})"),
            "kz-2026.json: days_off[0]: field \"date\": 2025-03-21 is not in 2026");
  EXPECT_EQ(
      refused(
          R"({"year":2026,"status":"official","days_off":[{"date":"2026-01-01"},{"date":"2026-01-01"}]})"),
      "kz-2026.json: days_off[1]: field \"date\": 2026-01-01 is listed twice");
  EXPECT_EQ(
      refused(
          R"({"year":2026,"status":"official","working_weekend_days":[{"date":"2026-01-05"}]})"),
      "kz-2026.json: working_weekend_days[0]: field \"date\": 2026-01-05 is a weekday; "
      "only a Saturday or Sunday can be a working weekend day");
  EXPECT_EQ(refused(R"({"year":2026,"status":"maybe"})"),
            "kz-2026.json: status: must be \"official\" or \"estimate\"");
  EXPECT_EQ(refused(R"({"year":2026,"status":"official","holidays":[]})"),
            "kz-2026.json: file: unknown field \"holidays\"");
  EXPECT_EQ(refused(R"({"year":2026,"status":"official","days_off":[{"date":"2026-02-30"}]})"),
            "kz-2026.json: days_off[0]: field \"date\": '2026-02-30' is not a date YYYY-MM-DD");
}

}  // namespace
}  // namespace tekser::calendar

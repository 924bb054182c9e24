// Kazakhstan working days, for the legal deadlines of triggers (the 2022 rules gave one working
// day to act on data from the state systems). Pure: the days off come from one data file per
// year (data/kz-YYYY.json) that an operator can correct without a release; no clock.
//
// A year without a file counts Saturdays and Sundays only, and every answer that touched such a
// year — or a year whose file says "estimate" — says so, so an overdue report can be read with
// the right doubt.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/time/xsd_time.hpp"

namespace tekser::calendar {

using Day = std::chrono::sys_days;

class CalendarError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "YYYY-MM-DD".
std::string to_string(Day day);

struct YearDays {
  int year = 0;
  bool estimate = false;
  std::string source;
  std::map<Day, std::string> days_off;              // weekdays that are not working days
  std::map<Day, std::string> working_weekend_days;  // Saturdays/Sundays worked by decree
};

// Reads one year's file text; throws CalendarError naming the entry and the field (a date not
// in that year, a "day off" that is a weekend, a "working weekend day" that is a weekday, a
// date listed twice).
YearDays parse_year(std::string_view json_text, std::string_view origin);

struct Deadline {
  xsd_time::TimePoint at;  // the last millisecond of the deadline day, Kazakhstan time
  Day day;
  bool estimate = false;  // a counted day lies in a year without an official file
};

class WorkingCalendar {
 public:
  WorkingCalendar() = default;
  explicit WorkingCalendar(std::vector<YearDays> years);
  // Every kz-YYYY.json in `dir`; throws CalendarError if one is broken or a year is repeated.
  static WorkingCalendar load_dir(const std::filesystem::path& dir);

  bool is_working_day(Day day) const;
  // True when `year` has a file that is not an estimate.
  bool is_official(int year) const;
  // The reason a weekday is off ("Nauryz"), or "" for a working day or a plain weekend.
  std::string reason_off(Day day) const;

  // The day, in Kazakhstan (UTC+05:00), on which `moment` falls.
  static Day local_day(xsd_time::TimePoint moment);
  // The n-th working day after `day` (n >= 1).
  Day add_working_days(Day day, int n) const;
  // Data that arrived at `arrived` must be acted on within `working_days` working days: by the
  // end of the n-th working day after the day it arrived (Kazakhstan time).
  Deadline deadline(xsd_time::TimePoint arrived, int working_days = 1) const;

  std::vector<int> years() const;

 private:
  std::map<int, YearDays> years_;
};

}  // namespace tekser::calendar

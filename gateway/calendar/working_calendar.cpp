#include "gateway/calendar/working_calendar.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include <boost/json.hpp>

namespace tekser::calendar {
namespace {

namespace json = boost::json;
using std::chrono::days;
using std::chrono::weekday;

bool is_weekend(Day day) {
  const weekday wd{day};
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

}  // namespace

std::string to_string(Day day) {
  const std::chrono::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

namespace {

std::optional<Day> parse_day(std::string_view text) {
  static const std::regex pattern(R"(^(\d{4})-(\d{2})-(\d{2})$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, pattern)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{std::stoi(m[1].str())},
                                        std::chrono::month{unsigned(std::stoi(m[2].str()))},
                                        std::chrono::day{unsigned(std::stoi(m[3].str()))}};
  if (!ymd.ok()) return std::nullopt;
  return Day{ymd};
}

[[noreturn]] void fail(std::string_view origin, const std::string& where, const std::string& why) {
  throw CalendarError(std::string(origin) + ": " + where + ": " + why);
}

std::map<Day, std::string> read_days(const json::object& root, const char* field, int year,
                                     bool weekend_wanted, std::string_view origin) {
  std::map<Day, std::string> out;
  const auto* list = root.if_contains(field);
  if (!list) return out;
  if (!list->is_array()) fail(origin, field, "must be an array");
  std::size_t index = 0;
  for (const auto& entry : list->as_array()) {
    const std::string where = std::string(field) + "[" + std::to_string(index++) + "]";
    if (!entry.is_object()) fail(origin, where, "must be an object {\"date\", \"reason\"}");
    const auto& object = entry.as_object();
    for (const auto& member : object)
      if (member.key() != "date" && member.key() != "reason")
        fail(origin, where, "unknown field \"" + std::string(member.key()) + "\"");
    const auto* date = object.if_contains("date");
    if (!date || !date->is_string()) fail(origin, where, "field \"date\" (YYYY-MM-DD) is required");
    const auto day = parse_day(date->as_string());
    if (!day)
      fail(origin, where,
           "field \"date\": '" + std::string(date->as_string()) + "' is not a date YYYY-MM-DD");
    if (static_cast<int>(std::chrono::year_month_day{*day}.year()) != year)
      fail(origin, where,
           "field \"date\": " + to_string(*day) + " is not in " + std::to_string(year));
    if (is_weekend(*day) != weekend_wanted)
      fail(origin, where,
           "field \"date\": " + to_string(*day) +
               (weekend_wanted
                    ? " is a weekday; only a Saturday or Sunday can be a working weekend day"
                    : " is a weekend day; list only weekdays that are off"));
    std::string reason;
    if (const auto* r = object.if_contains("reason")) {
      if (!r->is_string()) fail(origin, where, "field \"reason\" must be a string");
      reason = std::string(r->as_string());
    }
    if (!out.emplace(*day, std::move(reason)).second)
      fail(origin, where, "field \"date\": " + to_string(*day) + " is listed twice");
  }
  return out;
}

}  // namespace

YearDays parse_year(std::string_view json_text, std::string_view origin) {
  boost::system::error_code ec;
  auto value = json::parse(json_text, ec);
  if (ec) fail(origin, "file", "not JSON: " + ec.message());
  if (!value.is_object()) fail(origin, "file", "must be a JSON object");
  const auto& root = value.as_object();
  for (const auto& member : root) {
    const auto key = member.key();
    if (key != "year" && key != "status" && key != "source" && key != "days_off" &&
        key != "working_weekend_days")
      fail(origin, "file", "unknown field \"" + std::string(key) + "\"");
  }
  YearDays out;
  const auto* year = root.if_contains("year");
  if (!year || !year->is_int64() || year->as_int64() < 2000 || year->as_int64() > 2200)
    fail(origin, "year", "an integer year (2000..2200) is required");
  out.year = static_cast<int>(year->as_int64());
  const auto* status = root.if_contains("status");
  if (!status || !status->is_string() ||
      (status->as_string() != "official" && status->as_string() != "estimate"))
    fail(origin, "status", "must be \"official\" or \"estimate\"");
  out.estimate = status->as_string() == "estimate";
  if (const auto* source = root.if_contains("source"); source && source->is_string())
    out.source = std::string(source->as_string());
  out.days_off = read_days(root, "days_off", out.year, false, origin);
  out.working_weekend_days = read_days(root, "working_weekend_days", out.year, true, origin);
  return out;
}

WorkingCalendar::WorkingCalendar(std::vector<YearDays> years) {
  for (auto& year : years) {
    const int y = year.year;
    if (!years_.emplace(y, std::move(year)).second)
      throw CalendarError("the calendar has two files for " + std::to_string(y));
  }
}

WorkingCalendar WorkingCalendar::load_dir(const std::filesystem::path& dir) {
  static const std::regex name(R"(^kz-\d{4}\.json$)");
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && std::regex_match(entry.path().filename().string(), name))
      files.push_back(entry.path());
  if (ec)
    throw CalendarError("cannot read the calendar folder " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<YearDays> years;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw CalendarError("cannot read " + file.string());
    auto year = parse_year(text.str(), file.string());
    if (file.filename().string() != "kz-" + std::to_string(year.year) + ".json")
      throw CalendarError(file.string() + ": year: " + std::to_string(year.year) +
                          " does not match the file name");
    years.push_back(std::move(year));
  }
  return WorkingCalendar(std::move(years));
}

bool WorkingCalendar::is_working_day(Day day) const {
  const auto year = years_.find(static_cast<int>(std::chrono::year_month_day{day}.year()));
  if (year != years_.end()) {
    if (year->second.days_off.contains(day)) return false;
    if (year->second.working_weekend_days.contains(day)) return true;
  }
  return !is_weekend(day);
}

bool WorkingCalendar::is_official(int year) const {
  const auto found = years_.find(year);
  return found != years_.end() && !found->second.estimate;
}

std::string WorkingCalendar::reason_off(Day day) const {
  const auto year = years_.find(static_cast<int>(std::chrono::year_month_day{day}.year()));
  if (year == years_.end()) return {};
  const auto found = year->second.days_off.find(day);
  return found == year->second.days_off.end() ? std::string() : found->second;
}

Day WorkingCalendar::local_day(xsd_time::TimePoint moment) {
  return std::chrono::floor<days>(moment + xsd_time::kKazakhstanOffset);
}

Day WorkingCalendar::add_working_days(Day day, int n) const {
  if (n < 1) throw std::invalid_argument("add_working_days: n must be >= 1");
  while (n > 0) {
    day += days{1};
    if (is_working_day(day)) --n;
  }
  return day;
}

Deadline WorkingCalendar::deadline(xsd_time::TimePoint arrived, int working_days) const {
  const Day start = local_day(arrived);
  Deadline out;
  out.day = add_working_days(start, working_days);
  for (Day d = start; d <= out.day; d += days{1})
    if (!is_official(static_cast<int>(std::chrono::year_month_day{d}.year()))) out.estimate = true;
  // The last millisecond of that day in Kazakhstan.
  out.at = std::chrono::time_point_cast<std::chrono::milliseconds>(out.day + days{1}) -
           xsd_time::kKazakhstanOffset - std::chrono::milliseconds{1};
  return out;
}

std::vector<int> WorkingCalendar::years() const {
  std::vector<int> out;
  for (const auto& [year, _] : years_) out.push_back(year);
  return out;
}

}  // namespace tekser::calendar

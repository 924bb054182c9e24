#include "gateway/eligibility/dates.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace tekser::eligibility {
namespace {

std::chrono::year_month_day parse(std::string_view date) {
  const auto normal = xsd_time::normalize_date(date);
  if (!normal || normal->size() != 10 || date.size() != 10)
    throw std::invalid_argument("not a date YYYY-MM-DD: '" + std::string(date) + "'");
  const std::chrono::year_month_day ymd{
      std::chrono::year{std::stoi(normal->substr(0, 4))},
      std::chrono::month{static_cast<unsigned>(std::stoi(normal->substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(std::stoi(normal->substr(8, 2)))}};
  if (!ymd.ok()) throw std::invalid_argument("no such day: '" + std::string(date) + "'");
  return ymd;
}

}  // namespace

std::string add_days(std::string_view date, int days) {
  const std::chrono::year_month_day shifted{std::chrono::sys_days{parse(date)} +
                                            std::chrono::days{days}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(shifted.year()),
                static_cast<unsigned>(shifted.month()), static_cast<unsigned>(shifted.day()));
  return text;
}

xsd_time::TimePoint end_of_day_in_almaty(std::string_view date) {
  parse(date);
  const char* offset = date <= std::string_view("2024-02-28") ? "+06:00" : "+05:00";
  const auto end = xsd_time::parse_datetime(std::string(date) + "T23:59:59.999" + offset);
  if (!end) throw std::invalid_argument("no such day: '" + std::string(date) + "'");
  return *end;
}

}  // namespace tekser::eligibility

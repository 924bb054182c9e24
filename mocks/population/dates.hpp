// Calendar days as numbers (days since 1970-01-01) and back to "YYYY-MM-DD": what the population
// draws dates with.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tekser::mocks::population {

inline int day_number(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return static_cast<int>(sys_days(year{y} / month{m} / day{d}).time_since_epoch().count());
}

// "YYYY-MM-DD" (already validated) -> day number.
inline int day_number(std::string_view date) {
  const auto number = [&](std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (date[i] - '0');
    return value;
  };
  return day_number(number(0, 4), static_cast<unsigned>(number(5, 2)),
                    static_cast<unsigned>(number(8, 2)));
}

inline std::string date_text(int days) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  char out[11];
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  const unsigned d = static_cast<unsigned>(ymd.day());
  out[0] = static_cast<char>('0' + y / 1000 % 10);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  out[10] = '\0';
  return out;
}

// "DD.MM.YYYY", as Russian and Kazakh texts write a date.
inline std::string dotted(std::string_view date) {
  return std::string(date.substr(8, 2)) + "." + std::string(date.substr(5, 2)) + "." +
         std::string(date.substr(0, 4));
}

}  // namespace tekser::mocks::population

#include "common/time/xsd_time.hpp"

#include <charconv>
#include <cstdio>

namespace tekser::xsd_time {
namespace {

using namespace std::chrono;

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return true;
}

bool valid_ymd(int y, int m, int d) {
  return year_month_day{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}
      .ok();
}

std::string format_with(TimePoint t, minutes offset, bool zulu) {
  const auto local = t + offset;
  const auto day_point = floor<days>(local);
  const year_month_day ymd{day_point};
  const hh_mm_ss<milliseconds> hms{local - day_point};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  std::string out(buf);
  if (zulu) return out + "Z";
  const auto total = offset.count();
  const long abs_min = total < 0 ? -total : total;
  std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", total < 0 ? '-' : '+', abs_min / 60,
                abs_min % 60);
  return out + buf;
}

}  // namespace

std::string format_datetime(TimePoint t, minutes offset) { return format_with(t, offset, false); }

std::string format_utc(TimePoint t) { return format_with(t, minutes{0}, true); }

std::optional<TimePoint> parse_datetime(std::string_view text, bool require_offset) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':')
    return std::nullopt;
  if (!read_int(text, 0, 4, y) || !read_int(text, 5, 2, mo) || !read_int(text, 8, 2, d) ||
      !read_int(text, 11, 2, h) || !read_int(text, 14, 2, mi) || !read_int(text, 17, 2, s))
    return std::nullopt;
  if (!valid_ymd(y, mo, d) || h > 23 || mi > 59 || s > 59) return std::nullopt;
  std::size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 3; ++i) millis *= 10;
  }
  minutes offset{0};
  if (pos == text.size()) {
    if (require_offset) return std::nullopt;
  } else if (text[pos] == 'Z' && pos + 1 == text.size()) {
  } else if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size() &&
             text[pos + 3] == ':') {
    int oh = 0, om = 0;
    if (!read_int(text, pos + 1, 2, oh) || !read_int(text, pos + 4, 2, om) || oh > 14 || om > 59)
      return std::nullopt;
    offset = minutes{oh * 60 + om};
    if (text[pos] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  const sys_days date{year{y} / month{static_cast<unsigned>(mo)} / day{static_cast<unsigned>(d)}};
  const auto local = time_point_cast<milliseconds>(date) + hours{h} + minutes{mi} + seconds{s} +
                     milliseconds{millis};
  return local - offset;
}

std::optional<std::string> normalize_date(std::string_view text) {
  int y = 0, mo = 0, d = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!read_int(text, 0, 4, y) || !read_int(text, 5, 2, mo) || !read_int(text, 8, 2, d))
    return std::nullopt;
  if (!valid_ymd(y, mo, d)) return std::nullopt;
  const auto rest = text.substr(10);
  if (!rest.empty() && rest != "Z") {
    // The same offset rule as parse_datetime: "±hh:mm", digits, at most 14 hours.
    int oh = 0, om = 0;
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' ||
        !read_int(rest, 1, 2, oh) || !read_int(rest, 4, 2, om) || oh > 14 || om > 59)
      return std::nullopt;
  }
  return std::string(text.substr(0, 10));
}

}  // namespace tekser::xsd_time

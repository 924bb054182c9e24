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

// `value`'s last `width` decimal digits at `at`, zero-padded.
void put_digits(char* at, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Written digit by digit: a supplier read formats a few dozen of these, and snprintf was a tenth
// of its time. Years outside 0000–9999 and offsets of 100 hours or more (neither comes from a
// reply: parse_datetime refuses them) take the general path.
std::string format_with(TimePoint t, minutes offset, bool zulu) {
  const auto local = t + offset;
  const auto day_point = floor<days>(local);
  const year_month_day ymd{day_point};
  const hh_mm_ss<milliseconds> hms{local - day_point};
  const int y = static_cast<int>(ymd.year());
  const long total = offset.count();
  const long abs_min = total < 0 ? -total : total;
  if (y < 0 || y > 9999 || abs_min / 60 > 99) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d", y,
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()),
                  static_cast<int>(hms.subseconds().count()));
    std::string out(buf);
    if (zulu) return out + "Z";
    std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", total < 0 ? '-' : '+', abs_min / 60,
                  abs_min % 60);
    return out + buf;
  }
  std::string out(zulu ? 24 : 29, '\0');  // 2026-12-07T18:14:02.125Z or …+05:00
  char* p = out.data();
  put_digits(p, static_cast<unsigned>(y), 4);
  p[4] = '-';
  put_digits(p + 5, static_cast<unsigned>(ymd.month()), 2);
  p[7] = '-';
  put_digits(p + 8, static_cast<unsigned>(ymd.day()), 2);
  p[10] = 'T';
  put_digits(p + 11, static_cast<unsigned>(hms.hours().count()), 2);
  p[13] = ':';
  put_digits(p + 14, static_cast<unsigned>(hms.minutes().count()), 2);
  p[16] = ':';
  put_digits(p + 17, static_cast<unsigned>(hms.seconds().count()), 2);
  p[19] = '.';
  put_digits(p + 20, static_cast<unsigned>(hms.subseconds().count()), 3);
  if (zulu) {
    p[23] = 'Z';
    return out;
  }
  p[23] = total < 0 ? '-' : '+';
  put_digits(p + 24, static_cast<unsigned>(abs_min / 60), 2);
  p[26] = ':';
  put_digits(p + 27, static_cast<unsigned>(abs_min % 60), 2);
  return out;
}

}  // namespace

std::string format_datetime(TimePoint t, minutes offset) {
  return format_with(t, offset, false);
}

std::string format_utc(TimePoint t) {
  return format_with(t, minutes{0}, true);
}

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

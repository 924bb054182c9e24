// xsd:dateTime / xsd:date with explicit offsets; Kazakhstan is UTC+05:00.
#include "common/time/xsd_time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

using namespace std::chrono;
using tekser::xsd_time::format_datetime;
using tekser::xsd_time::format_utc;
using tekser::xsd_time::kKazakhstanOffset;
using tekser::xsd_time::normalize_date;
using tekser::xsd_time::parse_datetime;
using tekser::xsd_time::TimePoint;

// An instant given in UTC, computed with the calendar of <chrono> rather than the parser.
TimePoint utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
  return time_point_cast<milliseconds>(sys_days{year{y} / month{mo} / day{d}}) + hours{h} +
         minutes{mi} + seconds{s} + milliseconds{ms};
}

TEST(XsdTime, KazakhstanOffsetIsFiveHours) {
  EXPECT_EQ(kKazakhstanOffset, hours{5});
}

TEST(XsdTime, ParsesKazakhstanOffsetAsFiveHoursAheadOfUtc) {
  const auto t = parse_datetime("2026-11-22T14:03:07.125+05:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, utc(2026, 11, 22, 9, 3, 7, 125));
}

TEST(XsdTime, FormatsWithKazakhstanOffsetByDefault) {
  EXPECT_EQ(format_datetime(utc(2026, 11, 22, 9, 3, 7, 125)), "2026-11-22T14:03:07.125+05:00");
  EXPECT_EQ(format_datetime(utc(2026, 11, 22, 9, 3, 7)), "2026-11-22T14:03:07.000+05:00");
}

TEST(XsdTime, FormatsUtcWithZ) {
  EXPECT_EQ(format_utc(utc(2026, 11, 22, 9, 3, 7, 5)), "2026-11-22T09:03:07.005Z");
}

// The digit-by-digit writer and its general path: the epoch, the last millisecond of 9999, a
// year past it, and an offset of 100 hours.
TEST(XsdTime, FormatsEveryYearAndOffset) {
  using tekser::xsd_time::TimePoint;
  EXPECT_EQ(format_utc(TimePoint{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc(utc(9999, 12, 31, 23, 59, 59, 999)), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_utc(utc(9999, 12, 31, 23, 59, 59, 999) + milliseconds{1}),
            "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_datetime(TimePoint{}, hours{100}), "1970-01-05T04:00:00.000+100:00");
  EXPECT_EQ(format_datetime(utc(2026, 1, 2, 3, 4, 5, 6), minutes{0}),
            "2026-01-02T03:04:05.006+00:00");
}

TEST(XsdTime, LocalDateCrossesMidnightWithTheOffset) {
  // 21:30 UTC on New Year's Eve is already 02:30 on 1 January in Kazakhstan.
  const auto t = utc(2025, 12, 31, 21, 30, 0);
  EXPECT_EQ(format_datetime(t), "2026-01-01T02:30:00.000+05:00");
  EXPECT_EQ(format_utc(t), "2025-12-31T21:30:00.000Z");
}

TEST(XsdTime, RoundTripWithKazakhstanOffset) {
  const auto t = utc(2024, 3, 1, 0, 0, 0, 999);
  const auto text = format_datetime(t);
  EXPECT_EQ(parse_datetime(text), t) << text;
}

TEST(XsdTime, RoundTripWithZ) {
  const auto t = utc(2027, 7, 15, 23, 59, 59, 1);
  const auto text = format_utc(t);
  EXPECT_EQ(text.back(), 'Z');
  EXPECT_EQ(parse_datetime(text), t) << text;
}

TEST(XsdTime, RoundTripWithNegativeAndOddOffsets) {
  const auto t = utc(2025, 6, 1, 2, 15, 0, 250);
  EXPECT_EQ(format_datetime(t, -hours{5}), "2025-05-31T21:15:00.250-05:00");
  EXPECT_EQ(format_datetime(t, -minutes{3 * 60 + 30}), "2025-05-31T22:45:00.250-03:30");
  EXPECT_EQ(format_datetime(t, minutes{5 * 60 + 45}), "2025-06-01T08:00:00.250+05:45");
  for (const auto offset : {-hours{5}, -hours{12}, hours{0}, hours{6}, hours{14}}) {
    const auto text = format_datetime(t, duration_cast<minutes>(offset));
    EXPECT_EQ(parse_datetime(text), t) << text;
  }
}

TEST(XsdTime, SameInstantInDifferentOffsetsParsesEqual) {
  const auto a = parse_datetime("2024-03-01T05:00:00+05:00");
  const auto b = parse_datetime("2024-03-01T00:00:00Z");
  const auto c = parse_datetime("2024-02-29T19:00:00-05:00");
  const auto d = parse_datetime("2024-03-01T00:00:00+00:00");
  ASSERT_TRUE(a && b && c && d);
  EXPECT_EQ(*a, utc(2024, 3, 1, 0, 0, 0));
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
  EXPECT_EQ(*a, *d);
}

TEST(XsdTime, AcceptsFractionsOfOneToNineDigits) {
  // Milliseconds are kept; digits beyond them are dropped (never rounded into the next second).
  struct Case {
    const char* fraction;
    int millis;
  };
  for (const Case c :
       {Case{"1", 100}, Case{"12", 120}, Case{"123", 123}, Case{"1234", 123}, Case{"12345", 123},
        Case{"123456", 123}, Case{"1234567", 123}, Case{"12345678", 123}, Case{"999999999", 999},
        Case{"0", 0}, Case{"05", 50}}) {
    const std::string text = std::string("2026-01-02T03:04:05.") + c.fraction + "+05:00";
    const auto t = parse_datetime(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(*t, utc(2026, 1, 1, 22, 4, 5, c.millis)) << text;
  }
}

TEST(XsdTime, RejectsEmptyFraction) {
  EXPECT_FALSE(parse_datetime("2026-01-02T03:04:05.+05:00"));
  EXPECT_FALSE(parse_datetime("2026-01-02T03:04:05.Z"));
}

TEST(XsdTime, RejectsMissingOffsetWhenRequired) {
  EXPECT_FALSE(parse_datetime("2026-01-02T03:04:05"));
  EXPECT_FALSE(parse_datetime("2026-01-02T03:04:05.123"));
  EXPECT_FALSE(parse_datetime("2026-01-02T03:04:05", true));
}

TEST(XsdTime, AcceptsMissingOffsetAsUtcWhenNotRequired) {
  EXPECT_EQ(parse_datetime("2026-01-02T03:04:05.5", false), utc(2026, 1, 2, 3, 4, 5, 500));
  // An offset, when present, still counts.
  EXPECT_EQ(parse_datetime("2026-01-02T03:04:05+05:00", false), utc(2026, 1, 1, 22, 4, 5));
}

TEST(XsdTime, RejectsFeb29OnNonLeapYears) {
  EXPECT_FALSE(parse_datetime("2025-02-29T12:00:00+05:00"));
  EXPECT_FALSE(parse_datetime("1900-02-29T12:00:00+05:00"));
  EXPECT_EQ(parse_datetime("2024-02-29T12:00:00+05:00"), utc(2024, 2, 29, 7, 0, 0));
  EXPECT_EQ(parse_datetime("2000-02-29T12:00:00+05:00"), utc(2000, 2, 29, 7, 0, 0));
}

TEST(XsdTime, RejectsImpossibleDatesAndTimes) {
  for (const char* text : {"2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z",
                           "2026-01-00T00:00:00Z", "2026-01-01T24:00:01Z", "2026-01-01T23:60:00Z",
                           "2026-01-01T23:59:60Z"}) {
    EXPECT_FALSE(parse_datetime(text)) << text;
  }
}

TEST(XsdTime, RejectsMalformedText) {
  for (const char* text :
       {"", "2026-01-01", "2026-01-01 10:00:00+05:00", "2026/01/01T10:00:00+05:00",
        "26-01-01T10:00:00+05:00", "2026-1-01T10:00:00+05:00", "2026-01-01T10:00+05:00",
        "2026-01-01T1a:00:00+05:00", "2026-01-01T10:00:00+0500", "2026-01-01T10:00:00+5:00",
        "2026-01-01T10:00:00+05:00 ", "2026-01-01T10:00:00Zz", "2026-01-01T10:00:00UTC",
        "2026-01-01T10:00:00+05:60", "2026-01-01T10:00:00+15:00", "2026-01-01T10:00:00+ab:cd",
        "+2026-01-01T10:00:00Z"}) {
    EXPECT_FALSE(parse_datetime(text)) << text;
  }
}

TEST(XsdTime, NormalizeDateAcceptsPlainAndOffsetDates) {
  EXPECT_EQ(normalize_date("2024-02-29"), "2024-02-29");
  EXPECT_EQ(normalize_date("1990-05-14Z"), "1990-05-14");
  EXPECT_EQ(normalize_date("1990-05-14+05:00"), "1990-05-14");
  EXPECT_EQ(normalize_date("1990-05-14-03:30"), "1990-05-14");
}

TEST(XsdTime, NormalizeDateRejectsImpossibleDates) {
  for (const char* text :
       {"2025-02-29", "1900-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "2026-01-00"}) {
    EXPECT_FALSE(normalize_date(text)) << text;
  }
}

TEST(XsdTime, NormalizeDateRejectsMalformedText) {
  for (const char* text : {"", "2026-1-01", "20260101", "2026/01/01", "2026-01-01T00:00:00Z",
                           "2026-01-01 ", "2026-01-01+0500", "2026-01-01X"}) {
    EXPECT_FALSE(normalize_date(text)) << text;
  }
}

TEST(XsdTime, NormalizeDateRejectsOffsetThatIsNotDigits) {
  for (const char* text : {"2026-01-01+ab:cd", "2026-01-01+05:xx", "2026-01-01-0x:00",
                           "2026-01-01+05:60", "2026-01-01+15:00"}) {
    EXPECT_FALSE(normalize_date(text)) << text;
  }
}

}  // namespace

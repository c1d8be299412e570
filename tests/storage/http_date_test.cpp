#include "storage/http_date.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace fanfold::storage {
namespace {

using std::chrono::microseconds;
using std::chrono::seconds;

TEST(HttpDateTest, FormatsAndParsesRfc1123) {
  const std::chrono::system_clock::time_point time{seconds(784111777)};
  EXPECT_EQ(FormatRfc1123(time), "Sun, 06 Nov 1994 08:49:37 GMT");
  const auto parsed = ParseRfc1123("Sun, 06 Nov 1994 08:49:37 GMT");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, time);
  EXPECT_FALSE(ParseRfc1123("yesterday").has_value());
}

TEST(HttpDateTest, Iso8601KeepsMicrosecondsAndWritesSevenDigits) {
  const Timestamp time{seconds(1795341231) + microseconds(123456)};
  EXPECT_EQ(FormatIso8601(time), "2026-11-22T09:53:51.1234560Z");
  const auto parsed = ParseIso8601("2026-11-22T09:53:51.1234560Z");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, time);
}

TEST(HttpDateTest, Iso8601AcceptsShorterFractions) {
  EXPECT_EQ(ParseIso8601("2026-11-22T09:53:51Z").value(), Timestamp{seconds(1795341231)});
  EXPECT_EQ(ParseIso8601("2026-11-22T09:53:51.5Z").value(),
            Timestamp{seconds(1795341231) + microseconds(500000)});
  EXPECT_FALSE(ParseIso8601("2026-11-22T09:53:51.12345678Z").has_value());
  EXPECT_FALSE(ParseIso8601("2026-11-22T09:53:51").has_value());
}

TEST(HttpDateTest, Rfc1123RefusesGarbledFields) {
  EXPECT_TRUE(ParseRfc1123("Thu, 29 Feb 2024 23:59:59 GMT").has_value());  // a leap day
  for (const char* bad : {"Fri, 29 Feb 2023 00:00:00 GMT",                 // no such day
                          "Mon, 06 Nov 1994 08:49:37 GMT",   // the wrong weekday for the date
                          "Sun, 06 Nov 1994 24:00:00 GMT",   // no such hour
                          "Sun, 06 Xyz 1994 08:49:37 GMT",   // no such month
                          "Sun, 06 Nov 1994 08:49:37 UTC",   // not GMT
                          "Sun, 6 Nov 1994 08:49:37 GMT",    // one-digit day
                          "Sun, 06 Nov 1994 08:49:37 GMT ",  // trailing space
                          "Sun, 06 Nov 19a4 08:49:37 GMT", ""})
    EXPECT_FALSE(ParseRfc1123(bad).has_value()) << bad;
}

TEST(HttpDateTest, Rfc1123InWholeSecondsReachesTheYear9999) {
  // The queue's "never expires"; system_clock's nanoseconds end in 2262.
  const auto never = ParseRfc1123Seconds("Fri, 31 Dec 9999 23:59:59 GMT");
  ASSERT_TRUE(never.has_value());
  EXPECT_EQ(never->time_since_epoch(), seconds(253402300799));
  EXPECT_FALSE(ParseRfc1123("Fri, 31 Dec 9999 23:59:59 GMT").has_value());
}

TEST(HttpDateTest, BothFormatsRoundTripEveryDayOfSeveralCenturies) {
  // Every 7th day plus an odd second count from 1970 to 2200: weekday, month and leap-year
  // arithmetic all round-trip.
  for (std::int64_t day = 0; day < 230 * 366; day += 7) {
    const seconds at{day * 86400 + (day * 7919) % 86400};
    const std::chrono::system_clock::time_point time{at};
    ASSERT_EQ(ParseRfc1123(FormatRfc1123(time)), time) << FormatRfc1123(time);
    const Timestamp stamp{at + microseconds(day % 1000000)};
    ASSERT_EQ(ParseIso8601(FormatIso8601(stamp)), stamp) << FormatIso8601(stamp);
  }
}

TEST(HttpDateTest, Iso8601RefusesGarbledFields) {
  for (const char* bad : {"2026-13-22T09:53:51Z", "2026-02-30T09:53:51Z", "2026-11-22 09:53:51Z",
                          "2026-11-22T09:60:51Z", "2026-11-22T09:53:51.Z", "2026-11-22T09:53:51,5Z",
                          "2026-11-22T09:53:51.5aZ", "2026/11/22T09:53:51Z", ""})
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
}

}  // namespace
}  // namespace fanfold::storage

#include "storage/http_date.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fanfold::storage

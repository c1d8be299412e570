// Edm.DateTime text forms at full 100 ns precision, Guid canonicalization, EDM type names.
#include "tablestore/edm.hpp"

#include <gtest/gtest.h>

namespace fanfold::tablestore {
namespace {

using std::chrono::sys_days;

EdmDateTime At(int y, unsigned m, unsigned d, int64_t ticks_after_midnight) {
  return EdmDateTime{sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}} +
         EdmTicks{ticks_after_midnight};
}

TEST(EdmDateTimeTest, FormatsSevenFractionalDigits) {
  EXPECT_EQ(FormatEdmDateTime(EdmDateTime{}), "1970-01-01T00:00:00.0000000Z");
  // 09:53:51.1234567
  const int64_t ticks = ((9 * 3600 + 53 * 60 + 51) * 10'000'000LL) + 1'234'567;
  EXPECT_EQ(FormatEdmDateTime(At(2026, 11, 22, ticks)), "2026-11-22T09:53:51.1234567Z");
  EXPECT_EQ(FormatEdmDateTime(At(1601, 1, 1, 1)), "1601-01-01T00:00:00.0000001Z");
  EXPECT_EQ(FormatEdmDateTime(At(9999, 12, 31, 863'999'999'999)), "9999-12-31T23:59:59.9999999Z");
}

TEST(EdmDateTimeTest, ParsesWhatItFormatsExactly) {
  for (const char* text : {"2026-11-22T09:53:51.1234567Z", "1601-01-01T00:00:00.0000000Z",
                           "1969-12-31T23:59:59.9999999Z", "2000-02-29T12:00:00.0000001Z"}) {
    const auto parsed = ParseEdmDateTime(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(FormatEdmDateTime(*parsed), text);
  }
}

TEST(EdmDateTimeTest, AcceptsFewerFractionalDigits) {
  EXPECT_EQ(FormatEdmDateTime(*ParseEdmDateTime("2013-08-22T00:20:16Z")),
            "2013-08-22T00:20:16.0000000Z");
  EXPECT_EQ(FormatEdmDateTime(*ParseEdmDateTime("2013-08-22T00:20:16.5Z")),
            "2013-08-22T00:20:16.5000000Z");
  EXPECT_EQ(FormatEdmDateTime(*ParseEdmDateTime("2013-08-22T00:20:16.313Z")),
            "2013-08-22T00:20:16.3130000Z");
}

TEST(EdmDateTimeTest, RejectsMalformedText) {
  for (const char* text :
       {"", "2013-08-22T00:20:16", "2013-08-22 00:20:16Z", "2013-13-01T00:00:00Z",
        "2013-02-30T00:00:00Z", "2013-08-22T24:00:00Z", "2013-08-22T00:60:00Z",
        "2013-08-22T00:20:16.12345678Z", "2013-08-22T00:20:16.Z", "2013-08-22T00:20:16.1a2Z",
        "2013-08-22T00:20:16+00:00", "x013-08-22T00:20:16Z"}) {
    EXPECT_FALSE(ParseEdmDateTime(text).has_value()) << text;
  }
}

TEST(EdmDateTimeTest, StorableRangeIs1601To9999) {
  EXPECT_TRUE(IsStorableEdmDateTime(At(1601, 1, 1, 0)));
  EXPECT_FALSE(IsStorableEdmDateTime(At(1601, 1, 1, 0) - EdmTicks{1}));
  EXPECT_TRUE(IsStorableEdmDateTime(At(9999, 12, 31, 863'999'999'999)));
  EXPECT_FALSE(IsStorableEdmDateTime(At(10000, 1, 1, 0)));
}

TEST(GuidTest, ParsesAndLowerCases) {
  const auto guid = Guid::Parse("C9DA6455-213D-42C9-9A79-3E9149A57833");
  ASSERT_TRUE(guid.has_value());
  EXPECT_EQ(guid->str(), "c9da6455-213d-42c9-9a79-3e9149a57833");
  EXPECT_EQ(*guid, *Guid::Parse("c9da6455-213d-42c9-9a79-3e9149a57833"));
}

TEST(GuidTest, RejectsOtherLayouts) {
  for (const char* text :
       {"", "c9da6455213d42c99a793e9149a57833", "{c9da6455-213d-42c9-9a79-3e9149a57833}",
        "c9da6455-213d-42c9-9a79-3e9149a5783g", "c9da645-5213d-42c9-9a79-3e9149a57833"}) {
    EXPECT_FALSE(Guid::Parse(text).has_value()) << text;
  }
}

TEST(EdmTypeTest, NamesRoundTrip) {
  for (const EdmType type :
       {EdmType::kString, EdmType::kInt32, EdmType::kInt64, EdmType::kDouble, EdmType::kBoolean,
        EdmType::kDateTime, EdmType::kBinary, EdmType::kGuid}) {
    EXPECT_EQ(EdmTypeFromName(EdmTypeName(type)), type);
  }
  EXPECT_STREQ(EdmTypeName(EdmType::kInt64), "Edm.Int64");
  EXPECT_FALSE(EdmTypeFromName("Edm.Decimal").has_value());
}

}  // namespace
}  // namespace fanfold::tablestore

// The x-ms-range header and Content-Range parsing.
#include "storage/blob/blob_range.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "storage/blob/blob_options.hpp"

namespace fanfold::storage {
namespace {

TEST(RangeHeaderTest, FormatsInclusiveEnds) {
  EXPECT_EQ(FormatRangeHeader(0, 1), "bytes=0-0");
  EXPECT_EQ(FormatRangeHeader(0, 100), "bytes=0-99");
  EXPECT_EQ(FormatRangeHeader(4'194'304, 4'194'304), "bytes=4194304-8388607");
  EXPECT_EQ(FormatRangeHeader(990, 100), "bytes=990-1089");
}

TEST(RangeHeaderTest, OpenEndedToTheEndOfTheBlob) {
  EXPECT_EQ(FormatRangeHeader(0, kToEndOfBlob), "bytes=0-");
  EXPECT_EQ(FormatRangeHeader(123, kToEndOfBlob), "bytes=123-");
  // A length reaching past the largest offset cannot be written as an end: it means "to end".
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(FormatRangeHeader(10, max - 5), "bytes=10-");
  EXPECT_EQ(FormatRangeHeader(10, max - 10), "bytes=10-18446744073709551614");
}

TEST(ContentRangeTest, ParsesAzureForm) {
  const auto range = ParseContentRange("bytes 990-999/1000");
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->first, 990u);
  EXPECT_EQ(range->last, 999u);
  EXPECT_EQ(range->total, 1000u);
  EXPECT_EQ(ParseContentRange("bytes 0-0/1")->total, 1u);
}

TEST(ContentRangeTest, RejectsOtherForms) {
  EXPECT_FALSE(ParseContentRange("bytes */0"));
  EXPECT_FALSE(ParseContentRange("bytes 0--1/0"));  // seen from emulators on empty blobs
  EXPECT_FALSE(ParseContentRange("bytes 10-5/20"));
  EXPECT_FALSE(ParseContentRange("bytes 0-20/20"));
  EXPECT_FALSE(ParseContentRange("items 0-1/2"));
  EXPECT_FALSE(ParseContentRange(""));
}

TEST(ContentRangeTest, TotalOfAnyForm) {
  EXPECT_EQ(ParseContentRangeTotal("bytes 990-999/1000"), 1000u);
  EXPECT_EQ(ParseContentRangeTotal("bytes */0"), 0u);
  EXPECT_EQ(ParseContentRangeTotal("bytes 1000-999/1000"), 1000u);  // Azurite's empty range
  EXPECT_EQ(ParseContentRangeTotal("bytes 0--1/0"), 0u);
  EXPECT_FALSE(ParseContentRangeTotal("bytes 0-9/*"));
  EXPECT_FALSE(ParseContentRangeTotal(""));
}

TEST(DecimalTest, ParsesOnlyDigitsThatFit) {
  EXPECT_EQ(ParseDecimal("0"), 0u);
  EXPECT_EQ(ParseDecimal("18446744073709551615"), std::numeric_limits<uint64_t>::max());
  EXPECT_FALSE(ParseDecimal("18446744073709551616"));
  EXPECT_FALSE(ParseDecimal(""));
  EXPECT_FALSE(ParseDecimal("-1"));
  EXPECT_FALSE(ParseDecimal("12 "));
}

}  // namespace
}  // namespace fanfold::storage

#include "activities/input_format.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fanfold::activities {
namespace {

constexpr const char* kTpchLine =
    "1|Customer#000000001|IVhzIApeRb ot,c,E|15|25-989-741-2988|711.56|BUILDING|to the even|";

TEST(InputFormatTest, NamesRoundTripAndParseIgnoresCase) {
  for (const InputFormat format : {InputFormat::kAuto, InputFormat::kTpch, InputFormat::kCsv}) {
    auto parsed = ParseInputFormat(InputFormatName(format));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, format);
  }
  EXPECT_EQ(InputFormatName(InputFormat::kTpch), "tpch");
  EXPECT_EQ(*ParseInputFormat("CSV"), InputFormat::kCsv);
  EXPECT_EQ(*ParseInputFormat("Tpch"), InputFormat::kTpch);
  EXPECT_EQ(*ParseInputFormat("AUTO"), InputFormat::kAuto);
}

TEST(InputFormatTest, UnknownNamesAreInvalidArgumentsWithABoundedEcho) {
  for (const char* name : {"", "tsv", " csv", "csv ", "tpc-h"}) {
    auto parsed = ParseInputFormat(name);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_TRUE(parsed.status().IsInvalidArgument());
  }
  const std::string long_name(1000, 'x');
  auto parsed = ParseInputFormat(long_name);
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.status().message().size(), 120u);
}

TEST(DetectInputFormatTest, TrailingBarIsTpchCommasAreCsv) {
  EXPECT_EQ(DetectInputFormat(std::string(kTpchLine) + "\n2|x|y|3|p|1.00|s|c|\n"),
            InputFormat::kTpch);
  // The TPC-H address holds commas: the trailing '|' wins.
  EXPECT_EQ(DetectInputFormatOfFirstLine(kTpchLine), InputFormat::kTpch);
  EXPECT_EQ(DetectInputFormat("1,Customer#1,\"a|b\",15,25-989,711.56,BUILDING,c\n"),
            InputFormat::kCsv);
  EXPECT_EQ(DetectInputFormat("c_custkey,c_name,c_address,c_nationkey\r\n1,a,b,3\r\n"),
            InputFormat::kCsv);
  // A '|' that does not end the line is not the TPC-H layout.
  EXPECT_EQ(DetectInputFormat("1|2,3\n"), InputFormat::kCsv);
}

TEST(DetectInputFormatTest, IgnoresCrAndByteOrderMarkAndOnlyReadsLineOne) {
  EXPECT_EQ(DetectInputFormat(std::string(kTpchLine) + "\r\n"), InputFormat::kTpch);
  EXPECT_EQ(DetectInputFormat("\xEF\xBB\xBF" + std::string(kTpchLine) + "\n"), InputFormat::kTpch);
  EXPECT_EQ(DetectInputFormat("\xEF\xBB\xBF"
                              "a,b\n"),
            InputFormat::kCsv);
  // Line 2 is never consulted.
  EXPECT_EQ(DetectInputFormat("a,b\n1|2|\n"), InputFormat::kCsv);
  EXPECT_EQ(DetectInputFormat("1|2|\na,b\n"), InputFormat::kTpch);
}

TEST(DetectInputFormatTest, FallsBackToTpchWhenLineOneSaysNothing) {
  EXPECT_EQ(DetectInputFormat(""), InputFormat::kTpch);
  EXPECT_EQ(DetectInputFormat("\n1,2,3\n"), InputFormat::kTpch);  // empty first line
  EXPECT_EQ(DetectInputFormat("hello world\n"), InputFormat::kTpch);
  EXPECT_EQ(DetectInputFormat(std::string("\0\0\xFF", 3)), InputFormat::kTpch);
}

TEST(DetectInputFormatTest, HeadWithoutNewlineIsTheWholeFirstLine) {
  EXPECT_EQ(DetectInputFormat("a,b,c"), InputFormat::kCsv);
  EXPECT_EQ(DetectInputFormat("a|b|"), InputFormat::kTpch);
}

TEST(DetectInputFormatTest, TooLongFirstLineFallsBackWhateverTheProbeSize) {
  const std::string line = "a,b,c,d,e,f,g,h";  // 15 bytes
  EXPECT_EQ(DetectInputFormat(line + "\n", 15), InputFormat::kCsv);
  EXPECT_EQ(DetectInputFormat(line + "\n", 14), InputFormat::kTpch);
  // A probe of max+1 bytes that holds no newline proves the line too long.
  EXPECT_EQ(DetectInputFormat(line.substr(0, 15), 14), InputFormat::kTpch);
  // Exactly max bytes followed by the newline is still fine.
  EXPECT_EQ(DetectInputFormat(line + "\n" + line, 15), InputFormat::kCsv);
}

}  // namespace
}  // namespace fanfold::activities

#include "activities/row_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fanfold::activities {
namespace {

constexpr NationKeyRange kTpchNations{};

ParsedLine Tpch(std::string_view line) {
  return ParseCustomerLine(line, InputFormat::kTpch, kTpchNations);
}
ParsedLine Csv(std::string_view line) {
  return ParseCustomerLine(line, InputFormat::kCsv, kTpchNations);
}

void ExpectRow(const ParsedLine& parsed, std::int32_t nation, std::int64_t cents) {
  ASSERT_FALSE(parsed.reject.has_value()) << RejectReasonName(*parsed.reject);
  EXPECT_EQ(parsed.nation_key, nation);
  EXPECT_EQ(parsed.cents, cents);
}

void ExpectReject(const ParsedLine& parsed, RejectReason reason) {
  ASSERT_TRUE(parsed.reject.has_value());
  EXPECT_EQ(RejectReasonName(*parsed.reject), RejectReasonName(reason));
}

TEST(RejectReasonTest, NamesAreStableAndRoundTrip) {
  EXPECT_EQ(RejectReasonName(RejectReason::kFieldCount), "field_count");
  EXPECT_EQ(RejectReasonName(RejectReason::kQuotedLineBreak), "quoted_line_break");
  for (const RejectReason reason : kAllRejectReasons) {
    EXPECT_EQ(ParseRejectReason(RejectReasonName(reason)), reason);
    EXPECT_EQ(kAllRejectReasons[RejectReasonIndex(reason)], reason);
  }
  EXPECT_FALSE(ParseRejectReason("Field_Count").has_value());
}

TEST(TpchLineTest, ParsesReferenceLines) {
  ExpectRow(Tpch("1|Customer#000000001|IVhzIApeRb ot,c,E|15|25-989-741-2988|711.56|BUILDING|"
                 "to the even, regular platelets. regular, ironic epitaphs nag e|"),
            15, 71156);
  ExpectRow(Tpch("10|Customer#000000010|6LrEaV6KR6PLVcgl2ArL Q3rqzLzcT1 v2|5|15-741-346-9870|"
                 "-2753.54|HOUSEHOLD|x|"),
            5, -275354);
  ExpectRow(Tpch("|||0||0|||"), 0, 0);  // other columns are not interpreted
  ExpectRow(Tpch("a|b|c|24|e|-0.5|g|h|"), 24, -50);
}

TEST(TpchLineTest, NeedsExactlyEightFieldsEndingWithBar) {
  ExpectReject(Tpch("a|b|c|1|e|1.00|g|h"), RejectReason::kFieldCount);     // no trailing '|'
  ExpectReject(Tpch("a|b|c|1|e|1.00|g|"), RejectReason::kFieldCount);      // 7 fields
  ExpectReject(Tpch("a|b|c|1|e|1.00|g|h|i|"), RejectReason::kFieldCount);  // 9 fields
  ExpectReject(Tpch("a|b|c|1|e|1.00|g|h||"), RejectReason::kFieldCount);
  ExpectReject(Tpch(""), RejectReason::kFieldCount);
  ExpectReject(Tpch("a,b,c,1,e,1.00,g,h"), RejectReason::kFieldCount);
  // Quotes mean nothing in TPC-H: they make the nation key invalid here.
  ExpectReject(Tpch("a|b|c|\"1\"|e|1.00|g|h|"), RejectReason::kNationKeyInvalid);
}

TEST(TpchLineTest, NationKeyMustBeANonNegativeIntegerInRange) {
  ExpectRow(Tpch("a|b|c|00|e|1|g|h|"), 0, 100);
  ExpectRow(Tpch("a|b|c|024|e|1|g|h|"), 24, 100);
  ExpectReject(Tpch("a|b|c|25|e|1|g|h|"), RejectReason::kNationKeyOutOfRange);
  ExpectReject(Tpch("a|b|c|99999999999999999999999|e|1|g|h|"), RejectReason::kNationKeyOutOfRange);
  for (const char* key : {"", "-1", "+1", "1.0", " 1", "1 ", "x", "0x1", "-0"}) {
    ExpectReject(Tpch("a|b|c|" + std::string(key) + "|e|1|g|h|"), RejectReason::kNationKeyInvalid);
  }
}

TEST(TpchLineTest, BalanceReasonsAndPrecedence) {
  ExpectReject(Tpch("a|b|c|1|e|1.234|g|h|"), RejectReason::kBalanceInvalid);
  ExpectReject(Tpch("a|b|c|1|e||g|h|"), RejectReason::kBalanceInvalid);
  ExpectReject(Tpch("a|b|c|1|e|1e3|g|h|"), RejectReason::kBalanceInvalid);
  ExpectReject(Tpch("a|b|c|1|e|92233720368547758.08|g|h|"), RejectReason::kBalanceOutOfRange);
  // Structure first, then the nation key, then the balance.
  ExpectReject(Tpch("a|b|c|x|e|y|g|h|"), RejectReason::kNationKeyInvalid);
  ExpectReject(Tpch("a|b|c|99|e|y|g|h|"), RejectReason::kNationKeyOutOfRange);
  ExpectReject(Tpch("a|b|c|x|e|y|g|"), RejectReason::kFieldCount);
}

TEST(TpchLineTest, CustomNationKeyRange) {
  const NationKeyRange range{100, 200};
  EXPECT_FALSE(ParseCustomerLine("a|b|c|150|e|1|g|h|", InputFormat::kTpch, range).reject);
  EXPECT_EQ(ParseCustomerLine("a|b|c|99|e|1|g|h|", InputFormat::kTpch, range).reject,
            RejectReason::kNationKeyOutOfRange);
  EXPECT_EQ(ParseCustomerLine("a|b|c|201|e|1|g|h|", InputFormat::kTpch, range).reject,
            RejectReason::kNationKeyOutOfRange);
  std::int32_t key = -1;
  EXPECT_EQ(ParseNationKey("200", range, &key), NumberError::kNone);
  EXPECT_EQ(key, 200);
  EXPECT_EQ(ParseNationKey("4294967296000", range, &key), NumberError::kOutOfRange);
}

TEST(CsvLineTest, PlainAndQuotedFields) {
  ExpectRow(Csv("1,Customer#1,IVhz,15,25-989,711.56,BUILDING,comment"), 15, 71156);
  // Embedded delimiters and the interpreted columns quoted.
  ExpectRow(Csv("1,\"Customer, #1\",\"IVhzIApeRb ot,c,E\",\"15\",25-989,\"-711.56\",B,\"a, b\""),
            15, -71156);
  // Doubled quotes inside a quoted field, in several places.
  ExpectRow(Csv("\"1\",\"say \"\"hi\"\"\",\"\"\"\",3,\"\",1.5,\"\",\"x\"\"\""), 3, 150);
  // Empty fields where they are not interpreted, '|' as plain text.
  ExpectRow(Csv(",,,0,,0.01,,"), 0, 1);
  ExpectRow(Csv("a|b,c,d,7,e,2,f,g|"), 7, 200);
}

TEST(CsvLineTest, FieldCount) {
  ExpectReject(Csv("1,a,b,15,p,1.00,s"), RejectReason::kFieldCount);
  ExpectReject(Csv("1,a,b,15,p,1.00,s,c,"), RejectReason::kFieldCount);  // trailing comma
  ExpectReject(Csv("1,a,b,15,p,1.00,s,c,d"), RejectReason::kFieldCount);
  ExpectReject(Csv(""), RejectReason::kFieldCount);
  ExpectReject(Csv("1|a|b|15|p|1.00|s|c|"), RejectReason::kFieldCount);
}

TEST(CsvLineTest, QuotingErrors) {
  // A field still open at the end of the line: its record had a line break inside quotes.
  ExpectReject(Csv("1,a,\"b,15,p,1.00,s,c"), RejectReason::kQuotedLineBreak);
  ExpectReject(Csv("1,a,b,15,p,1.00,s,\"comment that goes on"), RejectReason::kQuotedLineBreak);
  ExpectReject(Csv("1,a,b,15,p,1.00,s,\"ends with escaped quote\"\""),
               RejectReason::kQuotedLineBreak);
  ExpectReject(Csv("\""), RejectReason::kQuotedLineBreak);
  // The other half of such a record.
  ExpectReject(Csv("goes on\",x,y,15,p,1.00,s,c"), RejectReason::kBadQuoting);
  ExpectReject(Csv("1,a\"b,c,15,p,1.00,s,c"), RejectReason::kBadQuoting);
  ExpectReject(Csv("1,\"a\"b,c,15,p,1.00,s,c"), RejectReason::kBadQuoting);
  ExpectReject(Csv("1,\"a\" ,c,15,p,1.00,s,c"), RejectReason::kBadQuoting);
  // Quoting is structural and reported even when the field count is also wrong.
  ExpectReject(Csv("1,a,b,15,p,1.00,s,c,d,\"open"), RejectReason::kQuotedLineBreak);
}

TEST(CsvLineTest, QuotedNumbersAreNotUnescapedIntoValidity) {
  // "1""2" holds 1"2: never a number.
  ExpectReject(Csv("1,a,b,\"1\"\"2\",p,1.00,s,c"), RejectReason::kNationKeyInvalid);
  ExpectReject(Csv("1,a,b,1,p,\"1\"\".00\",s,c"), RejectReason::kBalanceInvalid);
  ExpectReject(Csv("1,a,b,\" 1\",p,1.00,s,c"), RejectReason::kNationKeyInvalid);
}

TEST(HeaderLineTest, ColumnNamesInColumnsFourAndSix) {
  EXPECT_TRUE(IsHeaderLine(
      "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,c_mktsegment,c_comment",
      InputFormat::kCsv));
  EXPECT_TRUE(
      IsHeaderLine("\"key\",\"name\",\"addr\",\"NationKey\",\"phone\",\"AcctBal\",\"s\",\"c\"",
                   InputFormat::kCsv));
  EXPECT_TRUE(IsHeaderLine("a|b|c|c_nationkey|e|c_acctbal|g|h|", InputFormat::kTpch));
  EXPECT_TRUE(IsHeaderLine(",,,_n2,,balance,,", InputFormat::kCsv));
}

TEST(HeaderLineTest, DataAndMalformedLinesAreNotHeaders) {
  EXPECT_FALSE(IsHeaderLine("1,a,b,15,p,711.56,s,c", InputFormat::kCsv));
  EXPECT_FALSE(IsHeaderLine("1,a,b,c_nationkey,p,711.56,s,c", InputFormat::kCsv));
  EXPECT_FALSE(IsHeaderLine("1,a,b,15,p,c_acctbal,s,c", InputFormat::kCsv));
  EXPECT_FALSE(IsHeaderLine("1,a,b,2x,p,c_acctbal,s,c", InputFormat::kCsv));
  EXPECT_FALSE(IsHeaderLine("1,a,b,c nationkey,p,c_acctbal,s,c", InputFormat::kCsv));
  EXPECT_FALSE(IsHeaderLine("c_custkey,c_nationkey,c_acctbal", InputFormat::kCsv));
  EXPECT_FALSE(IsHeaderLine("a|b|c|c_nationkey|e|c_acctbal|g|h", InputFormat::kTpch));
  EXPECT_FALSE(IsHeaderLine("", InputFormat::kCsv));
}

}  // namespace
}  // namespace fanfold::activities

// The human table of the job's answer: exact text, aligned columns.
#include "activities/result_table.hpp"

#include <gtest/gtest.h>

namespace fanfold::activities {
namespace {

TEST(ResultTableTest, OneRightAlignedLinePerNationUnderAHeader) {
  MeanBalanceResult result;
  result.nations = {{0, 5925, 2632297010, 444270}, {7, 3, -1200, -400}, {24, 123456, 5, 0}};
  EXPECT_EQ(FormatMeanBalanceTable(result),
            "nation    rows     mean\n"
            "     0    5925  4442.70\n"
            "     7       3    -4.00\n"
            "    24  123456     0.00\n");
}

TEST(ResultTableTest, WidthsFollowTheWidestCell) {
  MeanBalanceResult result;
  result.nations = {{1234567, 1, -999999999, -999999999}};
  EXPECT_EQ(FormatMeanBalanceTable(result),
            " nation  rows         mean\n"
            "1234567     1  -9999999.99\n");
}

TEST(ResultTableTest, NoNationsIsTheHeaderAlone) {
  EXPECT_EQ(FormatMeanBalanceTable(MeanBalanceResult{}), "nation  rows  mean\n");
}

}  // namespace
}  // namespace fanfold::activities

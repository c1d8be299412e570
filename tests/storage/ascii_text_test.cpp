#include "storage/ascii_text.hpp"

#include <gtest/gtest.h>

namespace fanfold::storage {
namespace {

TEST(AsciiTextTest, TrimsSpacesTabsAndLineBreaksOnly) {
  EXPECT_EQ(TrimAsciiSpace("  a b \t\r\n"), "a b");
  EXPECT_EQ(TrimAsciiSpace("\t\n"), "");
  EXPECT_EQ(TrimAsciiSpace(""), "");
  EXPECT_EQ(TrimAsciiSpace("x"), "x");
  EXPECT_EQ(TrimAsciiSpace("\xC2\xA0x"), "\xC2\xA0x");  // a UTF-8 no-break space is not ASCII
}

TEST(AsciiTextTest, SplitsCommasKeepingEmptyItems) {
  using Items = std::vector<std::string>;
  EXPECT_EQ(SplitCommas("Failed"), Items{"Failed"});
  EXPECT_EQ(SplitCommas("Failed,Completed"), (Items{"Failed", "Completed"}));
  EXPECT_EQ(SplitCommas("a,,b"), (Items{"a", "", "b"}));
  EXPECT_EQ(SplitCommas("a,"), (Items{"a", ""}));
  EXPECT_EQ(SplitCommas(""), Items{""});
}

TEST(AsciiTextTest, LowersAsciiLettersOnly) {
  EXPECT_EQ(AsciiLower("AccountKey=ABC"), "accountkey=abc");
  EXPECT_EQ(AsciiLower("HTTPS://Hooks.Slack.COM"), "https://hooks.slack.com");
  EXPECT_EQ(AsciiLower("\xC3\x84-9_"), "\xC3\x84-9_");  // bytes above 127 are kept
}

}  // namespace
}  // namespace fanfold::storage

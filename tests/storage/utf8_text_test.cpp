// The one UTF-8 truncation: whatever the text and the limit, the result is valid UTF-8 within the
// limit, the longest whole-character prefix of the (repaired) text, with the marker when cut.
#include "storage/utf8_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fanfold::storage {
namespace {

const std::string kMixed = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";  // a é € 😀 z: 1,2,3,4,1

TEST(Utf8TextTest, DecodesStrictUtf8Only) {
  EXPECT_EQ(DecodeUtf8("\xC3\xA9").code_point, U'\u00E9');
  EXPECT_EQ(DecodeUtf8("\xF0\x9F\x98\x80").length, 4u);
  EXPECT_EQ(DecodeUtf8("").length, 0u);
  for (const std::string bad : {"\xFF", "\x80", "\xC3", "\xE2\x82", "\xC0\xAF", "\xE0\x80\xAF",
                                "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC3\x28"}) {
    EXPECT_EQ(DecodeUtf8(bad).length, 0u) << testing::PrintToString(bad);
    EXPECT_FALSE(IsValidUtf8("ok" + bad));
  }
  EXPECT_TRUE(IsValidUtf8(kMixed));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Utf8TextTest, ReplacesEachStrayByteWithTheReplacementCharacter) {
  EXPECT_EQ(ToValidUtf8(kMixed), kMixed);
  EXPECT_EQ(ToValidUtf8("a\xFF"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ToValidUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // a character cut short
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xC0\xAF\xF8\x80\x80\x80\x80")));
}

TEST(Utf8TextTest, CutsBetweenCharactersAtEveryLimit) {
  std::string text;
  for (int i = 0; i < 40; ++i)
    text += kMixed;
  for (std::size_t limit = 0; limit <= text.size() + 1; ++limit) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    const std::string cut = TruncateUtf8(text, limit);
    ASSERT_TRUE(IsValidUtf8(cut));
    ASSERT_LE(cut.size(), limit);
    if (limit >= text.size()) {
      ASSERT_EQ(cut, text);
      continue;
    }
    if (limit < 3) {
      ASSERT_EQ(text.compare(0, cut.size(), cut), 0);  // no room for the marker: none
      ASSERT_GT(cut.size() + 4, limit);
      continue;
    }
    ASSERT_EQ(cut.substr(cut.size() - 3), "...");
    const std::size_t kept = cut.size() - 3;
    ASSERT_EQ(text.compare(0, kept, cut, 0, kept), 0);
    // The longest such prefix: the next character would not have fitted.
    ASSERT_GT(kept + DecodeUtf8(std::string_view(text).substr(kept)).length, limit - 3);
  }
}

TEST(Utf8TextTest, RepairsBeforeCuttingAndTakesAnyMarker) {
  // 999 ASCII bytes and an 'é': a cut at byte 1000 by bytes would end inside the 'é'.
  const std::string error = std::string(999, 'x') + "\xC3\xA9" + std::string(50, 'y');
  const std::string cut = TruncateUtf8(error, 1000);
  EXPECT_TRUE(IsValidUtf8(cut));
  EXPECT_EQ(cut, std::string(997, 'x') + "...");
  EXPECT_EQ(TruncateUtf8("\xFF\xFF", 100), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(TruncateUtf8("\xFF\xFF\xFF", 7, "\xE2\x80\xA6"), "\xEF\xBF\xBD\xE2\x80\xA6");
  EXPECT_EQ(TruncateUtf8(kMixed, 5, ""), "a\xC3\xA9");
  EXPECT_EQ(Utf8PrefixLength(kMixed, 5), 3u);
  EXPECT_EQ(Utf8PrefixLength(kMixed, 100), kMixed.size());
}

}  // namespace
}  // namespace fanfold::storage

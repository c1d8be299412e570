// UTF-8 checks and cuts on hand-picked byte sequences (Unicode's well-formed table).
#include "storage/utf8_text.hpp"

#include <gtest/gtest.h>

namespace fanfold::storage {
namespace {

TEST(Utf8TextTest, WellFormedSequencesAreValid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));  // é € 😀
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));                      // U+10FFFF
}

TEST(Utf8TextTest, IllFormedSequencesAreNot) {
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));              // a lone continuation byte
}

TEST(Utf8TextTest, ValidUtf8ReplacesOnlyWhatIsBroken) {
  EXPECT_EQ(ValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_TRUE(IsValidUtf8(ValidUtf8("\xC3\x28\xE2\x82\xF0\x9F")));
}

TEST(Utf8TextTest, CutNeverSplitsACharacter) {
  EXPECT_EQ(CutUtf8("short", 10), "short");
  EXPECT_EQ(CutUtf8("0123456789", 8), "01234...");
  const std::string euros = "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC";  // €€€, 9 bytes
  for (std::size_t max = 3; max < 9; ++max) {
    const std::string cut = CutUtf8(euros, max);
    EXPECT_LE(cut.size(), max);
    EXPECT_TRUE(IsValidUtf8(cut)) << max;
  }
  EXPECT_EQ(CutUtf8(euros, 7), "\xE2\x82\xAC...");
}

}  // namespace
}  // namespace fanfold::storage

// The text rule partition applies to a blob's head: no NUL, well-formed UTF-8, a character cut
// by the end of the head accepted only when the file goes on.
#include "activities/text_check.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fanfold::activities {
namespace {

std::string Problem(std::string_view head, bool whole = true) {
  const auto bad = FindNonTextByte(head, whole);
  return bad ? std::to_string(bad->offset) + " " + bad->problem : "text";
}

TEST(TextCheckTest, AsciiAndWellFormedUtf8AreText) {
  EXPECT_EQ(Problem(""), "text");
  EXPECT_EQ(Problem("1|Customer#1|addr|3|25-989|711.56|BUILDING|x|\r\n\t\f"), "text");
  EXPECT_EQ(Problem("\xEF\xBB\xBF"
                    "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E \xF4\x8F\xBF\xBF"),
            "text");                                        // BOM, é, €, 𝄞, U+10FFFF
  EXPECT_EQ(Problem("\xED\x9F\xBF \xEE\x80\x80"), "text");  // U+D7FF and U+E000 around surrogates
}

TEST(TextCheckTest, NulIsNeverText) {
  EXPECT_EQ(Problem(std::string("ab\0c", 4)), "2 is NUL (0x00)");
  EXPECT_EQ(Problem(std::string("\xFF\xFE"
                                "a\0",
                                4)),
            "0 (0xFF) cannot start a UTF-8 character");
}

TEST(TextCheckTest, MalformedUtf8IsRefusedAtItsLeadByte) {
  EXPECT_EQ(Problem("ok\x80"), "2 (0x80) cannot start a UTF-8 character");    // lone continuation
  EXPECT_EQ(Problem("\xC0\x80"), "0 (0xC0) cannot start a UTF-8 character");  // overlong NUL
  EXPECT_EQ(Problem("\xC1\xBF"), "0 (0xC1) cannot start a UTF-8 character");
  EXPECT_EQ(Problem("\xE0\x80\x80"), "0 (0xE0) starts an invalid UTF-8 sequence");  // overlong
  EXPECT_EQ(Problem("\xED\xA0\x80"), "0 (0xED) starts an invalid UTF-8 sequence");  // surrogate
  EXPECT_EQ(Problem("\xF0\x80\x80\x80"), "0 (0xF0) starts an invalid UTF-8 sequence");
  EXPECT_EQ(Problem("\xF4\x90\x80\x80"), "0 (0xF4) starts an invalid UTF-8 sequence");  // >10FFFF
  EXPECT_EQ(Problem("\xF5\x80\x80\x80"), "0 (0xF5) cannot start a UTF-8 character");
  EXPECT_EQ(Problem("x\xE2\x82"
                    "A"),
            "1 (0xE2) starts an invalid UTF-8 sequence");                        // 3rd byte
  EXPECT_EQ(Problem("caf\xE9,1"), "3 (0xE9) starts an invalid UTF-8 sequence");  // Latin-1
}

TEST(TextCheckTest, ACharacterCutByTheHeadsEndIsTextOnlyWhenTheFileGoesOn) {
  EXPECT_EQ(Problem("abc\xE2\x82", /*whole=*/false), "text");
  EXPECT_EQ(Problem("abc\xF0", /*whole=*/false), "text");
  EXPECT_EQ(Problem("abc\xE2\x82", /*whole=*/true),
            "3 (0xE2) starts a UTF-8 character cut by the file's end");
  // Cut, but already wrong in the bytes that were read.
  EXPECT_EQ(Problem("abc\xE2"
                    "A",
                    /*whole=*/false),
            "3 (0xE2) starts an invalid UTF-8 sequence");
}

TEST(TextCheckTest, NamesCommonArchives) {
  EXPECT_EQ(CompressedFormatName("\x1F\x8B\x08"), "gzip");
  EXPECT_EQ(CompressedFormatName(std::string("\xFD"
                                             "7zXZ\0\0",
                                             7)),
            "xz");
  EXPECT_EQ(CompressedFormatName("PK\x03\x04rest"), "zip");
  EXPECT_EQ(CompressedFormatName("\x28\xB5\x2F\xFD"), "zstd");
  EXPECT_EQ(CompressedFormatName("BZh91AY&SY"), "bzip2");
  EXPECT_EQ(CompressedFormatName("7z\xBC\xAF\x27\x1C"), "7z");
  EXPECT_EQ(CompressedFormatName("1|Customer#1|"), "");
  EXPECT_EQ(CompressedFormatName(""), "");
}

}  // namespace
}  // namespace fanfold::activities

#include "storage/crypto.hpp"

#include <gtest/gtest.h>

namespace fanfold::storage {
namespace {

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, DecodeRoundTripsEveryByteValue) {
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes += static_cast<char>(i);
  const auto decoded = Base64Decode(Base64Encode(bytes));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, bytes);
}

TEST(Base64Test, RejectsMalformedText) {
  EXPECT_FALSE(Base64Decode("Zg=").has_value());       // not a multiple of four
  EXPECT_FALSE(Base64Decode("Z===").has_value());      // padding too early
  EXPECT_FALSE(Base64Decode("Zm9v!A==").has_value());  // character outside the alphabet
  EXPECT_FALSE(Base64Decode("Zg==Zg==").has_value());  // padding before the end
}

TEST(HmacSha256Test, MatchesRfc4231TestCase2) {
  // RFC 4231, test case 2.
  const std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(Base64Encode(mac), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

TEST(Md5Test, MatchesRfc1321Vector) {
  EXPECT_EQ(Base64Encode(Md5("abc")), "kAFQmDzST7DWlj99KOF/cg==");
}

TEST(Sha256Test, MatchesFips180VectorsWholeAndInPieces) {
  EXPECT_EQ(LowerHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(LowerHex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256Hasher pieces;
  pieces.Update("a");
  pieces.Update("");
  pieces.Update("bc");
  EXPECT_EQ(pieces.Finish(), Sha256("abc"));
  EXPECT_EQ(LowerHex(std::string("\x00\x0f\xf0\xff", 4)), "000ff0ff");
}

}  // namespace
}  // namespace fanfold::storage

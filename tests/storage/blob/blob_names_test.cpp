// Client-side validation of container names, blob names and metadata.
#include "storage/blob/blob_names.hpp"

#include <gtest/gtest.h>

namespace fanfold::storage {
namespace {

TEST(ContainerNameTest, AcceptsValidNames) {
  for (const char* name :
       {"abc", "a-b-c", "fanfold01", "0starts-with-digit", "$root", "$web", "$logs"}) {
    EXPECT_TRUE(ValidateContainerName(name).ok()) << name;
  }
  EXPECT_TRUE(ValidateContainerName(std::string(63, 'a')).ok());
}

TEST(ContainerNameTest, RejectsInvalidNames) {
  for (const char* name :
       {"ab", "Abc", "a_b", "a--b", "-ab", "ab-", "a.b", "a b", "", "$other", "caf\xc3\xa9"}) {
    const Status status = ValidateContainerName(name);
    EXPECT_TRUE(status.IsInvalidArgument()) << name;
  }
  EXPECT_TRUE(ValidateContainerName(std::string(64, 'a')).IsInvalidArgument());
}

TEST(BlobNameTest, CountsCharactersNotBytes) {
  EXPECT_TRUE(ValidateBlobName("a").ok());
  EXPECT_TRUE(ValidateBlobName("dir/sub dir/file name+1.txt").ok());
  EXPECT_TRUE(ValidateBlobName(std::string(1024, 'x')).ok());
  EXPECT_TRUE(ValidateBlobName(std::string(1025, 'x')).IsInvalidArgument());
  std::string accented;
  for (int i = 0; i < 1024; ++i)
    accented += "\xc3\xa9";  // 1024 × 'é' = 2048 bytes
  EXPECT_TRUE(ValidateBlobName(accented).ok());
  EXPECT_TRUE(ValidateBlobName(accented + "x").IsInvalidArgument());
}

TEST(BlobNameTest, RejectsEmptyInvalidUtf8AndTooManySegments) {
  EXPECT_TRUE(ValidateBlobName("").IsInvalidArgument());
  EXPECT_TRUE(ValidateBlobName("bad\xff").IsInvalidArgument());
  EXPECT_TRUE(ValidateBlobName("cut\xc3").IsInvalidArgument());
  std::string segments = "s";
  for (int i = 0; i < 253; ++i)
    segments += "/s";  // 254 segments
  EXPECT_TRUE(ValidateBlobName(segments).ok());
  EXPECT_TRUE(ValidateBlobName(segments + "/s").IsInvalidArgument());
}

TEST(BlobNameTest, RejectsDotSegmentsAndControlCharacters) {
  for (const char* name : {".", "..", "a/./b", "a/../b", "./b", "../b", "a/.", "a/..", "a/./"}) {
    EXPECT_TRUE(ValidateBlobName(name).IsInvalidArgument()) << name;
  }
  for (const char* name : {".a", "..a", "a.", "...", "a/.b/c", "x%2E%2E", "%2e"}) {
    EXPECT_TRUE(ValidateBlobName(name).ok()) << name;
  }
  for (const std::string& name :
       {std::string("a\nb"), std::string("tab\t"), std::string("nul\0x", 5), std::string("del\x7F"),
        std::string("c1\xC2\x85")}) {
    EXPECT_TRUE(ValidateBlobName(name).IsInvalidArgument()) << name;
  }
  EXPECT_TRUE(ValidateBlobName("q#? sp ace %41 \xC3\xBC").ok());
}

TEST(MetadataTest, NamesAreIdentifiersAndValuesPrintableAscii) {
  EXPECT_TRUE(ValidateMetadata({{"owner", "fanfold"}, {"_stage2", "x y"}}).ok());
  EXPECT_TRUE(ValidateMetadata({{"2nd", "x"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"has-dash", "x"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"", "x"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"Owner", "a"}, {"owner", "b"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"owner", "line\r\nx-ms-injected: 1"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"owner", "caf\xc3\xa9"}}).IsInvalidArgument());
}

TEST(MetadataTest, ErrorsDoNotEchoValues) {
  const Status status = ValidateMetadata({{"token", "secret\x01value"}});
  ASSERT_TRUE(status.IsInvalidArgument());
  EXPECT_EQ(status.message().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace fanfold::storage

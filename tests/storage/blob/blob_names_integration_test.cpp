// Blob names as the service sees them, against the storage fixture: a name with characters that
// mean something in a URL ('%', '#', '?', ' ', '+', '&') or outside ASCII is sent
// percent-encoded and round-trips exactly under its own name (upload, properties, download,
// listing, delete). The request path is sent as signed: libcurl must not rewrite it.
#include <gtest/gtest.h>

#include <set>

#include "storage/blob/blob_names.hpp"
#include "tests/storage/blob/blob_test_support.hpp"

namespace fanfold::testing {
namespace {

using storage::ListBlobsOptions;

// Each name is also the blob's content, so a request that reached another blob shows.
const std::vector<std::string> kHostileNames = {
    "x%41",    // '%' must not be decoded: this is not "xA"
    "q#?",     // a fragment and a query, if left unencoded
    "sp ace",  // a space
    "\xC3\xBCn\xC3\xAF"
    "c\xC3\xB6"
    "d\xC3\xA9",                   // ünïcödé
    "a+b=c&d;e,f'g(h)!*$@:",       // sub-delims and '+', which a form decoder reads as ' '
    "dir/x%2Fy",                   // an encoded slash is a character, not a separator
    "dir/\xF0\x9F\x98\x80 emoji",  // four-byte UTF-8
    "trailing space ",
};

TEST_F(BlobTest, HostileNamesRoundTripUnderTheirOwnNames) {
  for (const std::string& name : kHostileNames) {
    SCOPED_TRACE(name);
    auto uploaded = blob(name).Upload(name);
    ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
    auto properties = blob(name).GetProperties();
    ASSERT_TRUE(properties.ok()) << properties.status().ToString();
    EXPECT_EQ(properties->etag, uploaded->etag);
    auto downloaded = blob(name).DownloadToString();
    ASSERT_TRUE(downloaded.ok()) << downloaded.status().ToString();
    EXPECT_EQ(downloaded->data, name);
  }
  EXPECT_TRUE(blob("xA").GetProperties().status().IsNotFound()) << "'%41' was decoded";
  EXPECT_TRUE(blob("dir/x/y").GetProperties().status().IsNotFound()) << "'%2F' was decoded";

  auto listed = container().ListAllBlobs();
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  std::set<std::string> names;
  for (const auto& item : *listed)
    names.insert(item.name);
  EXPECT_EQ(names, std::set<std::string>(kHostileNames.begin(), kHostileNames.end()));
  for (const std::string& name : kHostileNames) {
    ListBlobsOptions by_prefix;
    by_prefix.prefix = name;
    auto one = container().ListAllBlobs(by_prefix);
    ASSERT_TRUE(one.ok()) << one.status().ToString();
    ASSERT_FALSE(one->empty()) << name;
    EXPECT_EQ(one->front().name, name);
  }
  for (const std::string& name : kHostileNames) {
    ASSERT_TRUE(blob(name).Delete().ok()) << name;
  }
  auto empty = container().ListAllBlobs();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

// A '.' or '..' segment is resolved as a path by the service (even as %2E), so such a name
// can never be the blob's own: "a/../b" would overwrite "b". Every operation on it is refused
// before a request is sent, and the blobs it would have reached are untouched.
TEST_F(BlobTest, DotSegmentNamesAreRefusedBeforeAnyRequest) {
  for (const std::string name : {"b", "a/b"}) {
    ASSERT_TRUE(blob(name).Upload("original " + name).ok());
  }
  const auto before = Counters();
  for (const std::string name : {"a/./b", "a/../b", "./b", "a/b/..", "..", ".", "a/./"}) {
    SCOPED_TRACE(name);
    const storage::Status uploaded = blob(name).Upload("overwritten").status();
    EXPECT_TRUE(uploaded.IsInvalidArgument()) << uploaded.ToString();
    EXPECT_NE(uploaded.message().find("'.' or '..' segment"), std::string::npos);
    EXPECT_TRUE(blob(name).DownloadToString().status().IsInvalidArgument());
    EXPECT_TRUE(blob(name).GetProperties().status().IsInvalidArgument());
    EXPECT_TRUE(blob(name).Delete().IsInvalidArgument());
  }
  EXPECT_EQ(Counters().total_attempts(), before.total_attempts()) << "a request was sent";
  for (const std::string name : {"b", "a/b"}) {
    auto kept = blob(name).DownloadToString();
    ASSERT_TRUE(kept.ok()) << kept.status().ToString();
    EXPECT_EQ(kept->data, "original " + name);
  }
  // Dots inside a segment are ordinary characters.
  for (const std::string name : {"a/.hidden", "a/..b", "a/b.", "...", "a/.../b"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(blob(name).Upload(name).ok());
    auto downloaded = blob(name).DownloadToString();
    ASSERT_TRUE(downloaded.ok()) << downloaded.status().ToString();
    EXPECT_EQ(downloaded->data, name);
  }
}

}  // namespace
}  // namespace fanfold::testing

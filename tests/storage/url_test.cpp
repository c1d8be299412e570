#include "storage/url.hpp"

#include <gtest/gtest.h>

namespace fanfold::storage {
namespace {

TEST(PercentEncodeTest, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(PercentEncode("aZ09-_.~"), "aZ09-_.~");
  EXPECT_EQ(PercentEncode("a b/c?d&e=f'g"), "a%20b%2Fc%3Fd%26e%3Df%27g");
  EXPECT_EQ(PercentEncode("dir/file name", /*keep_slash=*/true), "dir/file%20name");
  EXPECT_EQ(PercentEncode("\xC3\xA9"), "%C3%A9");
}

TEST(PercentDecodeTest, DecodesAndLeavesBrokenEscapesAlone) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz"), "%zz");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("a+b", /*plus_as_space=*/true), "a b");
}

TEST(UrlTest, ParsesEndpointPathAndQuery) {
  auto url = Url::Parse("https://acct.blob.core.windows.net/c/b%20x?comp=list&prefix=a%2Fb");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->authority, "acct.blob.core.windows.net");
  EXPECT_EQ(url->path, "/c/b%20x");
  ASSERT_EQ(url->query.size(), 2u);
  EXPECT_EQ(url->query[1].first, "prefix");
  EXPECT_EQ(url->query[1].second, "a/b");
}

TEST(UrlTest, RejectsWhatIsNotHttp) {
  EXPECT_FALSE(Url::Parse("ftp://host/x").ok());
  EXPECT_FALSE(Url::Parse("no-scheme").ok());
  EXPECT_FALSE(Url::Parse("http:///path").ok());
}

TEST(UrlTest, BuildsPathsAndEscapesQueryValues) {
  auto url = Url::Parse("http://127.0.0.1:10000/devstoreaccount1").value();
  url.AppendPath("uploads").AppendPath("dir/my file.tbl", /*keep_slash=*/true);
  url.AddQuery("prefix", "a&b=c");
  EXPECT_EQ(url.ToString(),
            "http://127.0.0.1:10000/devstoreaccount1/uploads/dir/my%20file.tbl?prefix=a%26b%3Dc");
}

TEST(UrlTest, SasQueryIsHiddenFromTheDisplayForm) {
  auto url = Url::Parse("https://a.queue.core.windows.net/q").value();
  url.AppendRawQuery("sv=2021-12-02&sig=abc%2Bdef%3D");
  EXPECT_EQ(url.query.back().second, "abc+def=");
  EXPECT_EQ(url.ToStringWithoutQuery(), "https://a.queue.core.windows.net/q");
  EXPECT_NE(url.ToString().find("sig=abc%2Bdef%3D"), std::string::npos);
}

}  // namespace
}  // namespace fanfold::storage

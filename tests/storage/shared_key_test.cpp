// Known-answer tests for SharedKey signing. The expected signatures were computed independently
// (Python's hmac over the string-to-sign written out by hand from the REST documentation), so a
// change in canonicalisation shows here before it shows as a 403 from the service.
#include "storage/shared_key.hpp"

#include <gtest/gtest.h>

#include "storage/crypto.hpp"

namespace fanfold::storage {
namespace {

const std::string& DevelopmentKey() {
  static const std::string key = *Base64Decode(
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
      "K1SZFPTOtr/KBHBeksoGMGw==");
  return key;
}

HttpRequest PutBlockRequest() {
  HttpRequest request;
  request.method = HttpMethod::kPut;
  request.url = Url::Parse("http://127.0.0.1:10000/devstoreaccount1").value();
  request.url.AppendPath("my container").AppendPath("dir/a+b.txt", /*keep_slash=*/true);
  request.url.AddQuery("comp", "block");
  request.url.AddQuery("blockid", "AAAA");
  request.body = "hello world";
  request.headers["Content-Type"] = "application/octet-stream";
  request.headers["If-Match"] = "\"0x8D\"";
  request.headers["x-ms-version"] = "2021-12-02";
  request.headers["X-MS-Date"] = "Sun, 22 Nov 2026 09:53:51 GMT";  // names are case-insensitive
  request.headers["x-ms-blob-type"] = "BlockBlob";
  request.headers["x-ms-client-request-id"] = "abc";
  request.headers["User-Agent"] = "not signed";
  return request;
}

TEST(SharedKeyTest, BlobStringToSignFollowsTheDocumentedLayout) {
  const std::string expected =
      "PUT\n\n\n11\n\napplication/octet-stream\n\n\n\"0x8D\"\n\n\n\n"
      "x-ms-blob-type:BlockBlob\nx-ms-client-request-id:abc\n"
      "x-ms-date:Sun, 22 Nov 2026 09:53:51 GMT\nx-ms-version:2021-12-02\n"
      "/devstoreaccount1/devstoreaccount1/my%20container/dir/a%2Bb.txt\nblockid:AAAA\ncomp:block";
  EXPECT_EQ(BlobQueueStringToSign(PutBlockRequest(), "devstoreaccount1"), expected);
}

TEST(SharedKeyTest, BlobSignatureKnownAnswer) {
  const std::string to_sign = BlobQueueStringToSign(PutBlockRequest(), "devstoreaccount1");
  EXPECT_EQ(SignString(DevelopmentKey(), to_sign), "qI8c9ajzZCjq24Tktk5ZOs1H29BwsIxzKfX5bR7worE=");
}

TEST(SharedKeyTest, EmptyBodyLeavesContentLengthEmpty) {
  HttpRequest request;
  request.method = HttpMethod::kGet;
  request.url = Url::Parse("http://h/devstoreaccount1?comp=list").value();
  const std::string to_sign = BlobQueueStringToSign(request, "devstoreaccount1");
  EXPECT_EQ(to_sign.substr(0, 16), "GET\n\n\n\n\n\n\n\n\n\n\n\n/");
  EXPECT_NE(to_sign.find("/devstoreaccount1/devstoreaccount1\ncomp:list"), std::string::npos);
}

TEST(SharedKeyTest, RepeatedQueryParametersAreSortedAndJoined) {
  HttpRequest request;
  request.url =
      Url::Parse("http://h/acct/c?restype=container&Include=snapshots&include=metadata").value();
  const std::string to_sign = BlobQueueStringToSign(request, "acct");
  EXPECT_NE(to_sign.find("/acct/acct/c\ninclude:metadata,snapshots\nrestype:container"),
            std::string::npos)
      << to_sign;
}

TEST(SharedKeyTest, TableStringToSignKnownAnswer) {
  HttpRequest request;
  request.method = HttpMethod::kGet;
  request.url =
      Url::Parse("http://127.0.0.1:10002/devstoreaccount1/Jobs(PartitionKey='a',RowKey='b')")
          .value();
  request.headers["Content-Type"] = "application/json";
  request.headers["x-ms-date"] = "Sun, 22 Nov 2026 09:53:51 GMT";
  request.headers["x-ms-version"] = "2021-12-02";  // not part of Table's string-to-sign
  const std::string to_sign = TableStringToSign(request, "devstoreaccount1");
  EXPECT_EQ(to_sign,
            "GET\n\napplication/json\nSun, 22 Nov 2026 09:53:51 GMT\n"
            "/devstoreaccount1/devstoreaccount1/Jobs(PartitionKey='a',RowKey='b')");
  EXPECT_EQ(SignString(DevelopmentKey(), to_sign), "+NMpJP6tZi52opk99aHTVR6rs3T9Y9BwGJv+QWaRKSc=");
}

TEST(SharedKeyTest, TableStringToSignKeepsOnlyTheCompParameter) {
  HttpRequest request;
  request.url =
      Url::Parse("https://myaccount.table.core.windows.net/mytable?comp=acl&timeout=5").value();
  request.headers["x-ms-date"] = "Sun, 22 Nov 2026 09:53:51 GMT";
  const std::string to_sign = TableStringToSign(request, "myaccount");
  EXPECT_EQ(to_sign, "GET\n\n\nSun, 22 Nov 2026 09:53:51 GMT\n/myaccount/mytable?comp=acl");
  EXPECT_EQ(SignString(DevelopmentKey(), to_sign), "e0wz6+i+BXE0ZHKXaFskg5ems5QKJkvly5SyNE8pepE=");
}

}  // namespace
}  // namespace fanfold::storage

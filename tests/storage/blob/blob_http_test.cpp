// Conditional headers on requests and blob properties from response headers.
#include "storage/blob/blob_http.hpp"

#include <gtest/gtest.h>

#include "storage/http_date.hpp"

namespace fanfold::storage {
namespace {

TEST(ConditionsTest, SetsOnlyTheGivenHeaders) {
  HttpRequest request;
  BlobRequestConditions conditions;
  ASSERT_TRUE(ApplyConditions(conditions, request).ok());
  EXPECT_TRUE(request.headers.empty());

  conditions.if_match = "\"0x1\"";
  conditions.if_none_match = "*";
  conditions.if_unmodified_since = *ParseRfc1123("Wed, 26 Oct 2022 08:12:01 GMT");
  ASSERT_TRUE(ApplyConditions(conditions, request).ok());
  EXPECT_EQ(request.headers.at("If-Match"), "\"0x1\"");
  EXPECT_EQ(request.headers.at("If-None-Match"), "*");
  EXPECT_EQ(request.headers.at("If-Unmodified-Since"), "Wed, 26 Oct 2022 08:12:01 GMT");
  EXPECT_EQ(request.headers.count("If-Modified-Since"), 0u);
}

TEST(ConditionsTest, RefusesHeaderSplitting) {
  HttpRequest request;
  BlobRequestConditions conditions;
  conditions.if_match = "\"0x1\"\r\nx-ms-evil: 1";
  EXPECT_TRUE(ApplyConditions(conditions, request).IsInvalidArgument());
}

TEST(PropertiesTest, RangedAnswerGivesTheWholeBlobSize) {
  HttpResponse response;
  response.status = 206;
  response.headers["Content-Length"] = "10";
  response.headers["Content-Range"] = "bytes 990-999/1000";
  response.headers["ETag"] = "\"0x8DAB\"";
  response.headers["Last-Modified"] = "Wed, 26 Oct 2022 08:12:01 GMT";
  response.headers["Content-Type"] = "text/plain";
  response.headers["Content-MD5"] = "range-md5";
  response.headers["x-ms-blob-content-md5"] = "blob-md5";
  response.headers["x-ms-meta-owner"] = "fanfold";
  response.headers["X-MS-META-Stage"] = "2";
  const BlobProperties properties = PropertiesFromHeaders(response);
  EXPECT_EQ(properties.size, 1000u);
  EXPECT_EQ(properties.etag, "\"0x8DAB\"");
  EXPECT_EQ(properties.last_modified, *ParseRfc1123("Wed, 26 Oct 2022 08:12:01 GMT"));
  EXPECT_EQ(properties.content_type, "text/plain");
  EXPECT_EQ(properties.content_md5, "blob-md5");
  EXPECT_EQ(properties.metadata, (BlobMetadata{{"owner", "fanfold"}, {"Stage", "2"}}));
}

TEST(PropertiesTest, EmptyRangeAnswerStillGivesTheBlobSize) {
  HttpResponse response;
  response.status = 206;
  response.headers["Content-Length"] = "0";
  response.headers["Content-Range"] = "bytes 1000-999/1000";
  EXPECT_EQ(PropertiesFromHeaders(response).size, 1000u);
}

TEST(PropertiesTest, WholeAnswerUsesContentLengthAndMd5) {
  HttpResponse response;
  response.status = 200;
  response.headers["Content-Length"] = "42";
  response.headers["Content-MD5"] = "whole-md5";
  const BlobProperties properties = PropertiesFromHeaders(response);
  EXPECT_EQ(properties.size, 42u);
  EXPECT_EQ(properties.content_md5, "whole-md5");
  EXPECT_TRUE(properties.metadata.empty());
}

}  // namespace
}  // namespace fanfold::storage

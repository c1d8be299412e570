#include "storage/error_response.hpp"

#include <gtest/gtest.h>

namespace fanfold::storage {
namespace {

TEST(ErrorResponseTest, ParsesXmlErrorBodies) {
  HttpResponse response;
  response.status = 412;
  response.headers["x-ms-request-id"] = "req-1";
  response.body =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ConditionNotMet</Code>"
      "<Message>The condition specified using HTTP conditional header(s) is not met.\n"
      "RequestId:req-1\nTime:2026-11-22T09:53:51.0000000Z</Message></Error>";
  const Status status = StatusFromResponse(response);
  EXPECT_TRUE(status.IsPreconditionFailed());
  EXPECT_EQ(status.error_code(), "ConditionNotMet");
  EXPECT_EQ(status.message(),
            "The condition specified using HTTP conditional header(s) is not met.");
  EXPECT_EQ(status.request_id(), "req-1");
  EXPECT_FALSE(status.IsRetriable());
}

TEST(ErrorResponseTest, ParsesJsonOdataErrors) {
  HttpResponse response;
  response.status = 409;
  response.body =
      R"({"odata.error":{"code":"EntityAlreadyExists","message":{"lang":"en-US","value":"The specified entity already exists.\nRequestId:x"}}})";
  const Status status = StatusFromResponse(response);
  EXPECT_TRUE(status.IsConflict());
  EXPECT_EQ(status.error_code(), "EntityAlreadyExists");
  EXPECT_EQ(status.message(), "The specified entity already exists.");
}

TEST(ErrorResponseTest, HeaderCodeWinsAndEmptyBodiesStillExplain) {
  HttpResponse response;
  response.status = 404;
  response.headers["x-ms-error-code"] = "BlobNotFound";
  const Status status = StatusFromResponse(response);
  EXPECT_TRUE(status.IsNotFound());
  EXPECT_EQ(status.error_code(), "BlobNotFound");
  EXPECT_NE(status.message().find("404"), std::string::npos);
}

TEST(ErrorResponseTest, GarbageBodiesDoNotBreakParsing) {
  HttpResponse response;
  response.status = 503;
  response.body = "<html><body>oops";
  const Status status = StatusFromResponse(response);
  EXPECT_EQ(status.http_status(), 503);
  EXPECT_TRUE(status.IsRetriable());
  response.body = "{not json";
  EXPECT_EQ(StatusFromResponse(response).http_status(), 503);
}

TEST(ErrorResponseTest, SuccessIsOk) {
  HttpResponse response;
  response.status = 204;
  EXPECT_TRUE(CheckResponse(response).ok());
}

TEST(StatusTest, ToStringCarriesEverythingAPersonNeeds) {
  const Status status = Status::Http(409, "QueueAlreadyExists", "The queue exists.", "r-9");
  EXPECT_EQ(status.ToString(), "HTTP 409 QueueAlreadyExists: The queue exists. (request id r-9)");
  EXPECT_EQ(Status::Ok().ToString(), "OK");
  EXPECT_TRUE(Status::Timeout("t").IsRetriable());
  EXPECT_FALSE(Status::InvalidArgument("x").IsRetriable());
}

TEST(ResultTest, HoldsAValueOrAStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status::IoError("disk");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kIoError);
  EXPECT_DEATH((void)bad.value(), "failed Result");
}

}  // namespace
}  // namespace fanfold::storage

// The $batch wire format: the exact request body, and decoding canned service answers (success
// with per-action ETags, a blamed failure, whole-batch errors, malformed bodies).
#include "tablestore/batch_codec.hpp"

#include <gtest/gtest.h>

namespace fanfold::tablestore {
namespace {

storage::Url Endpoint() {
  return *storage::Url::Parse("http://127.0.0.1:10002/devstoreaccount1");
}

Entity Row(const std::string& row) {
  Entity entity("p", row);
  entity.Set("V", 1);
  return entity;
}

storage::HttpResponse Answer(int status, std::string content_type, std::string body) {
  storage::HttpResponse response;
  response.status = status;
  response.headers["Content-Type"] = std::move(content_type);
  response.headers["x-ms-request-id"] = "outer-request-id";
  response.body = std::move(body);
  response.body_bytes = response.body.size();
  return response;
}

// An answer in the service's layout: a batch part holding a changeset of embedded responses.
std::string BatchAnswerBody(const std::vector<std::string>& embedded, const char* eol = "\r\n") {
  const std::string e = eol;
  std::string body = "--batchresponse_b1" + e +
                     "Content-Type: multipart/mixed; boundary=changesetresponse_c1" + e + e;
  for (const std::string& response : embedded) {
    body += "--changesetresponse_c1" + e + "Content-Type: application/http" + e +
            "Content-Transfer-Encoding: binary" + e + e + response + e;
  }
  body += "--changesetresponse_c1--" + e + "--batchresponse_b1--" + e;
  return body;
}

std::string NoContent(const std::string& etag) {
  return "HTTP/1.1 204 No Content\r\nContent-ID: 1\r\nX-Content-Type-Options: nosniff\r\n"
         "Cache-Control: no-cache\r\nPreference-Applied: return-no-content\r\n"
         "DataServiceVersion: 3.0;\r\nETag: " +
         etag + "\r\n";
}

std::string Failure(int status, const std::string& reason, const std::string& code,
                    const std::string& message) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-ID: 2\r\nDataServiceVersion: 3.0;\r\n"
         "Content-Type: application/json;odata=minimalmetadata;streaming=true;charset=utf-8\r\n"
         "\r\n{\"odata.error\":{\"code\":\"" +
         code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"" + message +
         "\\nRequestId:inner\\nTime:2024-01-01T00:00:00.0000000Z\"}}}";
}

TEST(EncodeTransactionTest, WritesOneChangesetOfEmbeddedRequests) {
  Transaction transaction;
  transaction.Insert(Row("a")).Merge(Row("b"), "W/\"x\"").Delete("p", "it's", "*");
  const EncodedBatch batch = EncodeTransaction(Endpoint(), "mytable", transaction, "B", "C");
  EXPECT_EQ(batch.content_type, "multipart/mixed; boundary=batch_B");
  const std::string expected =
      "--batch_B\r\n"
      "Content-Type: multipart/mixed; boundary=changeset_C\r\n"
      "\r\n"
      "--changeset_C\r\n"
      "Content-Type: application/http\r\n"
      "Content-Transfer-Encoding: binary\r\n"
      "\r\n"
      "POST http://127.0.0.1:10002/devstoreaccount1/mytable HTTP/1.1\r\n"
      "Accept: application/json;odata=minimalmetadata\r\n"
      "DataServiceVersion: 3.0\r\n"
      "Prefer: return-no-content\r\n"
      "Content-Type: application/json\r\n"
      "\r\n"
      "{\"PartitionKey\":\"p\",\"RowKey\":\"a\",\"V\":1}\r\n"
      "--changeset_C\r\n"
      "Content-Type: application/http\r\n"
      "Content-Transfer-Encoding: binary\r\n"
      "\r\n"
      "MERGE http://127.0.0.1:10002/devstoreaccount1/mytable(PartitionKey='p',RowKey='b') "
      "HTTP/1.1\r\n"
      "Accept: application/json;odata=minimalmetadata\r\n"
      "DataServiceVersion: 3.0\r\n"
      "If-Match: W/\"x\"\r\n"
      "Content-Type: application/json\r\n"
      "\r\n"
      "{\"PartitionKey\":\"p\",\"RowKey\":\"b\",\"V\":1}\r\n"
      "--changeset_C\r\n"
      "Content-Type: application/http\r\n"
      "Content-Transfer-Encoding: binary\r\n"
      "\r\n"
      "DELETE http://127.0.0.1:10002/devstoreaccount1/mytable(PartitionKey='p',RowKey='it%27%27s') "
      "HTTP/1.1\r\n"
      "Accept: application/json;odata=minimalmetadata\r\n"
      "DataServiceVersion: 3.0\r\n"
      "If-Match: *\r\n"
      "\r\n"
      "--changeset_C--\r\n"
      "--batch_B--\r\n";
  EXPECT_EQ(batch.body, expected);
}

TEST(EncodeTransactionTest, UpsertsUseMergeAndPutWithoutIfMatch) {
  Transaction transaction;
  transaction.InsertOrMerge(Row("a")).InsertOrReplace(Row("b")).Replace(Row("c"), "*");
  const std::string body = EncodeTransaction(Endpoint(), "t1", transaction, "B", "C").body;
  EXPECT_NE(body.find("MERGE http://127.0.0.1:10002/devstoreaccount1/t1(PartitionKey='p',"
                      "RowKey='a') HTTP/1.1\r\nAccept"),
            std::string::npos);
  EXPECT_NE(body.find("PUT http://127.0.0.1:10002/devstoreaccount1/t1(PartitionKey='p',"
                      "RowKey='b') HTTP/1.1\r\nAccept"),
            std::string::npos);
  EXPECT_EQ(body.find("If-Match"), body.rfind("If-Match"));  // only the Replace has one
  EXPECT_NE(body.find("If-Match: *\r\n"), std::string::npos);
}

TEST(DecodeTransactionResponseTest, SuccessGivesEachActionItsETag) {
  Transaction transaction;
  transaction.Insert(Row("a")).InsertOrReplace(Row("b")).Delete("p", "c", "*");
  const auto response =
      Answer(202, "multipart/mixed; boundary=batchresponse_b1",
             BatchAnswerBody({NoContent("W/\"datetime'2013-09-27T19%3A29%3A34.4133405Z'\""),
                              NoContent("W/\"second\""),
                              "HTTP/1.1 204 No Content\r\nDataServiceVersion: 1.0;\r\n"}));
  const auto result = DecodeTransactionResponse(response, transaction);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->actions.size(), 3u);
  EXPECT_EQ(result->actions[0].http_status, 204);
  EXPECT_EQ(result->actions[0].etag, "W/\"datetime'2013-09-27T19%3A29%3A34.4133405Z'\"");
  EXPECT_EQ(result->actions[1].etag, "W/\"second\"");
  EXPECT_EQ(result->actions[2].http_status, 204);
  EXPECT_TRUE(result->actions[2].etag.empty());
}

TEST(DecodeTransactionResponseTest, AcceptsBareLineFeeds) {
  Transaction transaction;
  transaction.Insert(Row("a"));
  const auto result = DecodeTransactionResponse(
      Answer(202, "multipart/mixed; boundary=\"batchresponse_b1\"",
             BatchAnswerBody({"HTTP/1.1 204 No Content\nETag: W/\"e\"\n"}, "\n")),
      transaction);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->actions.at(0).etag, "W/\"e\"");
}

TEST(DecodeTransactionResponseTest, FailureBlamesTheIndexedAction) {
  Transaction transaction;
  transaction.Insert(Row("a")).Insert(Row("exists")).Insert(Row("c"));
  const auto response =
      Answer(202, "multipart/mixed; boundary=batchresponse_b1",
             BatchAnswerBody({Failure(409, "Conflict", "EntityAlreadyExists",
                                      "1:The specified entity already exists.")}));
  const auto result = DecodeTransactionResponse(response, transaction);
  ASSERT_FALSE(result.ok());
  const storage::Status& status = result.status();
  EXPECT_TRUE(status.IsConflict());
  EXPECT_EQ(status.error_code(), "EntityAlreadyExists");
  EXPECT_EQ(FailedActionIndex(status), 1u);
  EXPECT_EQ(status.message(),
            "transaction action 1 failed (insert of RowKey 'exists'): The specified entity "
            "already exists.");
  EXPECT_EQ(status.request_id(), "outer-request-id");
}

TEST(DecodeTransactionResponseTest, StaleETagIsPreconditionFailed) {
  Transaction transaction;
  transaction.Insert(Row("a")).Insert(Row("b")).Replace(Row("c"), "W/\"old\"");
  const auto result = DecodeTransactionResponse(
      Answer(202, "multipart/mixed; boundary=batchresponse_b1",
             BatchAnswerBody({Failure(412, "Precondition Failed", "UpdateConditionNotSatisfied",
                                      "2:The update condition specified in the request was not "
                                      "satisfied.")})),
      transaction);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsPreconditionFailed());
  EXPECT_EQ(FailedActionIndex(result.status()), 2u);
}

TEST(DecodeTransactionResponseTest, FailureWithoutIndexIsStillAFailure) {
  Transaction transaction;
  transaction.Insert(Row("a"));
  const auto result = DecodeTransactionResponse(
      Answer(202, "multipart/mixed; boundary=batchresponse_b1",
             BatchAnswerBody({Failure(400, "Bad Request", "InvalidInput", "Bad batch.")})),
      transaction);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().http_status(), 400);
  EXPECT_EQ(FailedActionIndex(result.status()), std::nullopt);
  EXPECT_EQ(result.status().message(), "transaction failed: Bad batch.");
}

TEST(DecodeTransactionResponseTest, ToleratesAzuriteStrayLineBeforeStatusLine) {
  Transaction transaction;
  transaction.Insert(Row("a"));
  const auto result = DecodeTransactionResponse(
      Answer(202, "multipart/mixed; boundary=batchresponse_b1",
             BatchAnswerBody({"changesetresponse_c1\r\n" +
                              Failure(400, "Bad Request", "InvalidInput",
                                      "0:The batch request operation exceeds the maximum 100 "
                                      "changes per change set.")})),
      transaction);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().http_status(), 400);
  EXPECT_EQ(result.status().error_code(), "InvalidInput");
  EXPECT_EQ(FailedActionIndex(result.status()), 0u);
}

TEST(DecodeTransactionResponseTest, WholeBatchErrorKeepsItsStatus) {
  Transaction transaction;
  transaction.Insert(Row("a"));
  const auto result = DecodeTransactionResponse(
      Answer(403, "application/xml",
             "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code>"
             "<Message>Server failed to authenticate the request.</Message></Error>"),
      transaction);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().http_status(), 403);
  EXPECT_EQ(result.status().error_code(), "AuthenticationFailed");
}

TEST(DecodeTransactionResponseTest, MalformedAnswersAreCorruption) {
  Transaction transaction;
  transaction.Insert(Row("a")).Insert(Row("b"));
  const auto kCorruption = storage::StatusCode::kCorruption;
  // One response for two actions.
  EXPECT_EQ(DecodeTransactionResponse(Answer(202, "multipart/mixed; boundary=batchresponse_b1",
                                             BatchAnswerBody({NoContent("W/\"e\"")})),
                                      transaction)
                .status()
                .code(),
            kCorruption);
  EXPECT_EQ(
      DecodeTransactionResponse(Answer(202, "application/json", "{}"), transaction).status().code(),
      kCorruption);
  EXPECT_EQ(DecodeTransactionResponse(
                Answer(202, "multipart/mixed; boundary=batchresponse_b1", "--batchresponse_b1\r\n"),
                transaction)
                .status()
                .code(),
            kCorruption);
  EXPECT_EQ(DecodeTransactionResponse(Answer(202, "multipart/mixed; boundary=batchresponse_b1",
                                             BatchAnswerBody({"garbage", "HTTP/1.1 abc"})),
                                      transaction)
                .status()
                .code(),
            kCorruption);
}

TEST(MultipartTest, FindsBoundaryParameter) {
  EXPECT_EQ(MultipartBoundary("multipart/mixed; boundary=batch_1"), "batch_1");
  EXPECT_EQ(MultipartBoundary("multipart/mixed;boundary=\"quoted x\""), "quoted x");
  EXPECT_EQ(MultipartBoundary("multipart/mixed; charset=utf-8; Boundary=b2"), "b2");
  EXPECT_EQ(MultipartBoundary("multipart/mixed"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/mixed; boundary="), std::nullopt);
}

TEST(MultipartTest, SplitsPartsIntoHeadersAndBodies) {
  const auto parts = ParseMultipart(
      "preamble\r\n--b\r\nA: 1\r\nB:  two \r\n\r\nfirst body\r\n--b\r\n\r\nno headers\r\n--b--\r\n"
      "epilogue",
      "b");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].headers.at("a"), "1");
  EXPECT_EQ((*parts)[0].headers.at("B"), "two");
  EXPECT_EQ((*parts)[0].body, "first body");
  EXPECT_TRUE((*parts)[1].headers.empty());
  EXPECT_EQ((*parts)[1].body, "no headers");
  // A delimiter must start a line: "x--b" inside a body is content.
  const auto inline_text = ParseMultipart("--b\r\n\r\nx--b y\r\n--b--", "b");
  ASSERT_TRUE(inline_text.ok());
  EXPECT_EQ(inline_text->at(0).body, "x--b y");
}

TEST(EmbeddedResponseTest, ParsesStatusHeadersAndBody) {
  const auto response =
      ParseEmbeddedResponse("HTTP/1.1 412 Precondition Failed\r\nETag: e\r\n\r\n{\"a\":1}\r\n");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 412);
  EXPECT_EQ(response->Header("etag"), "e");
  EXPECT_EQ(response->body, "{\"a\":1}\r\n");
  EXPECT_FALSE(ParseEmbeddedResponse("").ok());
  EXPECT_FALSE(ParseEmbeddedResponse("HTTP/1.1\r\n").ok());
  EXPECT_FALSE(ParseEmbeddedResponse("HTTP/1.1 99 Low\r\n").ok());
}

}  // namespace
}  // namespace fanfold::tablestore

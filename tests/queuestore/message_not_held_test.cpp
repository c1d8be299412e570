// IsMessageNotHeld: both services' wordings of "your pop receipt no longer gives you this
// message" are recognised, and nothing else is.
#include "queuestore/message_not_held.hpp"

#include <gtest/gtest.h>

#include "storage/error_response.hpp"

namespace fanfold::queuestore {
namespace {

using storage::Status;

Status FromAnswer(int http_status, const char* code_header, const char* body) {
  storage::HttpResponse response;
  response.status = http_status;
  if (code_header != nullptr) response.headers["x-ms-error-code"] = code_header;
  response.body = body;
  return storage::StatusFromResponse(response);
}

TEST(MessageNotHeldTest, RecognisesAzureAndAzuriteAnswers) {
  EXPECT_TRUE(IsMessageNotHeld(FromAnswer(404, "MessageNotFound", "")));
  EXPECT_TRUE(IsMessageNotHeld(FromAnswer(
      404, nullptr, "<Error><Code>MessageNotFound</Code><Message>gone</Message></Error>")));
  EXPECT_TRUE(IsMessageNotHeld(FromAnswer(400, "PopReceiptMismatch", "")));
  EXPECT_TRUE(IsMessageNotHeld(FromAnswer(
      400, nullptr, "<Error><Code>PopReceiptMismatch</Code><Message>no</Message></Error>")));
}

TEST(MessageNotHeldTest, OtherFailuresAreNot) {
  EXPECT_FALSE(IsMessageNotHeld(Status::Ok()));
  EXPECT_FALSE(IsMessageNotHeld(FromAnswer(404, "QueueNotFound", "")));
  EXPECT_FALSE(IsMessageNotHeld(FromAnswer(400, "InvalidQueryParameterValue", "")));
  EXPECT_FALSE(IsMessageNotHeld(FromAnswer(404, nullptr, "")));
  EXPECT_FALSE(IsMessageNotHeld(FromAnswer(500, "MessageNotFound", "")));
  EXPECT_FALSE(IsMessageNotHeld(Status::Transport("connection reset")));
  EXPECT_FALSE(IsMessageNotHeld(Status::InvalidArgument("MessageNotFound")));
}

}  // namespace
}  // namespace fanfold::queuestore

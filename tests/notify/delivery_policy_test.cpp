// Which answers are delivered, retried or given up on, and how long to wait between attempts.
#include "notify/delivery_policy.hpp"

#include <gtest/gtest.h>

namespace fanfold::notify {
namespace {

using std::chrono::milliseconds;

storage::Result<storage::HttpResponse> Answer(int status, storage::Headers headers = {},
                                              std::string body = {}) {
  storage::HttpResponse response;
  response.status = status;
  response.headers = std::move(headers);
  response.body = std::move(body);
  return response;
}

TEST(JudgeAttemptTest, TwoHundredsAreDelivered) {
  for (int status : {200, 201, 202, 204}) {
    const auto verdict = JudgeAttempt(Answer(status));
    EXPECT_EQ(verdict.outcome, AttemptOutcome::kDelivered) << status;
    EXPECT_EQ(verdict.http_status, status);
  }
}

TEST(JudgeAttemptTest, ThrottlingServerErrorsAndTransportFailuresAreRetried) {
  for (int status : {408, 429, 500, 502, 503, 504, 599}) {
    EXPECT_EQ(JudgeAttempt(Answer(status)).outcome, AttemptOutcome::kRetry) << status;
  }
  const auto refused = JudgeAttempt(storage::Status::Transport("Couldn't connect to server"));
  EXPECT_EQ(refused.outcome, AttemptOutcome::kRetry);
  EXPECT_EQ(refused.http_status, 0);
  EXPECT_NE(refused.detail.find("Couldn't connect"), std::string::npos);
  EXPECT_EQ(JudgeAttempt(storage::Status::Timeout("timed out")).outcome, AttemptOutcome::kRetry);
}

TEST(JudgeAttemptTest, OtherAnswersGiveUpAtOnce) {
  for (int status : {301, 302, 400, 401, 403, 404, 410, 413}) {
    EXPECT_EQ(JudgeAttempt(Answer(status)).outcome, AttemptOutcome::kGiveUp) << status;
  }
}

TEST(JudgeAttemptTest, DetailCarriesTheStatusAndTheFirstLineOfTheBody) {
  const auto verdict = JudgeAttempt(Answer(404, {}, "no_service\nmore"));
  EXPECT_EQ(verdict.detail, "HTTP 404: no_service");
  const auto long_body = JudgeAttempt(Answer(400, {}, std::string(1000, 'x')));
  EXPECT_LT(long_body.detail.size(), 220u);
}

TEST(JudgeAttemptTest, RetryAfterIsReadFromThrottlingAnswers) {
  const auto verdict = JudgeAttempt(Answer(429, {{"Retry-After", "7"}}));
  ASSERT_TRUE(verdict.server_delay.has_value());
  EXPECT_EQ(*verdict.server_delay, milliseconds(7000));
  EXPECT_FALSE(JudgeAttempt(Answer(503)).server_delay.has_value());
  EXPECT_FALSE(JudgeAttempt(Answer(404, {{"Retry-After", "7"}})).server_delay.has_value());
}

TEST(RetryDelayTest, DoublesFromTheFirstBackoffUpToTheCap) {
  const milliseconds first(500), cap(30000);
  // unit 1 is the top of each step, unit 0 its middle.
  EXPECT_EQ(RetryDelay(first, cap, 0, std::nullopt, 1.0), milliseconds(500));
  EXPECT_EQ(RetryDelay(first, cap, 1, std::nullopt, 1.0), milliseconds(1000));
  EXPECT_EQ(RetryDelay(first, cap, 3, std::nullopt, 1.0), milliseconds(4000));
  EXPECT_EQ(RetryDelay(first, cap, 3, std::nullopt, 0.0), milliseconds(2000));
  EXPECT_EQ(RetryDelay(first, cap, 10, std::nullopt, 1.0), cap);
  const auto jittered = RetryDelay(first, cap, 2, std::nullopt, 0.5);
  EXPECT_GT(jittered, milliseconds(1000));
  EXPECT_LT(jittered, milliseconds(2000));
}

TEST(RetryDelayTest, ServerDelayWinsButIsCapped) {
  EXPECT_EQ(RetryDelay(milliseconds(10), milliseconds(30000), 0, milliseconds(1000), 0.0),
            milliseconds(1000));
  EXPECT_EQ(RetryDelay(milliseconds(10), milliseconds(200), 0, milliseconds(60000), 0.0),
            milliseconds(200));
  EXPECT_EQ(RetryDelay(milliseconds(10), milliseconds(200), 4, milliseconds(0), 0.0),
            milliseconds(0));
}

}  // namespace
}  // namespace fanfold::notify

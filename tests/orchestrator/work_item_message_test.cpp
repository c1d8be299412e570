// A work item's send time (what an activity's queue wait is measured from) survives the message
// format, and messages without it (older workers) or with a garbled one still carry their work.
#include <gtest/gtest.h>

#include "orchestrator/messages.hpp"

namespace fanfold::orchestrator {
namespace {

TEST(WorkItemMessageTest, SentTimeRoundTrips) {
  WorkItemMessage message{"m1", "i1", {{3, "act", "{}"}}, {}};
  message.sent = *storage::ParseIso8601("2026-12-05T09:00:01.250000Z");
  const auto parsed = ParseWorkItemMessage(Serialize(message));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->sent, message.sent);
  ASSERT_EQ(parsed->tasks.size(), 1u);
  EXPECT_EQ(parsed->tasks[0].task_id, 3);
}

TEST(WorkItemMessageTest, MissingOrBadSentTimeKeepsTheWork) {
  const WorkItemMessage unsent{"m1", "i1", {{0, "act", "{}"}}, {}};
  EXPECT_EQ(Serialize(unsent).find("sent"), std::string::npos);
  const auto old = ParseWorkItemMessage(
      R"({"id":"m1","instance":"i1","tasks":[{"task":0,"name":"a","input":"{}"}]})");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->sent, Timestamp{});
  const auto garbled = ParseWorkItemMessage(
      R"({"id":"m1","instance":"i1","sent":"yesterday","tasks":[{"task":0,"name":"a","input":"{}"}]})");
  ASSERT_TRUE(garbled);
  EXPECT_EQ(garbled->sent, Timestamp{});
}

}  // namespace
}  // namespace fanfold::orchestrator

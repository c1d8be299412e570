// The three body formats, parsed back field by field, and what they do with hostile text.
#include "notify/webhook_body.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace fanfold::notify {
namespace {

using nlohmann::json;

FailureNotice SampleNotice() {
  FailureNotice notice;
  notice.kind = std::string(kJobFailed);
  notice.job = "j-42";
  notice.file = "uploads/customer_2026.csv";
  notice.pipeline = "orchestrated";
  notice.reason = "chunk 3: HTTP 503 ServerBusy";
  notice.queue = "";
  notice.retry_command = "fanfold retry j-42";
  notice.worker = "host-a:4242";
  notice.time = "2026-12-01T21:40:00.123Z";
  return notice;
}

// Text of the Slack section field or section whose label is `label`, or "" when absent.
std::string SlackLabelled(const json& body, const std::string& label) {
  const std::string prefix = "*" + label + "*\n";
  for (const auto& block : body.at("blocks")) {
    if (block.at("type") != "section") continue;
    if (block.contains("text")) {
      const std::string text = block["text"].at("text");
      if (text.rfind(prefix, 0) == 0) return text.substr(prefix.size());
    }
    for (const auto& field : block.value("fields", json::array())) {
      EXPECT_EQ(field.at("type"), "mrkdwn");
      const std::string text = field.at("text");
      if (text.rfind(prefix, 0) == 0) return text.substr(prefix.size());
    }
  }
  return "";
}

const json& TeamsCard(const json& body) {
  return body.at("attachments").at(0).at("content");
}

// Value of the Teams fact titled `title`, or "" when absent.
std::string TeamsFact(const json& body, const std::string& title) {
  for (const auto& item : TeamsCard(body).at("body")) {
    if (item.at("type") != "FactSet") continue;
    for (const auto& fact : item.at("facts")) {
      if (fact.at("title") == title) return fact.at("value");
    }
  }
  return "";
}

TEST(WebhookBodyTest, JsonIsAFlatObjectWithEveryField) {
  const json body = json::parse(WebhookBody(WebhookFormat::kJson, SampleNotice()));
  const json expected = {{"source", "fanfold"},
                         {"kind", "job.failed"},
                         {"job", "j-42"},
                         {"file", "uploads/customer_2026.csv"},
                         {"pipeline", "orchestrated"},
                         {"reason", "chunk 3: HTTP 503 ServerBusy"},
                         {"queue", ""},
                         {"retry_command", "fanfold retry j-42"},
                         {"worker", "host-a:4242"},
                         {"time", "2026-12-01T21:40:00.123Z"}};
  EXPECT_EQ(body, expected);
}

TEST(WebhookBodyTest, SlackHasFallbackTextHeaderAndLabelledSections) {
  const json body = json::parse(WebhookBody(WebhookFormat::kSlack, SampleNotice()));
  EXPECT_EQ(body.at("text"),
            "fanfold job j-42 failed (uploads/customer_2026.csv): chunk 3: HTTP 503 ServerBusy");
  const json& header = body.at("blocks").at(0);
  EXPECT_EQ(header.at("type"), "header");
  EXPECT_EQ(header.at("text").at("type"), "plain_text");
  EXPECT_EQ(header.at("text").at("text"), "fanfold job j-42 failed");
  EXPECT_EQ(SlackLabelled(body, "Job"), "`j-42`");
  EXPECT_EQ(SlackLabelled(body, "File"), "`uploads/customer_2026.csv`");
  EXPECT_EQ(SlackLabelled(body, "Pipeline"), "orchestrated");
  EXPECT_EQ(SlackLabelled(body, "Reason"), "chunk 3: HTTP 503 ServerBusy");
  EXPECT_EQ(SlackLabelled(body, "Retry"), "`fanfold retry j-42`");
  EXPECT_EQ(SlackLabelled(body, "Queue"), "");  // empty fields are left out
  const json& context = body.at("blocks").back();
  EXPECT_EQ(context.at("type"), "context");
  EXPECT_EQ(context.at("elements").at(0).at("text"),
            "worker host-a:4242 | 2026-12-01T21:40:00.123Z");
}

TEST(WebhookBodyTest, TeamsIsAnAdaptiveCardMessageWithFacts) {
  const json body = json::parse(WebhookBody(WebhookFormat::kTeams, SampleNotice()));
  EXPECT_EQ(body.at("type"), "message");
  ASSERT_EQ(body.at("attachments").size(), 1u);
  const json& attachment = body["attachments"][0];
  EXPECT_EQ(attachment.at("contentType"), "application/vnd.microsoft.card.adaptive");
  const json& card = TeamsCard(body);
  EXPECT_EQ(card.at("$schema"), "http://adaptivecards.io/schemas/adaptive-card.json");
  EXPECT_EQ(card.at("type"), "AdaptiveCard");
  EXPECT_EQ(card.at("version"), "1.4");
  const json& items = card.at("body");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("type"), "TextBlock");
  EXPECT_EQ(items[0].at("text"), "fanfold job j-42 failed");
  EXPECT_EQ(items[1].at("type"), "FactSet");
  EXPECT_EQ(TeamsFact(body, "Job"), "j-42");
  EXPECT_EQ(TeamsFact(body, "File"), "uploads/customer_2026.csv");
  EXPECT_EQ(TeamsFact(body, "Pipeline"), "orchestrated");
  EXPECT_EQ(TeamsFact(body, "Reason"), "chunk 3: HTTP 503 ServerBusy");
  EXPECT_EQ(TeamsFact(body, "Worker"), "host-a:4242");
  EXPECT_EQ(TeamsFact(body, "Time"), "2026-12-01T21:40:00.123Z");
  for (const auto& fact : items[1].at("facts"))
    EXPECT_NE(fact.at("title"), "Queue");
  EXPECT_EQ(items[2].at("type"), "TextBlock");
  EXPECT_EQ(items[2].at("text"), "Retry: fanfold retry j-42");
}

TEST(WebhookBodyTest, PoisonedMessageOfNoKnownJobNamesTheQueue) {
  FailureNotice notice;
  notice.kind = std::string(kMessagePoisoned);
  notice.queue = "work-items -> work-items-poison";
  notice.reason = "dequeued 5 times";
  const json slack = json::parse(WebhookBody(WebhookFormat::kSlack, notice));
  EXPECT_EQ(slack.at("blocks").at(0).at("text").at("text"), "fanfold message poisoned");
  EXPECT_EQ(SlackLabelled(slack, "Queue"), "`work-items -&gt; work-items-poison`");
  EXPECT_EQ(SlackLabelled(slack, "Job"), "");
  EXPECT_EQ(SlackLabelled(slack, "Retry"), "");
  const json teams = json::parse(WebhookBody(WebhookFormat::kTeams, notice));
  EXPECT_EQ(TeamsFact(teams, "Queue"), "work-items -> work-items-poison");
  EXPECT_EQ(TeamsCard(teams).at("body").size(), 2u);  // no retry line
  notice.job = "j-7";
  EXPECT_EQ(NoticeHeadline(notice), "fanfold message poisoned (job j-7)");
}

FailureNotice HostileNotice() {
  FailureNotice notice = SampleNotice();
  notice.job = "j\"1\\";
  notice.file = "c/<script>alert(1)</script>&x";
  notice.reason = "line one \"quoted\"\nline two <!channel> & *bold* `tick`";
  notice.retry_command = "fanfold retry 'j\"1' # `rm -rf`";
  return notice;
}

TEST(WebhookBodyTest, JsonKeepsHostileTextExactly) {
  const FailureNotice notice = HostileNotice();
  const std::string text = WebhookBody(WebhookFormat::kJson, notice);
  EXPECT_EQ(text.find('\n'), std::string::npos) << "a raw newline escaped the string";
  const json body = json::parse(text);
  EXPECT_EQ(body.at("job"), notice.job);
  EXPECT_EQ(body.at("file"), notice.file);
  EXPECT_EQ(body.at("reason"), notice.reason);
  EXPECT_EQ(body.at("retry_command"), notice.retry_command);
}

TEST(WebhookBodyTest, SlackEscapesMrkdwnControlCharacters) {
  const json body = json::parse(WebhookBody(WebhookFormat::kSlack, HostileNotice()));
  EXPECT_EQ(SlackLabelled(body, "File"), "`c/&lt;script&gt;alert(1)&lt;/script&gt;&amp;x`");
  EXPECT_EQ(SlackLabelled(body, "Reason"),
            "line one \"quoted\"\nline two &lt;!channel&gt; &amp; *bold* `tick`");
  EXPECT_EQ(SlackLabelled(body, "Job"), "`j\"1\\`");
  // A backtick inside would end a code span early, so that command is plain text instead.
  EXPECT_EQ(SlackLabelled(body, "Retry"), "fanfold retry 'j\"1' # `rm -rf`");
  const std::string fallback = body.at("text");
  EXPECT_EQ(fallback.find('<'), std::string::npos) << fallback;
  EXPECT_NE(fallback.find("&lt;script&gt;"), std::string::npos) << fallback;
  EXPECT_EQ(fallback.find("line two"), std::string::npos) << "summary keeps the first line only";
}

TEST(WebhookBodyTest, TeamsKeepsHostileTextAsData) {
  const FailureNotice notice = HostileNotice();
  const json body = json::parse(WebhookBody(WebhookFormat::kTeams, notice));
  EXPECT_EQ(TeamsFact(body, "File"), notice.file);
  EXPECT_EQ(TeamsFact(body, "Reason"), notice.reason);
  EXPECT_EQ(TeamsFact(body, "Job"), notice.job);
  EXPECT_EQ(TeamsCard(body).at("body").at(2).at("text"), "Retry: " + notice.retry_command);
}

TEST(WebhookBodyTest, InvalidUtf8DoesNotThrowAndStillParses) {
  FailureNotice notice = SampleNotice();
  notice.reason = "bytes \xff\xfe here";
  notice.file = "c/\xc3";  // a sequence cut short
  for (auto format : {WebhookFormat::kJson, WebhookFormat::kSlack, WebhookFormat::kTeams}) {
    std::string text;
    ASSERT_NO_THROW(text = WebhookBody(format, notice)) << WebhookFormatName(format);
    json parsed;
    EXPECT_NO_THROW(parsed = json::parse(text)) << WebhookFormatName(format);
  }
}

TEST(WebhookBodyTest, LongTextIsClippedInsideSlackLimitsWithoutSplittingCharacters) {
  FailureNotice notice = SampleNotice();
  std::string reason;
  for (int i = 0; i < 2000; ++i)
    reason += "\xC3\xA9<";  // é then a character that grows into &lt;
  notice.reason = reason;
  notice.job = std::string(400, 'j');
  notice.file = std::string(5000, '&');
  const std::string text = WebhookBody(WebhookFormat::kSlack, notice);
  const json body = json::parse(text);
  EXPECT_LE(body.at("blocks").at(0).at("text").at("text").get<std::string>().size(), 150u);
  const std::string clipped_reason = SlackLabelled(body, "Reason");
  EXPECT_LE(clipped_reason.size() + std::string("*Reason*\n").size(), 3000u);
  EXPECT_GT(clipped_reason.size(), 2000u) << "clipped far more than needed";
  const std::string ellipsis = "\xE2\x80\xA6";
  ASSERT_GT(clipped_reason.size(), ellipsis.size());
  EXPECT_EQ(clipped_reason.substr(clipped_reason.size() - 3), ellipsis);
  const std::string before = clipped_reason.substr(0, clipped_reason.size() - 3);
  EXPECT_TRUE(before.ends_with("&lt;") || before.ends_with("\xC3\xA9"))
      << "cut inside an entity or a character: " << before.substr(before.size() - 8);
  const std::string file = SlackLabelled(body, "File");
  EXPECT_LE(file.size() + std::string("*File*\n").size(), 2000u);
  EXPECT_TRUE(file.ends_with("&amp;" + ellipsis + "`")) << file.substr(file.size() - 12);
  EXPECT_LE(body.at("text").get<std::string>().size(), 3000u);
  // A split sequence would have been replaced with U+FFFD when the body was serialised.
  EXPECT_EQ(text.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(text.find("\\ufffd"), std::string::npos);
}

TEST(WebhookBodyTest, OtherKindsGetAGenericHeadline) {
  FailureNotice notice;
  EXPECT_EQ(NoticeHeadline(notice), "fanfold failure");
  notice.kind = "chunk.stuck";
  notice.job = "j-1";
  EXPECT_EQ(NoticeHeadline(notice), "fanfold chunk.stuck j-1");
  EXPECT_EQ(NoticeSummary(notice), "fanfold chunk.stuck j-1");
}

}  // namespace
}  // namespace fanfold::notify

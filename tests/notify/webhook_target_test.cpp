// Webhook specs: formats named and guessed, lists, and errors that never give the secret away.
#include "notify/webhook_target.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fanfold::notify {
namespace {

constexpr const char* kSecret = "T0AAA/B0BBB/s3cr3tT0k3n";

WebhookTarget MustParse(std::string_view spec) {
  auto target = ParseWebhookTarget(spec);
  EXPECT_TRUE(target.ok()) << spec << ": " << target.status().ToString();
  return target.ok() ? *target : WebhookTarget{};
}

TEST(ParseWebhookTargetTest, NamedFormatsKeepTheUrlExactly) {
  const std::string slack_url = std::string("https://hooks.slack.com/services/") + kSecret;
  auto slack = MustParse("slack=" + slack_url);
  EXPECT_EQ(slack.format, WebhookFormat::kSlack);
  EXPECT_EQ(slack.url, slack_url);

  const std::string teams_url =
      "https://prod-1.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/"
      "invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=a+b";
  auto teams = MustParse("teams=" + teams_url);
  EXPECT_EQ(teams.format, WebhookFormat::kTeams);
  EXPECT_EQ(teams.url, teams_url);

  auto plain = MustParse("json=http://127.0.0.1:9000/hook");
  EXPECT_EQ(plain.format, WebhookFormat::kJson);
  EXPECT_EQ(plain.url, "http://127.0.0.1:9000/hook");
}

TEST(ParseWebhookTargetTest, NamedFormatOverridesTheGuess) {
  EXPECT_EQ(MustParse("json=https://hooks.slack.com/services/x").format, WebhookFormat::kJson);
  EXPECT_EQ(MustParse("slack=http://127.0.0.1:1/x").format, WebhookFormat::kSlack);
}

TEST(ParseWebhookTargetTest, FormatNameAndHostAreCaseInsensitiveAndSpacesTrimmed) {
  auto target = MustParse("  Teams = https://X.webhook.office.com/webhookb2/y  ");
  EXPECT_EQ(target.format, WebhookFormat::kTeams);
  EXPECT_EQ(target.url, "https://X.webhook.office.com/webhookb2/y");
  EXPECT_EQ(MustParse("HTTPS://HOOKS.SLACK.COM/services/x").format, WebhookFormat::kSlack);
}

TEST(ParseWebhookTargetTest, BareUrlFormatIsGuessedFromTheHost) {
  EXPECT_EQ(MustParse("https://hooks.slack.com/services/x").format, WebhookFormat::kSlack);
  EXPECT_EQ(MustParse("https://contoso.webhook.office.com/webhookb2/x").format,
            WebhookFormat::kTeams);
  EXPECT_EQ(MustParse("https://prod-07.uksouth.logic.azure.com:443/workflows/x").format,
            WebhookFormat::kTeams);
  EXPECT_EQ(MustParse("https://default1.environment.api.powerplatform.com:443/x?sig=y").format,
            WebhookFormat::kTeams);
  EXPECT_EQ(MustParse("http://127.0.0.1:9000/hook").format, WebhookFormat::kJson);
  EXPECT_EQ(MustParse("http://[::1]:9000/hook").format, WebhookFormat::kJson);
  // Suffixes match whole labels only, and the Slack host exactly.
  EXPECT_EQ(MustParse("https://evilwebhook.office.com/x").format, WebhookFormat::kJson);
  EXPECT_EQ(MustParse("https://hooks.slack.com.example.org/x").format, WebhookFormat::kJson);
  EXPECT_EQ(MustParse("https://logic.azure.com.example.org/x").format, WebhookFormat::kJson);
}

TEST(ParseWebhookTargetTest, BadSpecsSayWhatIsWrongWithoutTheSecret) {
  const std::string path = std::string("/services/") + kSecret + "?sig=zzz";
  struct Case {
    std::string spec;
    std::string expected;  // part of the message
  };
  const Case cases[] = {
      {"", "empty"},
      {"slak=https://hooks.slack.com" + path, "unknown webhook format 'slak'"},
      {"hooks.slack.com" + path, "no scheme"},
      {"ftp://hooks.slack.com" + path, "scheme must be http or https"},
      {"https://" + path, "no host"},
      {"https://hooks.slack.com:99999" + path, "bad port"},
      {"https://hooks.slack.com:" + path, "bad port"},
      {"https://hooks.slack.com:80a" + path, "bad port"},
      {"https://ho$t" + path, "bad host name"},
      {"https://[::1" + path, "unterminated IPv6"},
      {"https://hooks.slack.com" + path + " trailing", "whitespace"},
      {"slack=", "no URL"},
      {"slack=hooks.slack.com" + path, "no scheme"},
      {"bogus=hooks.slack.com" + path, "unknown webhook format 'bogus'"},
  };
  for (const auto& c : cases) {
    auto target = ParseWebhookTarget(c.spec);
    ASSERT_FALSE(target.ok()) << c.spec;
    EXPECT_TRUE(target.status().IsInvalidArgument()) << c.spec;
    const std::string& message = target.status().message();
    EXPECT_NE(message.find(c.expected), std::string::npos) << c.spec << " -> " << message;
    EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
    EXPECT_EQ(message.find("/services"), std::string::npos) << message;
    EXPECT_EQ(message.find("zzz"), std::string::npos) << message;
  }
}

TEST(ParseWebhookTargetTest, UnknownFormatThatLooksLikeASecretIsNotEchoed) {
  auto target = ParseWebhookTarget("xoxb-s3cr3t=https://example.org/x");
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.status().message().find("s3cr3t"), std::string::npos);
  EXPECT_NE(target.status().message().find("unknown webhook format"), std::string::npos);
}

TEST(ParseWebhookTargetsTest, ParsesACommaSeparatedListSkippingEmptyEntries) {
  auto targets = ParseWebhookTargets(
      " slack=https://hooks.slack.com/services/a ,,https://x.logic.azure.com/w?sig=1,"
      "json=http://127.0.0.1:9/h, ");
  ASSERT_TRUE(targets.ok()) << targets.status().ToString();
  ASSERT_EQ(targets->size(), 3u);
  EXPECT_EQ((*targets)[0].format, WebhookFormat::kSlack);
  EXPECT_EQ((*targets)[0].url, "https://hooks.slack.com/services/a");
  EXPECT_EQ((*targets)[1].format, WebhookFormat::kTeams);
  EXPECT_EQ((*targets)[1].url, "https://x.logic.azure.com/w?sig=1");
  EXPECT_EQ((*targets)[2].format, WebhookFormat::kJson);

  auto none = ParseWebhookTargets("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(ParseWebhookTargetsTest, ErrorNamesTheEntryButNotItsUrl) {
  auto targets =
      ParseWebhookTargets(std::string("http://127.0.0.1:9/h,hooks.slack.com/services/") + kSecret);
  ASSERT_FALSE(targets.ok());
  const std::string& message = targets.status().message();
  EXPECT_EQ(message.rfind("webhook 2: ", 0), 0u) << message;
  EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
}

TEST(WebhookDisplayNameTest, ShowsSchemeAndHostOnly) {
  EXPECT_EQ(WebhookDisplayName({std::string("https://hooks.slack.com/services/") + kSecret,
                                WebhookFormat::kSlack}),
            "https://hooks.slack.com");
  EXPECT_EQ(
      WebhookDisplayName({"http://user:pa55@127.0.0.1:9000/hook?sig=x", WebhookFormat::kJson}),
      "http://127.0.0.1:9000");
  EXPECT_EQ(WebhookDisplayName({"https://[::1]:8443?sig=x", WebhookFormat::kJson}),
            "https://[::1]:8443");
  EXPECT_EQ(WebhookDisplayName({"not a url /s3cr3t", WebhookFormat::kJson}),
            "(invalid webhook URL)");
  EXPECT_EQ(WebhookFormatName(WebhookFormat::kTeams), std::string("teams"));
}

}  // namespace
}  // namespace fanfold::notify

// Body layouts (fields left empty in the notice are left out of slack and teams bodies):
//
// slack  {"text": <summary>,
//         "blocks": [{"type":"header","text":{"type":"plain_text","text":<headline>}},
//                    {"type":"section","fields":[{"type":"mrkdwn","text":"*Job*\n`j-1`"}, File,
//                                                Pipeline, Queue]},
//                    {"type":"section","text":{"type":"mrkdwn","text":"*Reason*\n..."}},
//                    {"type":"section","text":{"type":"mrkdwn","text":"*Retry*\n`fanfold retry
//                    j-1`"}},
//                    {"type":"context","elements":[{"type":"mrkdwn","text":"worker ... | time"}]}]}
//        Reason and Retry get full-width sections because fields are drawn as narrow columns.
//        mrkdwn text has & < > turned into entities (Slack's only escapes); identifiers go in
//        code spans so that * _ ~ in a blob name are not read as formatting.
// teams  {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
//         "contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json",
//         "type":"AdaptiveCard","version":"1.4","fallbackText":<summary>,"body":[
//           {"type":"TextBlock","text":<headline>,"size":"Medium","weight":"Bolder","wrap":true},
//           {"type":"FactSet","facts":[{"title":"Job","value":...}, File, Pipeline, Queue, Reason,
//                                      Worker, Time]},
//           {"type":"TextBlock","text":"Retry: fanfold retry j-1","fontType":"Monospace",...}]}}]}
//        Adaptive Cards render a small Markdown subset and define no escape for it, so text goes
//        in as it is; JSON escaping keeps it from changing the card's structure.
// json   {"source":"fanfold","kind":...,"job":...,"file":...,"pipeline":...,"reason":...,
//         "queue":...,"retry_command":...,"worker":...,"time":...}
#include "notify/webhook_body.hpp"

#include <nlohmann/json.hpp>
#include <string_view>

#include "storage/utf8_text.hpp"

namespace fanfold::notify {
namespace {

using nlohmann::json;

// Slack's limits are 150 characters for a header, 2,000 for a field and 3,000 for a section's
// text; Teams refuses messages past about 28 KB. Bytes are counted, so multi-byte text stays
// further inside the limits than it needs to.
constexpr std::size_t kHeaderLimit = 150;
constexpr std::size_t kFieldLimit = 1900;
constexpr std::size_t kSectionLimit = 2900;
constexpr std::size_t kSummaryReasonLimit = 300;
constexpr std::size_t kCardValueLimit = 1000;
constexpr std::size_t kCardReasonLimit = 4000;
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

// Slack's mrkdwn reads '&', '<' and '>' as markup: they travel as entities.
std::string EscapeMrkdwn(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

// `text` with Slack's control characters as entities when `mrkdwn`, clipped to `limit` bytes
// with an ellipsis, never cutting an entity or a UTF-8 sequence in half.
std::string Clip(std::string_view text, std::size_t limit, bool mrkdwn = false) {
  if (!mrkdwn) return storage::TruncateUtf8(text, limit, kEllipsis);
  const std::string escaped = EscapeMrkdwn(storage::ToValidUtf8(text));
  if (escaped.size() <= limit || limit < kEllipsis.size()) {
    return storage::TruncateUtf8(escaped, limit, kEllipsis);
  }
  std::string kept =
      escaped.substr(0, storage::Utf8PrefixLength(escaped, limit - kEllipsis.size()));
  // An entity cut in half loses what is left of it (an entity holds no '&' or ';' inside).
  const std::size_t amp = kept.rfind('&');
  if (amp != std::string::npos && kept.find(';', amp) == std::string::npos) kept.resize(amp);
  return kept + std::string(kEllipsis);
}

std::string_view FirstLine(std::string_view text) {
  return text.substr(0, text.find_first_of("\r\n"));
}

// A Slack code span holding `text`, or escaped plain text when a backtick or a line break would
// end the span early.
std::string SlackCode(std::string_view text, std::size_t limit) {
  if (text.find_first_of("`\r\n") != std::string_view::npos) return Clip(text, limit, true);
  return "`" + Clip(text, limit - 2, true) + "`";
}

json SlackField(std::string_view label, std::string value) {
  return {{"type", "mrkdwn"}, {"text", "*" + std::string(label) + "*\n" + value}};
}

json SlackSection(std::string text) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::move(text)}}}};
}

json SlackBody(const FailureNotice& notice) {
  json blocks = json::array();
  blocks.push_back({{"type", "header"},
                    {"text",
                     {{"type", "plain_text"},
                      {"text", Clip(NoticeHeadline(notice), kHeaderLimit)},
                      {"emoji", true}}}});
  json fields = json::array();
  if (!notice.job.empty()) fields.push_back(SlackField("Job", SlackCode(notice.job, kFieldLimit)));
  if (!notice.file.empty()) {
    fields.push_back(SlackField("File", SlackCode(notice.file, kFieldLimit)));
  }
  if (!notice.pipeline.empty()) {
    fields.push_back(SlackField("Pipeline", Clip(notice.pipeline, kFieldLimit, true)));
  }
  if (!notice.queue.empty()) {
    fields.push_back(SlackField("Queue", SlackCode(notice.queue, kFieldLimit)));
  }
  if (!fields.empty()) blocks.push_back({{"type", "section"}, {"fields", std::move(fields)}});
  if (!notice.reason.empty()) {
    blocks.push_back(SlackSection("*Reason*\n" + Clip(notice.reason, kSectionLimit, true)));
  }
  if (!notice.retry_command.empty()) {
    blocks.push_back(SlackSection("*Retry*\n" + SlackCode(notice.retry_command, kSectionLimit)));
  }
  std::string context;
  if (!notice.worker.empty()) context = "worker " + Clip(notice.worker, kFieldLimit, true);
  if (!notice.time.empty()) {
    context += (context.empty() ? "" : " | ") + Clip(notice.time, kFieldLimit, true);
  }
  if (!context.empty()) {
    blocks.push_back({{"type", "context"},
                      {"elements", json::array({{{"type", "mrkdwn"}, {"text", context}}})}});
  }
  return {{"text", Clip(NoticeSummary(notice), kSectionLimit, true)},
          {"blocks", std::move(blocks)}};
}

json TeamsBody(const FailureNotice& notice) {
  json facts = json::array();
  const auto fact = [&facts](std::string_view title, std::string_view value, std::size_t limit) {
    if (!value.empty()) facts.push_back({{"title", title}, {"value", Clip(value, limit)}});
  };
  fact("Job", notice.job, kCardValueLimit);
  fact("File", notice.file, kCardValueLimit);
  fact("Pipeline", notice.pipeline, kCardValueLimit);
  fact("Queue", notice.queue, kCardValueLimit);
  fact("Reason", notice.reason, kCardReasonLimit);
  fact("Worker", notice.worker, kCardValueLimit);
  fact("Time", notice.time, kCardValueLimit);

  json body = json::array();
  body.push_back({{"type", "TextBlock"},
                  {"text", Clip(NoticeHeadline(notice), kCardValueLimit)},
                  {"size", "Medium"},
                  {"weight", "Bolder"},
                  {"wrap", true}});
  if (!facts.empty()) body.push_back({{"type", "FactSet"}, {"facts", std::move(facts)}});
  if (!notice.retry_command.empty()) {
    body.push_back({{"type", "TextBlock"},
                    {"text", "Retry: " + Clip(notice.retry_command, kCardValueLimit)},
                    {"fontType", "Monospace"},
                    {"wrap", true}});
  }
  json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
               {"type", "AdaptiveCard"},
               {"version", "1.4"},
               {"fallbackText", Clip(NoticeSummary(notice), kCardValueLimit)},
               {"body", std::move(body)}};
  json attachment = {{"contentType", "application/vnd.microsoft.card.adaptive"},
                     {"contentUrl", nullptr},
                     {"content", std::move(card)}};
  return {{"type", "message"}, {"attachments", json::array({std::move(attachment)})}};
}

json FlatBody(const FailureNotice& notice) {
  return {{"source", "fanfold"},         {"kind", notice.kind},
          {"job", notice.job},           {"file", notice.file},
          {"pipeline", notice.pipeline}, {"reason", notice.reason},
          {"queue", notice.queue},       {"retry_command", notice.retry_command},
          {"worker", notice.worker},     {"time", notice.time}};
}

}  // namespace

std::string NoticeHeadline(const FailureNotice& notice) {
  const std::string job = notice.job.empty() ? "" : " " + notice.job;
  if (notice.kind == kJobFailed) return "fanfold job" + job + " failed";
  if (notice.kind == kMessagePoisoned) {
    return "fanfold message poisoned" + (job.empty() ? "" : " (job" + job + ")");
  }
  return "fanfold " + (notice.kind.empty() ? std::string("failure") : notice.kind) + job;
}

std::string NoticeSummary(const FailureNotice& notice) {
  std::string summary = NoticeHeadline(notice);
  if (!notice.file.empty()) summary += " (" + notice.file + ")";
  if (!notice.reason.empty()) summary += ": " + Clip(FirstLine(notice.reason), kSummaryReasonLimit);
  return summary;
}

std::string WebhookBody(WebhookFormat format, const FailureNotice& notice) {
  json body;
  switch (format) {
    case WebhookFormat::kSlack:
      body = SlackBody(notice);
      break;
    case WebhookFormat::kTeams:
      body = TeamsBody(notice);
      break;
    case WebhookFormat::kJson:
      body = FlatBody(notice);
      break;
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace fanfold::notify

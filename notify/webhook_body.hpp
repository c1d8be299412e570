// The JSON body each webhook format takes for a FailureNotice.
// - slack: a Slack incoming-webhook message in Block Kit (header, mrkdwn sections, context) with
//   a top-level "text" that Slack shows in notifications and in clients that cannot draw blocks.
//   Blocks rather than secondary attachments, which Slack keeps only as a legacy layout.
// - teams: a message carrying one Adaptive Card 1.4 attachment. Microsoft retired Office 365
//   connectors and their MessageCard for Workflows webhooks ("When a Teams webhook request is
//   received"), which accept only Adaptive Cards; the same envelope also works for the remaining
//   incoming webhooks, so one format serves both. The card uses only TextBlock and FactSet
//   (schema 1.0 elements) and declares 1.4, which current Teams clients render.
// - json: a flat object with every FailureNotice field plus "source":"fanfold", for receivers of
//   our own (and for tests): nothing is clipped or reformatted.
// Slack and Teams bodies clip long text to stay inside those services' per-field limits, because
// a body over a limit is refused with a 400 and the notice would be lost.
#pragma once

#include <string>

#include "notify/failure_notice.hpp"
#include "notify/webhook_target.hpp"

namespace fanfold::notify {

// JSON text; never throws (invalid UTF-8 in a field becomes U+FFFD).
std::string WebhookBody(WebhookFormat format, const FailureNotice& notice);

// One line for people: "fanfold job j-42 failed: chunk 3: HTTP 503 ...". Slack's fallback text
// and the card's title line.
std::string NoticeSummary(const FailureNotice& notice);

// The headline alone: "fanfold job j-42 failed", "fanfold message poisoned".
std::string NoticeHeadline(const FailureNotice& notice);

}  // namespace fanfold::notify

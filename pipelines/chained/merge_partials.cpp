#include "pipelines/chained/merge_partials.hpp"

#include <algorithm>
#include <set>

#include "pipelines/chained/chain_storage.hpp"
#include "queuestore/message_not_held.hpp"
#include "queuestore/queue_consumer.hpp"

namespace fanfold::pipelines::chained {
namespace {

using storage::Result;
using storage::Status;

// Two deliveries of one chunk's partial: the blob is one object whatever wrote it last; inline
// partials must agree on the totals (timings and bytes_read aside: bytes_read depends on where
// the download's pieces ended), and differing ones are both kept for the merge to refuse.
bool SamePartial(const PartialMessage& a, const PartialMessage& b) {
  if (!a.blob.empty() || !b.blob.empty()) return a.blob == b.blob;
  return a.output && b.output && activities::SameTotals(a.output->partial, b.output->partial);
}

// The stage hides what it receives; handing a message back or dropping it may find it already
// gone to someone else, which is fine: they answer for it now.
void Note(Status& first, const Status& status) {
  if (!status.ok() && !queuestore::IsMessageNotHeld(status) && first.ok()) first = status;
}

}  // namespace

Result<PartialsInHand> PartialsInHand::Receive(const queuestore::QueueClient& partials,
                                               const queuestore::QueueClient& poison,
                                               std::uint32_t chunks, std::chrono::seconds hold) {
  PartialsInHand hand(partials, chunks);
  queuestore::QueueConsumerOptions consumer_options;
  consumer_options.name = "chain-merge";
  consumer_options.visibility_timeout = hold;
  const queuestore::QueueConsumer consumer(partials, poison, consumer_options);
  // Duplicates may keep arriving while we read; a bound keeps one merge from chasing them.
  const std::size_t max_rounds = chunks / 8 + 16;
  for (std::size_t round = 0; round < max_rounds; ++round) {
    auto batch = consumer.Receive(queuestore::kMaxMessagesPerRequest);
    if (!batch.ok()) {
      (void)hand.GiveBack(false);
      return batch.status();
    }
    if (batch->empty()) break;
    for (auto& message : *batch) {
      auto entries = PartialMessagesFromJson(message.content);
      Status wrong = entries.status();
      for (std::size_t i = 0; wrong.ok() && i < entries->size(); ++i) {
        const std::uint32_t chunk = (*entries)[i].chunk;
        if (chunk >= chunks) {
          wrong = Status::Corruption("partial message for chunk " + std::to_string(chunk) +
                                     " of a job of " + std::to_string(chunks) + " chunks");
        }
      }
      if (!wrong.ok()) {
        // A failure leaves it here, hidden: the next merge poisons it again.
        (void)consumer.Poison(message, "not a partial: " + wrong.ToString());
        continue;
      }
      const std::size_t index = hand.messages_.size();
      hand.messages_.push_back({message.message_id, message.pop_receipt});
      for (auto& partial : *entries) {
        auto& slot = partial.failed ? hand.failures_ : hand.successes_;
        slot[partial.chunk].push_back({index, std::move(partial)});
      }
    }
  }
  return hand;
}

bool PartialsInHand::AllAccounted() const {
  std::set<std::uint32_t> seen;
  for (const auto& [chunk, held] : successes_)
    seen.insert(chunk);
  for (const auto& [chunk, held] : failures_)
    seen.insert(chunk);
  return seen.size() == chunks_;
}

std::vector<std::uint32_t> PartialsInHand::FailedChunks() const {
  std::vector<std::uint32_t> failed;
  for (const auto& [chunk, held] : failures_) {
    if (successes_.find(chunk) == successes_.end()) failed.push_back(chunk);
  }
  return failed;  // map order: ascending
}

std::string PartialsInHand::FailureText() const {
  std::string text;
  for (const std::uint32_t chunk : FailedChunks()) {
    if (!text.empty()) text += "; ";
    text += "chunk " + std::to_string(chunk) + ": " + failures_.at(chunk).front().partial.error;
  }
  return text;
}

bool PartialsInHand::AnySpilled() const {
  for (const auto& [chunk, held] : successes_) {
    for (const HeldPartial& one : held)
      if (!one.partial.output) return true;
  }
  return false;
}

Result<std::vector<activities::AggregateOutput>> PartialsInHand::Outputs(
    const storage::BlobContainerClient& spill) const {
  std::vector<activities::AggregateOutput> outputs;
  std::set<std::string> downloaded;
  for (const auto& [chunk, held] : successes_) {
    for (const HeldPartial& one : held) {
      if (one.partial.output) {
        outputs.push_back(*one.partial.output);
        continue;
      }
      if (!downloaded.insert(one.partial.blob).second) continue;
      auto content = spill.GetBlobClient(one.partial.blob).DownloadToString();
      if (!content.ok()) return content.status();
      auto output = activities::AggregateOutputFromJson(content->data);
      if (!output.ok()) return output.status();
      if (output->chunk_index != chunk) {
        return Status::Corruption("spilled partial " + one.partial.blob + " is chunk " +
                                  std::to_string(output->chunk_index) + ", not chunk " +
                                  std::to_string(chunk));
      }
      outputs.push_back(std::move(output).value());
    }
  }
  return outputs;
}

Status PartialsInHand::GiveBack(bool drop_failure_markers) const {
  // A message stays if any of its entries must; the first message of a chunk is the one kept,
  // so duplicates of a whole group go together.
  std::vector<bool> keep(messages_.size(), false);
  for (const auto& [chunk, held] : successes_) {
    keep[held.front().message] = true;
    for (std::size_t i = 1; i < held.size(); ++i) {
      // Two different partials of one chunk both stay, for the merge to refuse.
      if (!SamePartial(held.front().partial, held[i].partial)) keep[held[i].message] = true;
    }
  }
  if (!drop_failure_markers) {
    for (const auto& [chunk, held] : failures_) {
      if (successes_.find(chunk) == successes_.end()) keep[held.front().message] = true;
    }
  }
  Status first;
  for (std::size_t i = 0; i < messages_.size(); ++i) {
    const HeldMessage& held = messages_[i];
    if (keep[i]) {
      Note(first,
           partials_.UpdateMessage(held.message_id, held.pop_receipt, std::chrono::seconds(0))
               .status());
    } else {
      Note(first, partials_.DeleteMessage(held.message_id, held.pop_receipt));
    }
  }
  return first;
}

}  // namespace fanfold::pipelines::chained

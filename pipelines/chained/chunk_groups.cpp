#include "pipelines/chained/chunk_groups.hpp"

#include <algorithm>

#include "queuestore/queue_validation.hpp"

namespace fanfold::pipelines::chained {

std::uint32_t ChunksPerMessage(std::uint32_t chunks) {
  const std::uint32_t spread = (chunks + kSpreadMessages - 1) / kSpreadMessages;
  return std::clamp<std::uint32_t>(spread, 1, kMaxChunksPerMessage);
}

std::uint32_t MinChunkMessages(std::uint32_t chunks) {
  const std::uint32_t per_message = ChunksPerMessage(chunks);
  return (chunks + per_message - 1) / per_message;
}

std::vector<std::string> PackChunkMessages(const ChunkMessage& header,
                                           std::vector<activities::AggregateInput> inputs) {
  const std::uint32_t per_message = ChunksPerMessage(header.chunks);
  std::vector<std::string> messages;
  ChunkMessage group = header;
  group.inputs.clear();
  std::string text;  // group as JSON
  const auto flush = [&] {
    if (group.inputs.empty()) return;
    messages.push_back(std::move(text));
    group.inputs.clear();
  };
  for (auto& input : inputs) {
    group.inputs.push_back(input);
    std::string candidate = ChunkMessageToJson(group);
    if (group.inputs.size() > 1 &&
        queuestore::EncodedMessageBytes(candidate) > kChunkMessageBudget) {
      group.inputs.pop_back();
      flush();
      group.inputs.push_back(std::move(input));
      candidate = ChunkMessageToJson(group);
    }
    text = std::move(candidate);
    if (group.inputs.size() >= per_message) flush();
  }
  flush();
  return messages;
}

std::size_t PartialEntriesBytes(const std::vector<std::string>& entries) {
  if (entries.size() == 1) return entries.front().size();
  std::size_t total = 0;
  for (const std::string& entry : entries)
    total += entry.size();
  return PartialGroupBytes(entries.size(), total);
}

std::vector<std::string> PackPartialEntries(const std::vector<std::string>& entries,
                                            std::size_t max_bytes) {
  std::vector<std::string> messages;
  std::vector<std::string> group;
  std::size_t group_bytes = 0;  // of the entries in `group`
  const auto flush = [&] {
    if (group.empty()) return;
    messages.push_back(group.size() == 1 ? group.front() : PartialGroupToJson(group));
    group.clear();
    group_bytes = 0;
  };
  for (const std::string& entry : entries) {
    if (!group.empty() &&
        PartialGroupBytes(group.size() + 1, group_bytes + entry.size()) > max_bytes) {
      flush();
    }
    group.push_back(entry);
    group_bytes += entry.size();
  }
  flush();
  return messages;
}

}  // namespace fanfold::pipelines::chained

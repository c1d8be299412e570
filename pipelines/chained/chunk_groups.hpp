// How the chained pipeline packs chunks into messages. Every message is a billed storage request
// (requests are nearly all of a job's cost) and, on Azurite, each Get Messages costs more the more
// messages are stored; so the split puts up to kMaxChunksPerMessage chunks in one message and the
// aggregate stage answers a group in one partials message. Pure functions: no storage here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "activities/aggregate_activity.hpp"
#include "pipelines/chained/chain_messages.hpp"

namespace fanfold::pipelines::chained {

// As the orchestrated pipeline's work items: up to 16 chunks a message, and a job spread over
// about 32 messages at least, so a small job still reaches every aggregate thread of a few workers
// (2 workers of 4 threads take 8 messages at a time; 32 leaves room for more workers and keeps
// the slowest message short). 1-32 chunks: one per message, as before the groups; 100: 4 per
// message (25 messages); 512 and more: 16 per message (10,000 chunks: 625 messages).
inline constexpr std::uint32_t kMaxChunksPerMessage = 16;
inline constexpr std::uint32_t kSpreadMessages = 32;
std::uint32_t ChunksPerMessage(std::uint32_t chunks);
// Messages a job of `chunks` chunks needs at least: ceil(chunks / ChunksPerMessage(chunks)).
std::uint32_t MinChunkMessages(std::uint32_t chunks);

// A chunk message's budget on the wire: half of Azure's 64 KiB (Base64 text), so that the poison
// envelope (which escapes the message again and adds a reason of up to 2,000 bytes) still holds
// it whole and `fanfold retry` can move it back as it was.
inline constexpr std::size_t kChunkMessageBudget = 32 * 1024;

// `inputs` (in plan order) as messages of `header`'s job: ChunksPerMessage(header.chunks) chunks
// each, fewer where the encoded message would pass kChunkMessageBudget (a chunk alone is never
// split further). header.inputs is ignored.
std::vector<std::string> PackChunkMessages(const ChunkMessage& header,
                                           std::vector<activities::AggregateInput> inputs);

// Bytes of the partials message that carries `entries` (the single form for one entry).
std::size_t PartialEntriesBytes(const std::vector<std::string>& entries);
// `entries` (partial-message entries: InlinePartialToJson and the like) as few messages of at
// most `max_bytes` each (one entry alone may pass it: it is never split). One entry is sent in
// the single form, so a job of one chunk a message writes what it wrote before the groups.
std::vector<std::string> PackPartialEntries(const std::vector<std::string>& entries,
                                            std::size_t max_bytes);

}  // namespace fanfold::pipelines::chained

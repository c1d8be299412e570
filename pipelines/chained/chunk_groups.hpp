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
// about 32 messages at least, so a job still reaches every aggregate thread of a few workers
// (2 workers of 4 threads take 8 messages at a time; 32 leaves room for more workers and keeps
// the slowest message short). 1-32 chunks: one per message; 100: 4 per message (25 messages);
// 512 and more: 16 per message (10,000 chunks: 625 messages).
inline constexpr std::uint32_t kMaxChunksPerMessage = 16;
inline constexpr std::uint32_t kSpreadMessages = 32;
// But a message also carries at least this much of the file, chunks permitting: a message costs
// about six requests (chunk put, get, delete; partial put, get, delete) and tens of milliseconds
// of hand-offs on Azure, while 4 MiB takes about as long to count (~10-30 ms). Spreading smaller
// pieces buys no speed and multiplies the bill: a 240 KB upload in 2 chunks is one message.
inline constexpr std::uint64_t kDefaultMinMessageBytes = 4ull << 20;
// And at most this much, chunks permitting (a message holds one chunk at least): the chunks of a
// message are read one after the other, so large ones in groups leave the last messages of a
// job running alone while the other threads idle. The 1 GB file's 100 chunks of 9.8 MB in 25
// messages of 4 took 1.5 times its download; one a message, as the orchestrated pipeline runs
// them, costs 75 messages more (about 450 requests: a tenth of a cent) and keeps every thread busy.
inline constexpr std::uint64_t kMaxMessageBytes = 16ull << 20;

// Chunks a message carries for a job of `chunks` chunks over `file_bytes` bytes: the spread rule,
// raised until a message holds min_message_bytes on average, never past kMaxChunksPerMessage nor
// (beyond one chunk) past kMaxMessageBytes on average.
std::uint32_t ChunksPerMessage(std::uint32_t chunks, std::uint64_t file_bytes,
                               std::uint64_t min_message_bytes);
// Messages a job of `chunks` chunks needs at least, whatever its size: ceil(chunks / 16).
std::uint32_t MinChunkMessages(std::uint32_t chunks);

// A chunk message's budget on the wire: half of Azure's 64 KiB (Base64 text), so that the poison
// envelope (which escapes the message again and adds a reason of up to 2,000 bytes) still holds
// it whole and `fanfold retry` can move it back as it was.
inline constexpr std::size_t kChunkMessageBudget = 32 * 1024;

struct ChunkPacking {
  std::uint64_t min_message_bytes = kDefaultMinMessageBytes;
  // A job whose chunks all fit in one message goes as one merge_inline message. Only the split
  // asks for it: a retry's job already has a partials queue and a merge waiting on it.
  bool allow_merge_inline = false;
};
struct PackedChunks {
  std::vector<std::string> messages;
  bool merge_inline = false;  // one message that merges the job itself
};
// `inputs` (in plan order; file_size from the first) as messages of `header`'s job:
// ChunksPerMessage chunks each, fewer where the encoded message would pass kChunkMessageBudget
// (a chunk alone is never split further). header.inputs and header.merge_inline are ignored.
PackedChunks PackChunkMessages(const ChunkMessage& header,
                               std::vector<activities::AggregateInput> inputs,
                               const ChunkPacking& packing);

// Bytes of the partials message that carries `entries` (the single form for one entry).
std::size_t PartialEntriesBytes(const std::vector<std::string>& entries);
// `entries` (partial-message entries: InlinePartialToJson and the like) as few messages of at
// most `max_bytes` each (one entry alone may pass it: it is never split). One entry is sent in
// the single form, so a job of one chunk a message writes what it wrote before the groups.
std::vector<std::string> PackPartialEntries(const std::vector<std::string>& entries,
                                            std::size_t max_bytes);

}  // namespace fanfold::pipelines::chained

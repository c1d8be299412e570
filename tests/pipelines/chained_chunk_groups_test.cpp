// How the chained pipeline packs chunks into messages (chunk_groups.hpp), without storage: the
// group sizes, the byte budget on the wire, and that every chunk travels exactly once.
#include <gtest/gtest.h>

#include <set>

#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chunk_groups.hpp"
#include "queuestore/queue_options.hpp"
#include "queuestore/queue_validation.hpp"

namespace fanfold::pipelines::chained {
namespace {

std::vector<activities::AggregateInput> Inputs(std::uint32_t chunks, std::size_t name_bytes) {
  std::vector<activities::AggregateInput> inputs;
  for (std::uint32_t i = 0; i < chunks; ++i) {
    activities::AggregateInput input;
    input.container = "uploads";
    input.blob = std::string(name_bytes, 'n');
    input.etag = "\"0x8D1\"";
    input.file_size = 1000000;
    input.chunk = {i, i * 100ull, i * 100ull + 100};
    inputs.push_back(input);
  }
  return inputs;
}

// Parses every message and checks each chunk of the job is in exactly one, in plan order.
std::vector<std::size_t> GroupSizes(const std::vector<std::string>& messages,
                                    std::uint32_t chunks) {
  std::vector<std::size_t> sizes;
  std::uint32_t next = 0;
  for (const std::string& text : messages) {
    auto message = ChunkMessageFromJson(text);
    EXPECT_TRUE(message.ok()) << message.status().ToString();
    if (!message.ok()) return {};
    for (const auto& input : message->inputs)
      EXPECT_EQ(input.chunk.index, next++);
    sizes.push_back(message->inputs.size());
  }
  EXPECT_EQ(next, chunks);
  return sizes;
}

// Large enough that the byte floor does not bind, small enough that the byte cap does not.
constexpr std::uint64_t k200MB = 200'000'000;

TEST(ChunkGroupsTest, LargeFilesSpreadOverAboutThirtyTwoMessagesOfAtMostSixteenChunks) {
  EXPECT_EQ(ChunksPerMessage(1, k200MB, kDefaultMinMessageBytes), 1u);
  EXPECT_EQ(ChunksPerMessage(7, k200MB, kDefaultMinMessageBytes), 1u);
  EXPECT_EQ(ChunksPerMessage(32, k200MB, kDefaultMinMessageBytes), 1u);
  EXPECT_EQ(ChunksPerMessage(33, k200MB, kDefaultMinMessageBytes), 2u);
  EXPECT_EQ(ChunksPerMessage(100, k200MB, kDefaultMinMessageBytes), 4u);
  EXPECT_EQ(ChunksPerMessage(1000, k200MB, kDefaultMinMessageBytes), 16u);
  EXPECT_EQ(ChunksPerMessage(10000, k200MB, kDefaultMinMessageBytes), 16u);
  EXPECT_EQ(MinChunkMessages(7), 1u);
  EXPECT_EQ(MinChunkMessages(16), 1u);
  EXPECT_EQ(MinChunkMessages(17), 2u);
  EXPECT_EQ(MinChunkMessages(10000), 625u);
}

// A message carries 4 MiB at least, chunks permitting: a small file's chunks travel together.
TEST(ChunkGroupsTest, SmallChunksTravelTogetherUpToTheByteFloor) {
  const std::uint64_t mib = 1 << 20;
  EXPECT_EQ(ChunksPerMessage(2, 240'000, kDefaultMinMessageBytes), 16u);     // 120 KB chunks
  EXPECT_EQ(ChunksPerMessage(8, 24 * mib, kDefaultMinMessageBytes), 2u);     // 3 MiB chunks
  EXPECT_EQ(ChunksPerMessage(6, 24 * mib, kDefaultMinMessageBytes), 1u);     // 4 MiB chunks
  EXPECT_EQ(ChunksPerMessage(7, 24 * mib, kDefaultMinMessageBytes), 2u);     // just under 4 MiB
  EXPECT_EQ(ChunksPerMessage(256, 24 * mib, kDefaultMinMessageBytes), 16u);  // the cap
  EXPECT_EQ(ChunksPerMessage(3, 0, kDefaultMinMessageBytes), 16u);           // an empty file
  EXPECT_EQ(ChunksPerMessage(7, 240'000, 0), 1u);  // no floor: the spread rule alone
}

// And at most 16 MiB on average, a chunk at least: large chunks go one a message, so no message
// reads several of them in a row while other threads idle.
TEST(ChunkGroupsTest, LargeChunksGoOneAMessage) {
  const std::uint64_t mib = 1 << 20;
  EXPECT_EQ(ChunksPerMessage(100, 982'730'907, kDefaultMinMessageBytes), 1u);  // SF 40, 9.8 MB
  EXPECT_EQ(ChunksPerMessage(100, 400 * mib, kDefaultMinMessageBytes), 4u);    // 4 MiB chunks
  EXPECT_EQ(ChunksPerMessage(100, 800 * mib, kDefaultMinMessageBytes), 2u);    // 8 MiB chunks
  EXPECT_EQ(ChunksPerMessage(3, 3000 * mib, kDefaultMinMessageBytes), 1u);     // 1,000 MiB each
}

TEST(ChunkGroupsTest, EveryChunkTravelsOnceInGroupsOfTheChosenSize) {
  for (const std::uint32_t chunks : {1u, 7u, 100u, 1000u, 10000u}) {
    SCOPED_TRACE("chunks " + std::to_string(chunks));
    const ChunkMessage header{"job-1", "chain-p-00", chunks, 3, {}};
    const auto packed = PackChunkMessages(header, Inputs(chunks, 12), {0, false});
    const std::uint32_t per_message = ChunksPerMessage(chunks, 1000000, 0);
    EXPECT_EQ(packed.messages.size(), (chunks + per_message - 1) / per_message);
    EXPECT_FALSE(packed.merge_inline);
    for (const std::size_t size : GroupSizes(packed.messages, chunks))
      EXPECT_LE(size, per_message);
  }
}

// Only a job that fits in one message, and only when the caller allows it, merges inline; the
// flag travels in the message and reads back.
TEST(ChunkGroupsTest, AJobInOneMessageMergesInlineWhenAllowed) {
  const ChunkMessage header{"job-1", "chain-p-00", 7, 3, {}};
  const auto inline_job = PackChunkMessages(header, Inputs(7, 12), {kDefaultMinMessageBytes, true});
  ASSERT_EQ(inline_job.messages.size(), 1u);
  EXPECT_TRUE(inline_job.merge_inline);
  auto read = ChunkMessageFromJson(inline_job.messages.front());
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(read->merge_inline);
  EXPECT_EQ(read->inputs.size(), 7u);
  // Not allowed (a retry's remade chunks): the same single message, merged by the merge stage.
  const auto not_allowed =
      PackChunkMessages(header, Inputs(7, 12), {kDefaultMinMessageBytes, false});
  ASSERT_EQ(not_allowed.messages.size(), 1u);
  EXPECT_FALSE(not_allowed.merge_inline);
  EXPECT_FALSE(ChunkMessageFromJson(not_allowed.messages.front())->merge_inline);
  // Part of a job (a retry's subset) never merges inline, whatever is asked.
  auto some = Inputs(7, 12);
  some.resize(3);
  EXPECT_FALSE(PackChunkMessages(header, some, {kDefaultMinMessageBytes, true}).merge_inline);
  // A whole job whose one message would pass the budget on the wire (blob names of 3,000 bytes)
  // is packed in groups within it, and none merges inline.
  const ChunkMessage long_names{"job-1", "chain-p-00", 16, 3, {}};
  const auto too_long =
      PackChunkMessages(long_names, Inputs(16, 3000), {kDefaultMinMessageBytes, true});
  EXPECT_FALSE(too_long.merge_inline);
  EXPECT_GT(too_long.messages.size(), 1u);
  for (const std::string& message : too_long.messages) {
    EXPECT_LE(queuestore::EncodedMessageBytes(message), kChunkMessageBudget);
    EXPECT_FALSE(ChunkMessageFromJson(message)->merge_inline);
  }
  // Several messages: none merges inline.
  const auto spread = PackChunkMessages(header, Inputs(7, 12), {0, true});
  EXPECT_EQ(spread.messages.size(), 7u);
  EXPECT_FALSE(spread.merge_inline);
}

// Inputs far larger than real ones (blob names of 3,000 bytes; Azure allows 1,024, with which 16
// inputs fit): 16 would pass the budget, so groups are cut short, and every message stays within
// it once Base64-encoded as the queue client sends it.
TEST(ChunkGroupsTest, LongInputsMakeSmallerGroupsWithinTheBudgetOnTheWire) {
  const std::uint32_t chunks = 1000;
  const ChunkMessage header{"job-1", "chain-p-00", chunks, 3, {}};
  const auto messages = PackChunkMessages(header, Inputs(chunks, 3000), {0, true}).messages;
  EXPECT_GT(messages.size(), MinChunkMessages(chunks));
  for (const std::string& message : messages) {
    EXPECT_LE(queuestore::EncodedMessageBytes(message), kChunkMessageBudget);
    EXPECT_TRUE(queuestore::ValidateMessageContent(message).ok());
  }
  const auto sizes = GroupSizes(messages, chunks);
  ASSERT_FALSE(sizes.empty());
  EXPECT_GT(sizes.front(), 1u);
  EXPECT_LT(sizes.front(), ChunksPerMessage(chunks, 1000000, 0));
}

TEST(ChunkGroupsTest, PartialEntriesPackIntoAsFewMessagesAsFit) {
  std::vector<std::string> entries;
  for (std::uint32_t chunk = 0; chunk < 16; ++chunk)
    entries.push_back(FailureMarkerToJson(chunk, std::string(900, 'e')));
  // All in one message when it fits, which is what the merge reads back.
  const auto one = PackPartialEntries(entries, queuestore::kMaxMessageContentBytes);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one.front().size(), PartialEntriesBytes(entries));
  auto read = PartialMessagesFromJson(one.front());
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 16u);
  EXPECT_EQ((*read)[15].chunk, 15u);
  EXPECT_TRUE((*read)[15].failed);
  // Several when it does not, each within the limit; a lone entry in the single form.
  const auto several = PackPartialEntries(entries, 4000);
  EXPECT_GT(several.size(), 1u);
  std::set<std::uint32_t> seen;
  for (const std::string& message : several) {
    EXPECT_LE(message.size(), 4000u);
    auto part = PartialMessagesFromJson(message);
    ASSERT_TRUE(part.ok());
    for (const auto& entry : *part)
      EXPECT_TRUE(seen.insert(entry.chunk).second);
  }
  EXPECT_EQ(seen.size(), 16u);
  const auto single = PackPartialEntries({entries.front()}, 10);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single.front(), entries.front());
}

}  // namespace
}  // namespace fanfold::pipelines::chained

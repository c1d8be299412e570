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

TEST(ChunkGroupsTest, SmallJobsKeepOneChunkAMessageAndLargeOnesSixteen) {
  EXPECT_EQ(ChunksPerMessage(1), 1u);
  EXPECT_EQ(ChunksPerMessage(7), 1u);
  EXPECT_EQ(ChunksPerMessage(32), 1u);
  EXPECT_EQ(ChunksPerMessage(33), 2u);
  EXPECT_EQ(ChunksPerMessage(100), 4u);
  EXPECT_EQ(ChunksPerMessage(1000), 16u);
  EXPECT_EQ(ChunksPerMessage(10000), 16u);
  EXPECT_EQ(MinChunkMessages(7), 7u);
  EXPECT_EQ(MinChunkMessages(100), 25u);
  EXPECT_EQ(MinChunkMessages(1000), 63u);
  EXPECT_EQ(MinChunkMessages(10000), 625u);
}

TEST(ChunkGroupsTest, EveryChunkTravelsOnceInGroupsOfTheChosenSize) {
  for (const std::uint32_t chunks : {1u, 7u, 100u, 1000u, 10000u}) {
    SCOPED_TRACE("chunks " + std::to_string(chunks));
    const ChunkMessage header{"job-1", "chain-p-00", chunks, 3, {}};
    const auto messages = PackChunkMessages(header, Inputs(chunks, 12));
    EXPECT_EQ(messages.size(), MinChunkMessages(chunks));
    for (const std::size_t size : GroupSizes(messages, chunks))
      EXPECT_LE(size, ChunksPerMessage(chunks));
  }
}

// Inputs far larger than real ones (blob names of 3,000 bytes; Azure allows 1,024, with which 16
// inputs fit): 16 would pass the budget, so groups are cut short, and every message stays within
// it once Base64-encoded as the queue client sends it.
TEST(ChunkGroupsTest, LongInputsMakeSmallerGroupsWithinTheBudgetOnTheWire) {
  const std::uint32_t chunks = 1000;
  const ChunkMessage header{"job-1", "chain-p-00", chunks, 3, {}};
  const auto messages = PackChunkMessages(header, Inputs(chunks, 3000));
  EXPECT_GT(messages.size(), MinChunkMessages(chunks));
  for (const std::string& message : messages) {
    EXPECT_LE(queuestore::EncodedMessageBytes(message), kChunkMessageBudget);
    EXPECT_TRUE(queuestore::ValidateMessageContent(message).ok());
  }
  const auto sizes = GroupSizes(messages, chunks);
  ASSERT_FALSE(sizes.empty());
  EXPECT_GT(sizes.front(), 1u);
  EXPECT_LT(sizes.front(), ChunksPerMessage(chunks));
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

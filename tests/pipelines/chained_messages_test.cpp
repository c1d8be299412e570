// The chained pipeline's messages and names, without storage.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chained_pipeline.hpp"
#include "storage/utf8_text.hpp"

namespace fanfold::pipelines::chained {
namespace {

activities::AggregateInput SomeInput(std::uint32_t index) {
  activities::AggregateInput input;
  input.container = "uploads";
  input.blob = "customer.tbl";
  input.etag = "\"0x8D1\"";
  input.file_size = 1000;
  input.chunk = {index, 100, 200};
  return input;
}

TEST(ChainedMessagesTest, ChunkAndMergeMessagesRoundTrip) {
  const ChunkMessage chunk{"job-1", "chain-p-00", 7, 3, {SomeInput(4), SomeInput(6)}};
  auto parsed = ChunkMessageFromJson(ChunkMessageToJson(chunk));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->job, "job-1");
  EXPECT_EQ(parsed->partials_queue, "chain-p-00");
  EXPECT_EQ(parsed->chunks, 7u);
  EXPECT_EQ(parsed->max_attempts, 3);
  ASSERT_EQ(parsed->inputs.size(), 2u);
  EXPECT_EQ(parsed->inputs[0].chunk, chunk.inputs[0].chunk);
  EXPECT_EQ(parsed->inputs[1].chunk, chunk.inputs[1].chunk);
  EXPECT_EQ(parsed->inputs[1].etag, chunk.inputs[1].etag);

  auto merge = MergeMessageFromJson(MergeMessageToJson({"job-1", 7, "chain-p-00"}));
  ASSERT_TRUE(merge.ok());
  EXPECT_EQ(merge->job, "job-1");
  EXPECT_EQ(merge->chunks, 7u);
  EXPECT_EQ(merge->partials_queue, "chain-p-00");
}

TEST(ChainedMessagesTest, BadMessagesAreRefused) {
  EXPECT_FALSE(ChunkMessageFromJson("not json").ok());
  EXPECT_FALSE(MergeMessageFromJson("{\"job\":\"j\",\"chunks\":0,\"partials_queue\":\"q\"}").ok());
  EXPECT_FALSE(
      MergeMessageFromJson("{\"job\":\"j\",\"chunks\":1,\"partials_queue\":\"q\",\"x\":1}").ok());
  // A chunk index outside its job's plan.
  const ChunkMessage chunk{"job-1", "chain-p-00", 4, 3, {SomeInput(4)}};
  EXPECT_FALSE(ChunkMessageFromJson(ChunkMessageToJson(chunk)).ok());
  // merge_inline on a message that does not hold every chunk of its job.
  ChunkMessage part{"job-1", "chain-p-00", 3, 3, {SomeInput(0), SomeInput(1)}};
  part.merge_inline = true;
  auto refused = ChunkMessageFromJson(ChunkMessageToJson(part));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("merge_inline"), std::string::npos);
  part.inputs.push_back(SomeInput(2));
  auto whole = ChunkMessageFromJson(ChunkMessageToJson(part));
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_TRUE(whole->merge_inline);
  EXPECT_FALSE(
      ChunkMessageFromJson(R"({"job":"j","partials_queue":"q","chunks":1,"merge_inline":"yes",)"
                           R"("inputs":[{}]})")
          .ok());
  EXPECT_FALSE(PartialMessageFromJson("{\"kind\":\"partial\",\"chunk\":1}").ok());
  EXPECT_FALSE(PartialMessageFromJson("{\"kind\":\"other\",\"chunk\":1,\"blob\":\"b\"}").ok());
}

// Messages queued before the groups, at an upgrade: still read, as a group of one (chunk and
// partial) or as a job of one message per chunk (merge).
TEST(ChainedMessagesTest, MessagesOfBeforeTheGroupsAreStillRead) {
  nlohmann::json old_chunk =
      nlohmann::json::parse(ChunkMessageToJson({"job-1", "chain-p-00", 7, 3, {SomeInput(4)}}));
  old_chunk["input"] = old_chunk["inputs"][0];
  old_chunk.erase("inputs");
  auto chunk = ChunkMessageFromJson(old_chunk.dump());
  ASSERT_TRUE(chunk.ok()) << chunk.status().ToString();
  ASSERT_EQ(chunk->inputs.size(), 1u);
  EXPECT_EQ(chunk->inputs[0].chunk.index, 4u);

  auto merge = MergeMessageFromJson(R"({"job":"j","chunks":7,"partials_queue":"q"})");
  ASSERT_TRUE(merge.ok());
  EXPECT_EQ(merge->ExpectedMessages(), 7u);
  auto grouped = MergeMessageFromJson(MergeMessageToJson({"j", 100, "q", 25}));
  ASSERT_TRUE(grouped.ok());
  EXPECT_EQ(grouped->ExpectedMessages(), 25u);

  auto partial = PartialMessagesFromJson(FailureMarkerToJson(3, "gone"));
  ASSERT_TRUE(partial.ok());
  ASSERT_EQ(partial->size(), 1u);
  EXPECT_EQ(partial->front().chunk, 3u);
}

TEST(ChainedMessagesTest, BadGroupsAreRefused) {
  nlohmann::json chunk = nlohmann::json::parse(
      ChunkMessageToJson({"job-1", "chain-p-00", 7, 3, {SomeInput(4), SomeInput(5)}}));
  nlohmann::json both = chunk;
  both["input"] = chunk["inputs"][0];
  EXPECT_FALSE(ChunkMessageFromJson(both.dump()).ok());
  nlohmann::json empty = chunk;
  empty["inputs"] = nlohmann::json::array();
  EXPECT_FALSE(ChunkMessageFromJson(empty.dump()).ok());
  nlohmann::json twice = chunk;
  twice["inputs"][1] = chunk["inputs"][0];
  EXPECT_FALSE(ChunkMessageFromJson(twice.dump()).ok());
  EXPECT_FALSE(MergeMessageFromJson(MergeMessageToJson({"j", 7, "q", 8})).ok());
  EXPECT_FALSE(PartialMessagesFromJson(R"({"kind":"group","partials":[]})").ok());
  EXPECT_FALSE(PartialMessagesFromJson(R"({"kind":"group","partials":[{"kind":"x"}]})").ok());
  EXPECT_FALSE(PartialMessagesFromJson(R"({"kind":"group","partials":[],"x":1})").ok());
}

TEST(ChainedMessagesTest, PartialsAndFailureMarkersRoundTrip) {
  activities::AggregateOutput output;
  output.chunk_index = 3;
  output.partial.rows = 2;
  output.partial.nations[7] = {12345, 2};
  auto inline_partial = PartialMessageFromJson(InlinePartialToJson(output));
  ASSERT_TRUE(inline_partial.ok()) << inline_partial.status().ToString();
  EXPECT_FALSE(inline_partial->failed);
  EXPECT_EQ(inline_partial->chunk, 3u);
  ASSERT_TRUE(inline_partial->output.has_value());
  EXPECT_EQ(inline_partial->output->partial, output.partial);

  auto spilled = PartialMessageFromJson(SpilledPartialToJson(3, SpillBlobName("job-1", 3)));
  ASSERT_TRUE(spilled.ok());
  EXPECT_EQ(spilled->blob, "job-1/chunk-00003.json");
  EXPECT_FALSE(spilled->output.has_value());

  auto marker = PartialMessageFromJson(FailureMarkerToJson(9, std::string(5000, 'x') + "\xff"));
  ASSERT_TRUE(marker.ok()) << marker.status().ToString();
  EXPECT_TRUE(marker->failed);
  EXPECT_EQ(marker->chunk, 9u);
  EXPECT_LE(marker->error.size(), kMaxErrorChars);
}

// A long error is cut between two characters, never inside one: the text must stay valid UTF-8
// all the way to the job row.
TEST(ChainedMessagesTest, ALongErrorIsCutBetweenCharacters) {
  const std::string error = std::string(kMaxErrorChars - 1, 'x') + "\xC3\xA9 and more";
  const std::string cut = ShortError(error);
  EXPECT_TRUE(storage::IsValidUtf8(cut));
  EXPECT_LE(cut.size(), kMaxErrorChars);
  EXPECT_EQ(cut.substr(cut.size() - 3), "...");
  EXPECT_EQ(ShortError("short \xFF"), "short \xEF\xBF\xBD");
}

TEST(ChainedMessagesTest, PartialsQueueNamesAreValidAndPerJob) {
  const PipelineNames names = PipelineNames::WithPrefix("p0123456789ab");
  const std::string name = PartialsQueueName(names, "customer-tbl-0123456789abcdef");
  EXPECT_EQ(name.rfind(names.chain_partials_prefix, 0), 0u);
  EXPECT_EQ(name.size(), names.chain_partials_prefix.size() + 16);
  EXPECT_LE(name.size(), 63u);
  EXPECT_EQ(name, PartialsQueueName(names, "customer-tbl-0123456789abcdef"));
  EXPECT_NE(name, PartialsQueueName(names, "customer-tbl-0123456789abcdee"));
  EXPECT_EQ(ResultBlobName("job-1"), "job-1.json");
}

}  // namespace
}  // namespace fanfold::pipelines::chained

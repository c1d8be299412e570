#include "activities/chunk_plan.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace fanfold::activities {
namespace {

// Contiguous, in order, indexed, covering [0, size).
void ExpectCovers(const ChunkPlan& plan, std::uint64_t size) {
  ASSERT_FALSE(plan.chunks.empty());
  EXPECT_EQ(plan.file_size, size);
  std::uint64_t next = 0;
  for (std::size_t i = 0; i < plan.chunks.size(); ++i) {
    EXPECT_EQ(plan.chunks[i].index, i);
    EXPECT_EQ(plan.chunks[i].begin, next);
    EXPECT_LE(plan.chunks[i].begin, plan.chunks[i].end);
    next = plan.chunks[i].end;
  }
  EXPECT_EQ(next, size);
}

TEST(PlanChunksTest, EvenSplitSizesDifferByAtMostOne) {
  auto plan = PlanChunks(10, 3);
  ASSERT_TRUE(plan.ok());
  ExpectCovers(*plan, 10);
  ASSERT_EQ(plan->chunks.size(), 3u);
  EXPECT_EQ(plan->chunks[0], (ChunkRange{0, 0, 4}));
  EXPECT_EQ(plan->chunks[1], (ChunkRange{1, 4, 7}));
  EXPECT_EQ(plan->chunks[2], (ChunkRange{2, 7, 10}));

  for (const std::uint64_t size : {1ull, 2ull, 999ull, 24346144ull, 1ull << 40}) {
    for (const std::uint32_t count : {1u, 2u, 7u, 64u, 1000u}) {
      auto even = PlanChunks(size, count);
      ASSERT_TRUE(even.ok());
      ExpectCovers(*even, size);
      EXPECT_EQ(even->chunks.size(), std::min<std::uint64_t>(size, count));
      std::uint64_t smallest = size;
      std::uint64_t largest = 0;
      for (const ChunkRange& chunk : even->chunks) {
        EXPECT_GT(chunk.size(), 0u);
        smallest = std::min(smallest, chunk.size());
        largest = std::max(largest, chunk.size());
      }
      EXPECT_LE(largest - smallest, 1u);
    }
  }
}

TEST(PlanChunksTest, HugeFileDoesNotOverflow) {
  const std::uint64_t size = std::numeric_limits<std::uint64_t>::max();
  auto plan = PlanChunks(size, kMaxChunks);
  ASSERT_TRUE(plan.ok());
  ExpectCovers(*plan, size);
  EXPECT_EQ(plan->chunks.size(), kMaxChunks);
}

TEST(PlanChunksTest, EmptyFileHasOneEmptyChunk) {
  for (const std::uint32_t count : {1u, 5u}) {
    auto plan = PlanChunks(0, count);
    ASSERT_TRUE(plan.ok());
    ASSERT_EQ(plan->chunks.size(), 1u);
    EXPECT_EQ(plan->chunks[0], (ChunkRange{0, 0, 0}));
  }
  auto by_size = PlanChunksBySize(0, 100);
  ASSERT_TRUE(by_size.ok());
  ASSERT_EQ(by_size->chunks.size(), 1u);
  EXPECT_EQ(by_size->chunks[0], (ChunkRange{0, 0, 0}));
}

TEST(PlanChunksTest, BadCountsAreInvalidArguments) {
  EXPECT_TRUE(PlanChunks(100, 0).status().IsInvalidArgument());
  EXPECT_TRUE(PlanChunks(100, kMaxChunks + 1).status().IsInvalidArgument());
  EXPECT_TRUE(PlanChunksBySize(100, 0).status().IsInvalidArgument());
  EXPECT_TRUE(PlanChunksBySize(kMaxChunks + 1, 1).status().IsInvalidArgument());
  EXPECT_TRUE(PlanChunksBySize(kMaxChunks, 1).ok());
}

TEST(PlanChunksBySizeTest, FixedSizeWithShorterLastChunk) {
  auto plan = PlanChunksBySize(25, 10);
  ASSERT_TRUE(plan.ok());
  ExpectCovers(*plan, 25);
  ASSERT_EQ(plan->chunks.size(), 3u);
  EXPECT_EQ(plan->chunks[2], (ChunkRange{2, 20, 25}));
  auto exact = PlanChunksBySize(30, 10);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->chunks.size(), 3u);
  auto one = PlanChunksBySize(5, 10);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->chunks.size(), 1u);
  EXPECT_EQ(one->chunks[0], (ChunkRange{0, 0, 5}));
}

TEST(ReadWindowTest, OneByteBeforeAndMaxLineBytesAfterClippedToFile) {
  EXPECT_EQ(ReadWindow({0, 0, 100}, 1000, 50), (ByteRange{0, 150}));
  EXPECT_EQ(ReadWindow({1, 100, 200}, 1000, 50), (ByteRange{99, 250}));
  EXPECT_EQ(ReadWindow({2, 900, 1000}, 1000, 50), (ByteRange{899, 1000}));
  EXPECT_EQ(ReadWindow({2, 900, 980}, 1000, 50), (ByteRange{899, 1000}));
  EXPECT_EQ(ReadWindow({0, 5, 5}, 1000, 50), (ByteRange{5, 5}));  // empty chunk reads nothing
  EXPECT_EQ(ReadWindow({0, 0, 0}, 0, 50), (ByteRange{0, 0}));
  EXPECT_EQ(ReadWindow({0, 0, 100}, 1 << 30).end, 100 + kDefaultMaxLineBytes);
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(ReadWindow({0, max - 10, max - 1}, max, 50), (ByteRange{max - 11, max}));
}

TEST(ChunkPlanJsonTest, RoundTrips) {
  auto plan = PlanChunks(1000, 7);
  ASSERT_TRUE(plan.ok());
  auto parsed = ChunkPlanFromJson(ChunkPlanToJson(*plan));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, *plan);
  EXPECT_EQ(ChunkRangeToJson({3, 10, 20}), R"({"b":10,"e":20,"i":3})");
  auto range = ChunkRangeFromJson(R"({"i":3,"b":10,"e":20})");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(*range, (ChunkRange{3, 10, 20}));
}

TEST(ChunkPlanJsonTest, RejectsMalformedPlans) {
  for (const char* text :
       {"", "[]", "{}", R"({"i":1,"b":5})", R"({"i":-1,"b":0,"e":1})", R"({"i":0,"b":2,"e":1})",
        R"({"i":0,"b":0.5,"e":1})", R"({"i":100000,"b":0,"e":1})"}) {
    EXPECT_EQ(ChunkRangeFromJson(text).status().code(), storage::StatusCode::kCorruption) << text;
  }
  for (const char* text :
       {"", R"({"size":10,"chunks":[]})",
        R"({"size":10,"chunks":[{"i":0,"b":0,"e":5}]})",                       // gap at end
        R"({"size":10,"chunks":[{"i":0,"b":0,"e":5},{"i":1,"b":6,"e":10}]})",  // hole
        R"({"size":10,"chunks":[{"i":1,"b":0,"e":10}]})",                      // index
        R"({"size":-1,"chunks":[{"i":0,"b":0,"e":10}]})"}) {
    EXPECT_EQ(ChunkPlanFromJson(text).status().code(), storage::StatusCode::kCorruption) << text;
  }
}

}  // namespace
}  // namespace fanfold::activities

// Splitting a file into blocks and naming the blocks.
#include "storage/blob/block_plan.hpp"

#include <gtest/gtest.h>

#include <set>

#include "storage/blob/blob_options.hpp"
#include "storage/crypto.hpp"
#include "storage/random_id.hpp"

namespace fanfold::storage {
namespace {

TEST(BlockPlanTest, CoversTheFileWithAShorterLastBlock) {
  Result<std::vector<BlockSpan>> plan = PlanBlocks(10, 4);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ((*plan)[0].offset, 0u);
  EXPECT_EQ((*plan)[0].length, 4u);
  EXPECT_EQ((*plan)[1].offset, 4u);
  EXPECT_EQ((*plan)[1].length, 4u);
  EXPECT_EQ((*plan)[2].offset, 8u);
  EXPECT_EQ((*plan)[2].length, 2u);
}

TEST(BlockPlanTest, ExactMultiplesAndTinyFiles) {
  EXPECT_EQ(PlanBlocks(0, 4)->size(), 0u);
  EXPECT_EQ(PlanBlocks(1, 4)->size(), 1u);
  EXPECT_EQ(PlanBlocks(1, 4)->front().length, 1u);
  EXPECT_EQ(PlanBlocks(8, 4)->size(), 2u);
  EXPECT_EQ(PlanBlocks(8, 4)->back().length, 4u);
  EXPECT_EQ(PlanBlocks(9, 4)->size(), 3u);
}

TEST(BlockPlanTest, TwoHundredMebibytesInDefaultBlocks) {
  const uint64_t size = 200 * kMiB;
  Result<std::vector<BlockSpan>> plan = PlanBlocks(size, BlobTransferOptions{}.block_size);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->size(), 25u);
  uint64_t covered = 0;
  for (const BlockSpan& span : *plan) {
    EXPECT_EQ(span.offset, covered);
    covered += span.length;
  }
  EXPECT_EQ(covered, size);
}

TEST(BlockPlanTest, RefusesWhatAzureWouldRefuse) {
  EXPECT_TRUE(PlanBlocks(100, 0).status().IsInvalidArgument());
  EXPECT_TRUE(PlanBlocks(100, kMaxBlockSize + 1).status().IsInvalidArgument());
  EXPECT_TRUE(PlanBlocks(kMaxBlocksPerBlob, 1).ok());
  EXPECT_TRUE(PlanBlocks(kMaxBlocksPerBlob + 1, 1).status().IsInvalidArgument());
  EXPECT_TRUE(PlanBlocks(kMaxBlocksPerBlob * kMiB, kMiB).ok());
  EXPECT_TRUE(PlanBlocks(kMaxBlocksPerBlob * kMiB + 1, kMiB).status().IsInvalidArgument());
}

TEST(BlockIdTest, IdsAreBase64OfFixedLengthStrings) {
  const std::string upload_id = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
  EXPECT_EQ(*Base64Decode(MakeBlockId(upload_id, 0)), upload_id + "-000000");
  EXPECT_EQ(*Base64Decode(MakeBlockId(upload_id, 49'999)), upload_id + "-049999");
  const size_t length = MakeBlockId(upload_id, 0).size();
  for (const uint32_t index : {1u, 9u, 10u, 99u, 12'345u, 49'999u}) {
    const std::string id = MakeBlockId(upload_id, index);
    EXPECT_EQ(id.size(), length) << index;
    // Azure caps block ids at 64 bytes before encoding.
    EXPECT_LE(Base64Decode(id)->size(), 64u);
  }
}

TEST(BlockIdTest, IdsDifferAcrossBlocksAndUploads) {
  const std::string first_upload = NewUuid();
  const std::string second_upload = NewUuid();
  std::set<std::string> ids;
  for (uint32_t index = 0; index < 1000; ++index) {
    ids.insert(MakeBlockId(first_upload, index));
    ids.insert(MakeBlockId(second_upload, index));
  }
  EXPECT_EQ(ids.size(), 2000u);
}

}  // namespace
}  // namespace fanfold::storage

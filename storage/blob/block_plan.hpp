// How a large upload is cut into blocks: the byte span of each Put Block and its block id.
// Azure requires every block id of a blob to have the same length (at most 64 bytes before
// Base64) and allows 50,000 committed blocks. Ids carry a per-upload UUID, so two uploads racing
// on the same blob never overwrite each other's uncommitted blocks: whichever commits its block
// list last wins with only its own bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::storage {

inline constexpr uint64_t kMaxBlocksPerBlob = 50'000;
inline constexpr uint64_t kMaxBlockSize = 4000ULL * 1024 * 1024;    // x-ms-version >= 2019-12-12
inline constexpr uint64_t kMaxPutBlobSize = 5000ULL * 1024 * 1024;  // x-ms-version >= 2019-12-12

struct BlockSpan {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Consecutive spans of block_size bytes covering [0, size), the last one shorter. An empty
// size gives no blocks. Fails when block_size is 0 or above kMaxBlockSize, or when the file
// would need more than kMaxBlocksPerBlob blocks.
Result<std::vector<BlockSpan>> PlanBlocks(uint64_t size, uint64_t block_size);

// Base64 of "<upload_id>-<index as 6 digits>". upload_id must have the same length for all
// blocks of one upload (a UUID from NewUuid() does), index must be below kMaxBlocksPerBlob.
std::string MakeBlockId(std::string_view upload_id, uint32_t index);

}  // namespace fanfold::storage

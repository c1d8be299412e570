#include "storage/blob/block_plan.hpp"

#include <algorithm>
#include <cstdio>

#include "storage/crypto.hpp"

namespace fanfold::storage {

Result<std::vector<BlockSpan>> PlanBlocks(uint64_t size, uint64_t block_size) {
  if (block_size == 0 || block_size > kMaxBlockSize) {
    return Status::InvalidArgument("block size must be between 1 byte and 4000 MiB, not " +
                                   std::to_string(block_size));
  }
  const uint64_t count = size / block_size + (size % block_size == 0 ? 0 : 1);
  if (count > kMaxBlocksPerBlob) {
    return Status::InvalidArgument("a " + std::to_string(size) + "-byte upload in blocks of " +
                                   std::to_string(block_size) + " bytes needs " +
                                   std::to_string(count) +
                                   " blocks, above Azure's 50000; raise the block size");
  }
  std::vector<BlockSpan> spans;
  spans.reserve(count);
  for (uint64_t offset = 0; offset < size; offset += block_size) {
    spans.push_back({offset, std::min(block_size, size - offset)});
  }
  return spans;
}

std::string MakeBlockId(std::string_view upload_id, uint32_t index) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%06u", index);
  return Base64Encode(std::string(upload_id) + suffix);
}

}  // namespace fanfold::storage

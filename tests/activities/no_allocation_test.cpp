// Checks "no per-row heap allocation" by counting calls to the global operator new, which this
// binary replaces, while an aggregator is fed. Only the carry buffer's growth (a few times, up to
// the longest line) and the first reject samples may allocate.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "activities/chunk_aggregator.hpp"
#include "aggregate_test_util.hpp"

namespace {

std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};

}  // namespace

// GCC flags free() on memory from operator new even when, as here, new and delete are replaced
// together with malloc/free; the pairing is consistent, so the warning does not apply.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}
#pragma GCC diagnostic pop

namespace fanfold::activities {
namespace {

// Allocations made by Feed calls alone, feeding `file` in pieces of `piece` bytes.
std::size_t AllocationsWhileFeeding(const std::string& file, std::size_t piece,
                                    ChunkPartial* partial) {
  auto aggregator = ChunkAggregator::Create({0, 0, file.size()}, file.size(), InputFormat::kAuto);
  EXPECT_TRUE(aggregator.ok());
  allocations = 0;
  counting = true;
  for (std::size_t offset = 0; offset < file.size(); offset += piece) {
    aggregator->Feed(file.data() + offset, std::min(piece, file.size() - offset));
  }
  counting = false;
  const std::size_t made = allocations;
  auto result = aggregator->Finish();
  EXPECT_TRUE(result.ok());
  if (result.ok()) *partial = *result;
  return made;
}

TEST(NoAllocationTest, RowsDoNotAllocate) {
  const std::string sample = testing_util::ReadFileOrDie(testing_util::SampleFilePath());
  ChunkPartial partial;
  for (const std::size_t piece : {sample.size(), std::size_t{4096}, std::size_t{1}}) {
    const std::size_t made = AllocationsWhileFeeding(sample, piece, &partial);
    EXPECT_EQ(partial.rows, 3000);
    // Carry growth only (std::string doubles up to the 222-byte longest line).
    EXPECT_LE(made, 6u) << "pieces of " << piece;
    if (piece == sample.size()) {
      EXPECT_EQ(made, 0u);  // no line ever spans two pieces
    }
  }
}

TEST(NoAllocationTest, RejectsAllocateOnlyForTheirFirstSamples) {
  std::string file;
  for (int i = 0; i < 3000; ++i) {
    file += (i % 3 == 0) ? "a|b|c|99|e|1.00|g|h|\n" : (i % 3 == 1) ? "a|b|c|1|e|x|g|h|\n" : "a|b\n";
  }
  ChunkPartial partial;
  const std::size_t made = AllocationsWhileFeeding(file, file.size(), &partial);
  EXPECT_EQ(partial.rejected_rows(), 3000);
  // Three reasons, five samples each: a handful of vector growths, not 3000 allocations.
  EXPECT_LE(made, 12u);
}

}  // namespace
}  // namespace fanfold::activities

#include "datagen/text_pool.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <utility>
#include <vector>

#include "datagen/counter_rng.hpp"
#include "datagen/text_grammar.hpp"

namespace fanfold::datagen {
namespace {

// Small enough that two threads share the work evenly, large enough that the partial sentence
// cut at a segment's end is rare relative to its content.
constexpr std::size_t kSegmentBytes = std::size_t{1} << 20;

std::string BuildSegment(std::uint64_t seed, std::size_t index, std::size_t target) {
  CounterRng rng(seed, RandomDomain::kTextPool, index);
  std::string segment;
  segment.reserve(target + 256);
  while (segment.size() < target)
    AppendSentence(rng, &segment);
  return segment;
}

}  // namespace

TextPool TextPool::Build(std::uint64_t seed, std::size_t bytes, int threads) {
  bytes = std::max(bytes, kMinTextPoolBytes);
  const std::size_t segment_count = (bytes + kSegmentBytes - 1) / kSegmentBytes;
  const std::size_t segment_target = std::min(bytes, kSegmentBytes);
  std::vector<std::string> segments(segment_count);
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < segment_count; i = next++) {
      segments[i] = BuildSegment(seed, i, segment_target);
    }
  };
  const std::size_t helpers =
      std::min<std::size_t>(segment_count, static_cast<std::size_t>(std::max(threads, 1))) - 1;
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < helpers; ++i)
    pool.emplace_back(work);
  work();
  for (auto& thread : pool)
    thread.join();

  std::string text;
  text.reserve(bytes + segment_count);
  for (const auto& segment : segments) {
    if (!text.empty()) text.push_back(' ');
    text.append(segment);
    if (text.size() >= bytes) break;
  }
  text.resize(bytes);
  return TextPool(std::move(text));
}

}  // namespace fanfold::datagen

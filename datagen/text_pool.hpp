// The pseudo-text pool every comment is cut from (TPC-H clause 4.2.2): grammar sentences joined
// by single spaces. A comment of length L is the pool's bytes at a random offset in
// [0, size - L], so it usually starts and ends mid-word, exactly like dbgen's. Immutable once
// built and shared read-only by all generator threads.
//
// The pool is built as independent segments, each a run of whole sentences from its own counter
// stream (seed, segment), joined by one space and truncated to the requested size; its bytes
// therefore depend on the seed and size only, never on the number of threads that built it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace fanfold::datagen {

// The specification's pool is 300 MB. A 16 MiB pool keeps start-up under ~0.1 s and memory
// small; the word statistics of a cut are the same, and the 16M offsets x 88 lengths still give
// ~1.5 billion distinct comments.
inline constexpr std::size_t kDefaultTextPoolBytes = std::size_t{16} << 20;
// Below this a pool could not hold the longest comment with any choice of offset.
inline constexpr std::size_t kMinTextPoolBytes = 4096;

class TextPool {
 public:
  // `bytes` >= kMinTextPoolBytes (smaller values are raised to it); `threads` >= 1 build segments
  // in parallel.
  static TextPool Build(std::uint64_t seed, std::size_t bytes, int threads);

  std::size_t size() const { return text_.size(); }
  std::string_view text() const { return text_; }

 private:
  explicit TextPool(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace fanfold::datagen

// The pseudo-text pool every comment is cut from, exactly dbgen's (text.c): 300 MiB of grammar
// sentences (text_grammar.hpp) drawn from dbgen's text stream, joined by single spaces and cut at
// the size. A comment of length L is the pool's bytes at an offset uniform in [0, size - max L],
// so it usually starts and ends mid-word. The pool does not depend on the scale factor or the
// seed: it is the same 300 MiB for every table, built once per process run and shared read-only
// by all generator threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace fanfold::datagen {

inline constexpr std::size_t kTextPoolBytes = std::size_t{300} << 20;  // dbgen's TEXT_POOL_SIZE
// Initial state of dbgen's stream 5, "text pregeneration".
inline constexpr std::int64_t kTextPoolStreamSeed = 933'588'178;

class TextPool {
 public:
  // Builds the pool; `threads` >= 1 build it in parallel (the bytes are the same for any count).
  static TextPool Build(int threads);

  // The pool of this process: the one still held by someone, else a new one. Building takes a
  // few seconds and 300 MiB, so callers that generate many tables (tests) keep one alive.
  static std::shared_ptr<const TextPool> Acquire(int threads);

  std::size_t size() const { return text_.size(); }
  std::string_view text() const { return text_; }

 private:
  explicit TextPool(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace fanfold::datagen

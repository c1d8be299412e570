// Shared helpers of the datagen tests: generating a table into memory and walking its lines.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "datagen/customer_generator.hpp"
#include "datagen/text_pool.hpp"

namespace fanfold::datagen::testing_util {

// FNV-1a, 64 bits: a fingerprint of a large text, so a mismatch prints two numbers, not 300 MiB.
inline std::uint64_t Fnv1a64(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// The 300 MiB text pool of this test process, built once: GenerateCustomers uses the one that is
// alive instead of building its own.
inline const TextPool& SharedTextPool() {
  static const std::shared_ptr<const TextPool> pool = TextPool::Acquire(2);
  return *pool;
}

inline GenerateOptions Options(double sf, std::uint64_t seed, int threads) {
  GenerateOptions options;
  options.scale_factor = sf;
  options.seed = seed;
  options.threads = threads;
  return options;
}

inline std::string GenerateToString(const GenerateOptions& options) {
  SharedTextPool();
  std::string out;
  auto stats = GenerateCustomers(options, [&out](std::string_view bytes) {
    out.append(bytes);
    return storage::Status::Ok();
  });
  EXPECT_TRUE(stats.ok()) << stats.status().ToString();
  if (stats.ok()) {
    EXPECT_EQ(stats->bytes, out.size());
  }
  return out;
}

// Calls `visit` with every line of `text` (without its '\n'); returns how many there were.
inline std::int64_t ForEachLine(std::string_view text,
                                const std::function<void(std::string_view)>& visit) {
  std::int64_t lines = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    visit(text.substr(0, newline));
    ++lines;
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return lines;
}

}  // namespace fanfold::datagen::testing_util

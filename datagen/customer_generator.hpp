// Generates a whole CUSTOMER table as an ordered byte stream: worker threads fill fixed-size
// blocks of rows in parallel and the calling thread hands the blocks to a sink strictly in key
// order. At most 2 x threads blocks exist at once, so memory stays bounded (a few MB per thread)
// whatever the scale factor, and the bytes depend on (seed, scale factor, text pool size) only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "datagen/text_pool.hpp"
#include "storage/result.hpp"

namespace fanfold::datagen {

struct GenerateOptions {
  // Rows = round(scale_factor x 150,000); must give 1..999,999,999 rows. Default SF 1.
  double scale_factor = 1.0;
  // Same seed (and text_pool_bytes) -> same bytes, whatever `threads` is. Default 1.
  std::uint64_t seed = 1;
  // Generator threads, >= 1; the calling thread only writes. Default 1.
  int threads = 1;
  // Rows per block, the unit of parallel work and of each sink call; >= 1. Default 8,192
  // (about 1.3 MB).
  std::int64_t rows_per_block = 8192;
  // Size of the comment text pool (see text_pool.hpp). Part of the output's identity.
  std::size_t text_pool_bytes = kDefaultTextPoolBytes;
};

struct GenerateStats {
  std::int64_t rows = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;  // wall time, text pool included

  double megabytes_per_second() const {  // 1 MB = 10^6 bytes
    return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0;
  }
};

// Receives consecutive pieces of the output, each a whole number of rows. A non-OK status stops
// generation and is returned.
using ByteSink = std::function<storage::Status(std::string_view bytes)>;

storage::Result<GenerateStats> GenerateCustomers(const GenerateOptions& options,
                                                 const ByteSink& sink);

}  // namespace fanfold::datagen

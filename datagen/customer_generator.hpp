// Generates a whole CUSTOMER table, dbgen's bytes, as an ordered byte stream: worker threads fill
// fixed-size blocks of rows in parallel (each block starts its streams at its first key, see
// customer_row.hpp) and the calling thread hands the blocks to a sink strictly in key order. At
// most 2 x threads blocks exist at once, so memory is the 300 MiB text pool plus a few MB per
// thread whatever the scale factor, and the bytes depend on (seed, scale factor) only.
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
  // Rows by dbgen's rule (CustomerRowCount): 0.01 -> 1,500, 1 -> 150,000. Default SF 1.
  double scale_factor = 1.0;
  // 1 (the default) is dbgen's table; another seed S >= 1, dbgen's rows from key
  // (S - 1) x 10^9 + 1 on (customer_row.hpp). Same seed -> same bytes, whatever `threads` is.
  std::uint64_t seed = 1;
  // Generator threads, >= 1; the calling thread only writes. Default 1.
  int threads = 1;
  // Rows per block, the unit of parallel work and of each sink call; >= 1. Default 8,192
  // (about 1.3 MB).
  std::int64_t rows_per_block = 8192;
};

struct GenerateStats {
  std::int64_t rows = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;  // wall time, text pool included (unless another caller held it)

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

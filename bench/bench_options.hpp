// Command line of fanfold_storage_bench. Every option has a default, so running it bare measures
// everything with the settings bench/README.md documents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::bench {

struct BenchOptions {
  // Timed seconds of each (case, thread count). Default 3: with a fresh Azurite per case (about
  // 1.5 s to start) the full run then takes about 3 minutes on 2 cores.
  double seconds = 3.0;
  // Thread counts each case runs with. Default 1, 2, 4, 8.
  std::vector<int> threads = {1, 2, 4, 8};
  // Cases to run, in this order. Default all: the fanfold operations of ClientWorkloads, and
  // simple_table_get and simple_queue_peek (the bare libcurl baseline) after their fanfold twin.
  std::vector<std::string> cases;
  // Where to write the JSON results; "" (default) writes them to stdout.
  std::string output;
  uint64_t blob_mib = 64;     // size of the blob range reads read from. Default 64.
  uint64_t range_kib = 1024;  // size of one range read. Default 1024 (1 MiB).
  size_t queue_pool = 100;    // most messages a queue case lets pile up (one round). Default 100.
};

// The default case list, in the order a full run measures them.
const std::vector<std::string>& DefaultCases();

// Parses argv; InvalidArgument names the bad option. `help` is set for --help.
storage::Result<BenchOptions> ParseBenchOptions(int argc, char** argv, bool* help);
const char* BenchUsage();

}  // namespace fanfold::bench

#include "bench/bench_options.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace fanfold::bench {
namespace {

using storage::Result;
using storage::Status;

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, ','))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

// A whole decimal number in [low, high], or nullopt.
std::optional<long long> Number(const std::string& text, long long low, long long high) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || value < low || value > high) return std::nullopt;
  return value;
}

}  // namespace

const std::vector<std::string>& DefaultCases() {
  static const std::vector<std::string> cases = {
      "table_upsert", "table_get",   "simple_table_get", "queue_put",         "queue_get",
      "queue_delete", "queue_cycle", "queue_peek",       "simple_queue_peek", "blob_range_read"};
  return cases;
}

const char* BenchUsage() {
  return "usage: fanfold_storage_bench [--seconds S] [--threads 1,2,4,8] [--cases a,b,...]\n"
         "                             [--blob-mib 64] [--range-kib 1024] [--queue-pool 100]\n"
         "                             [--output results.json]\n"
         "Measures the storage clients against AZURE_STORAGE_CONNECTION_STRING, or, when that\n"
         "is unset, against a fresh private Azurite per case. Cases (default all, in order):\n"
         "  table_upsert table_get simple_table_get queue_put queue_get queue_delete\n"
         "  queue_cycle queue_peek simple_queue_peek blob_range_read\n";
}

Result<BenchOptions> ParseBenchOptions(int argc, char** argv, bool* help) {
  BenchOptions options;
  options.cases = DefaultCases();
  *help = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      *help = true;
      return options;
    }
    if (i + 1 >= argc) return Status::InvalidArgument(flag + " needs a value (or is unknown)");
    const std::string value = argv[++i];
    if (flag == "--seconds") {
      char* end = nullptr;
      options.seconds = std::strtod(value.c_str(), &end);
      if (*end != '\0' || !(options.seconds > 0 && options.seconds <= 3600)) {
        return Status::InvalidArgument("--seconds must be in (0, 3600]");
      }
    } else if (flag == "--threads") {
      options.threads.clear();
      for (const std::string& part : SplitCommas(value)) {
        const auto count = Number(part, 1, 256);
        if (!count) return Status::InvalidArgument("--threads takes counts from 1 to 256");
        options.threads.push_back(static_cast<int>(*count));
      }
      if (options.threads.empty()) return Status::InvalidArgument("--threads is empty");
    } else if (flag == "--cases") {
      options.cases = SplitCommas(value);
      for (const std::string& name : options.cases) {
        const auto& known = DefaultCases();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
          return Status::InvalidArgument("unknown case: " + name);
        }
      }
      if (options.cases.empty()) return Status::InvalidArgument("--cases is empty");
    } else if (flag == "--output") {
      options.output = value;
    } else if (flag == "--blob-mib") {
      const auto mib = Number(value, 1, 4096);
      if (!mib) return Status::InvalidArgument("--blob-mib must be 1 to 4096");
      options.blob_mib = static_cast<uint64_t>(*mib);
    } else if (flag == "--range-kib") {
      const auto kib = Number(value, 1, 1 << 20);
      if (!kib) return Status::InvalidArgument("--range-kib must be 1 to 1048576");
      options.range_kib = static_cast<uint64_t>(*kib);
    } else if (flag == "--queue-pool") {
      const auto pool = Number(value, 1, 1'000'000);
      if (!pool) return Status::InvalidArgument("--queue-pool must be 1 to 1000000");
      options.queue_pool = static_cast<size_t>(*pool);
    } else {
      return Status::InvalidArgument("unknown option " + flag);
    }
  }
  if (options.range_kib * 1024 > options.blob_mib * 1024 * 1024) {
    return Status::InvalidArgument("--range-kib must not exceed the blob");
  }
  return options;
}

}  // namespace fanfold::bench

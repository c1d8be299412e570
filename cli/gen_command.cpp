// fanfold gen: writes a TPC-H CUSTOMER table (the pipelines' input) at any scale factor, the same
// bytes for the same seed whatever the thread count, streamed in bounded memory.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>

#include "cli/command.hpp"
#include "datagen/customer_generator.hpp"
#include "datagen/customer_row.hpp"
#include "datagen/output_file.hpp"

namespace fanfold::cli {
namespace {

int UsageError(const std::string& message) {
  std::fprintf(stderr, "fanfold gen: %s\nRun 'fanfold gen --help' for usage.\n", message.c_str());
  return kExitUsage;
}

// A number such as "1", "0.01" or "1e-2", with nothing after it; its range is checked later.
bool ParseScaleFactor(const std::string& text, double* value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size() && std::isfinite(*value);
}

int RunGen(const Arguments& arguments) {
  if (!arguments.positionals().empty()) {
    return UsageError("unexpected argument '" + arguments.positionals()[0] + "'");
  }
  const auto sf_text = arguments.Value("sf");
  if (!sf_text) return UsageError("give the scale factor: --sf 1 is 150,000 rows");
  const auto output = arguments.Value("output");
  if (!output) return UsageError("give the output file: -o FILE, or -o - for standard output");

  datagen::GenerateOptions options;
  if (!ParseScaleFactor(*sf_text, &options.scale_factor)) {
    return UsageError("--sf must be a number such as 1 or 0.01, not '" + *sf_text + "'");
  }
  const auto rows = datagen::CustomerRowCount(options.scale_factor);
  if (!rows.ok()) return UsageError(rows.status().message());
  const auto seed = arguments.IntegerOr("seed", 1, 0, INT64_MAX);
  if (!seed.ok()) return UsageError(seed.status().message());
  options.seed = static_cast<std::uint64_t>(*seed);
  const long long cores = std::max(1u, std::thread::hardware_concurrency());
  const auto threads = arguments.IntegerOr("threads", cores, 1, 256);
  if (!threads.ok()) return UsageError(threads.status().message());
  options.threads = static_cast<int>(*threads);
  const auto pool_mb = arguments.IntegerOr(
      "text-pool-mb", static_cast<long long>(datagen::kDefaultTextPoolBytes >> 20), 1, 1024);
  if (!pool_mb.ok()) return UsageError(pool_mb.status().message());
  options.text_pool_bytes = static_cast<std::size_t>(*pool_mb) << 20;

  auto file = datagen::OutputFile::Create(*output);
  if (!file.ok()) {
    std::fprintf(stderr, "fanfold gen: %s\n", file.status().message().c_str());
    return kExitFailure;
  }
  auto stats = datagen::GenerateCustomers(
      options, [&file](std::string_view bytes) { return (*file)->Write(bytes); });
  storage::Status status = stats.ok() ? (*file)->Commit() : stats.status();
  if (!status.ok()) {
    std::fprintf(stderr, "fanfold gen: %s\n", status.message().c_str());
    return kExitFailure;  // the temporary file is removed when `file` goes
  }
  // The data owns standard output when it goes there; the summary then goes to stderr.
  std::FILE* report = (*file)->is_stdout() ? stderr : stdout;
  std::fprintf(report, "%s: %lld rows, %llu bytes in %.2f s (%.1f MB/s, %d threads, seed %llu)\n",
               (*file)->is_stdout() ? "standard output" : output->c_str(),
               static_cast<long long>(stats->rows), static_cast<unsigned long long>(stats->bytes),
               stats->seconds, stats->megabytes_per_second(), options.threads,
               static_cast<unsigned long long>(options.seed));
  return kExitOk;
}

}  // namespace

Command GenCommand() {
  return Command{
      "gen",
      "generate a TPC-H customer table (test and benchmark input)",
      "--sf X -o FILE [--seed S] [--threads N]",
      "Writes round(X x 150,000) rows of the TPC-H CUSTOMER table in dbgen's format\n"
      "('|'-separated, a trailing '|' on every line), generated from the TPC-H\n"
      "specification: X may be fractional (--sf 0.01 is 1,500 rows). The same seed gives\n"
      "the same bytes with any --threads. The file appears only when complete (it is\n"
      "written as FILE.tmp and renamed); -o - writes to standard output. Prints rows,\n"
      "bytes, seconds and MB/s (10^6 bytes/s). Exit status 0 on success, 2 for bad\n"
      "arguments, 1 when the file cannot be written.",
      {{"sf", true, "scale factor: 1 = 150,000 rows (about 24 MB)", "X"},
       {"output", true, "output file, or - for standard output", "FILE", 'o'},
       {"seed", true, "random seed, 0..2^63-1 (default 1)", "S"},
       {"threads", true, "generator threads (default: the number of cores)", "N"},
       {"text-pool-mb", true, "comment text pool size, part of the output (default 16)", "MB"}},
      RunGen};
}

}  // namespace fanfold::cli

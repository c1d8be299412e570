// fanfold gen: writes the TPC-H CUSTOMER table (the pipelines' input) at any scale factor, byte for
// byte what the reference generator's `dbgen -T c -s X` writes, with any thread count, streamed in
// bounded memory.
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

// A number such as "1", "0.01" or "1e-2", with nothing after it; its range is checked later.
bool ParseScaleFactor(const std::string& text, double* value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size() && std::isfinite(*value);
}

int RunGen(const Arguments& arguments) {
  if (!arguments.positionals().empty()) {
    return UsageError("gen", "unexpected argument '" + arguments.positionals()[0] + "'");
  }
  const auto sf_text = arguments.Value("sf");
  if (!sf_text) return UsageError("gen", "give the scale factor: --sf 1 is 150,000 rows");
  const auto output = arguments.Value("output");
  if (!output)
    return UsageError("gen", "give the output file: -o FILE, or -o - for standard output");

  datagen::GenerateOptions options;
  if (!ParseScaleFactor(*sf_text, &options.scale_factor)) {
    return UsageError("gen", "--sf must be a number such as 1 or 0.01, not '" + *sf_text + "'");
  }
  const auto rows = datagen::CustomerRowCount(options.scale_factor);
  if (!rows.ok()) return UsageError("gen", rows.status().message());
  const auto seed = arguments.IntegerOr("seed", 1, 1, INT64_MAX);
  if (!seed.ok()) return UsageError("gen", seed.status().message());
  options.seed = static_cast<std::uint64_t>(*seed);
  const long long cores = std::max(1u, std::thread::hardware_concurrency());
  const auto threads = arguments.IntegerOr("threads", cores, 1, 256);
  if (!threads.ok()) return UsageError("gen", threads.status().message());
  options.threads = static_cast<int>(*threads);

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
  return Command{"gen",
                 "generate a TPC-H customer table (test and benchmark input)",
                 "--sf X -o FILE [--seed S] [--threads N]",
                 "Writes the TPC-H CUSTOMER table exactly as the reference generator does:\n"
                 "the same bytes as `dbgen -T c -s X` (customer.tbl: '|'-separated, a trailing\n"
                 "'|' on every line), so the published answers hold (SF 1, nation 0: 5,925 rows,\n"
                 "mean balance 4442.70). Rows follow dbgen's rule: below 1, whole thousandths\n"
                 "(--sf 0.01 is 1,500 rows); from 1 on, the integer part (--sf 1 is 150,000).\n"
                 "--seed 1 (the default) is dbgen's table; another seed gives other rows with\n"
                 "the same distributions. Any --threads gives the same bytes; memory is dbgen's\n"
                 "300 MiB comment text pool plus a few MB per thread. The file appears only when\n"
                 "complete (written as FILE.tmp and renamed); -o - writes to standard output.\n"
                 "Prints rows, bytes, seconds and MB/s (10^6 bytes/s). Exit status 0 on success,\n"
                 "2 for bad arguments, 1 when the file cannot be written.",
                 {{"sf", true, "scale factor: 1 = 150,000 rows (24,346,144 bytes)", "X"},
                  {"output", true, "output file, or - for standard output", "FILE", 'o'},
                  {"seed", true, "1 (default) is dbgen's table; 2..2^63-1 other tables", "S"},
                  {"threads", true, "generator threads (default: the number of cores)", "N"}},
                 RunGen};
}

}  // namespace fanfold::cli

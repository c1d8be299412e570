// fanfold split: cuts a data file into N part files of whole lines, by contiguous ranges or round
// robin, to feed the pipelines several inputs or to reproduce `split --number=r/N` recipes.
#include <cstdio>
#include <string>

#include "cli/command.hpp"
#include "datagen/line_splitter.hpp"

namespace fanfold::cli {
namespace {

int RunSplit(const Arguments& arguments) {
  if (arguments.positionals().size() != 1) return UsageError("split", "give one input FILE");
  if (!arguments.Has("parts")) return UsageError("split", "give the number of parts: --parts N");
  const auto parts = arguments.IntegerOr("parts", 0, 1, datagen::kMaxSplitParts);
  if (!parts.ok()) return UsageError("split", parts.status().message());

  datagen::SplitOptions options;
  options.parts = static_cast<int>(*parts);
  options.round_robin = arguments.Has("round-robin");
  options.output_dir = arguments.ValueOr("output", ".");
  options.prefix = arguments.ValueOr("prefix", "");
  const std::string& input = arguments.positionals()[0];
  auto stats = datagen::SplitFile(input, options);
  if (!stats.ok()) {
    std::fprintf(stderr, "fanfold split: %s\n", stats.status().message().c_str());
    return stats.status().IsInvalidArgument() ? kExitUsage : kExitFailure;
  }
  for (const auto& part : stats->parts) {
    std::printf("%s  %lld lines  %llu bytes\n", part.path.c_str(),
                static_cast<long long>(part.lines), static_cast<unsigned long long>(part.bytes));
  }
  std::printf("%s: %lld lines, %llu bytes into %zu parts (%s) in %.2f s\n", input.c_str(),
              static_cast<long long>(stats->lines), static_cast<unsigned long long>(stats->bytes),
              stats->parts.size(), options.round_robin ? "round robin" : "contiguous",
              stats->seconds);
  return kExitOk;
}

}  // namespace

Command SplitCommand() {
  return Command{
      "split",
      "split a data file into N files of whole lines",
      "FILE --parts N [--round-robin] [-o DIR] [--prefix NAME]",
      "Splits FILE into N parts named NAME-00001EXT .. NAME-0000NEXT in DIR, where NAME\n"
      "defaults to FILE's name without extension and EXT is FILE's extension\n"
      "(customer.tbl -> customer-00001.tbl). By default part i holds the i-th contiguous\n"
      "range of lines, the line counts differing by at most one, so concatenating the\n"
      "parts gives FILE back; with --round-robin line i goes to part i mod N, like\n"
      "'split --number=r/N'. Lines are never broken; a last line without a newline\n"
      "stays without one. Streams in bounded memory; FILE must be a regular file. Parts\n"
      "are written as .tmp files and renamed when all are complete. Existing parts of\n"
      "the same names are replaced. Exit status 0 on success, 2 for bad arguments (N\n"
      "outside 1..1000, no FILE), 1 when FILE cannot be read or DIR cannot be written.",
      {{"parts", true, "number of parts, 1..1000", "N"},
       {"round-robin", false, "line i goes to part i mod N (default: contiguous ranges)"},
       {"output", true, "directory for the parts, created if missing (default .)", "DIR", 'o'},
       {"prefix", true, "part name prefix (default: FILE's name without extension)", "NAME"}},
      RunSplit};
}

}  // namespace fanfold::cli

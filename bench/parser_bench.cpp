// fanfold_parser_bench: the `aggregate` parser alone, on a customer file held in memory, on one
// pinned core. No storage, no threads, no I/O inside the timed region: what is left is the cost
// of turning bytes into per-nation exact sums, which bounds how fast one aggregate activity can
// go whatever the network gives it. Next to it runs a tight hand-written reader that trusts its
// input, as the yardstick of what one core can do on this file. Results are JSON; nothing here
// passes or fails, except that both readers must agree on every sum.
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "activities/chunk_aggregator.hpp"
#include "activities/chunk_partial.hpp"
#include "activities/chunk_plan.hpp"
#include "bench/comma_list.hpp"
#include "bench/system_info.hpp"

#ifndef FANFOLD_BUILD_TYPE
#define FANFOLD_BUILD_TYPE "unknown"
#endif
#ifndef FANFOLD_CXX_FLAGS
#define FANFOLD_CXX_FLAGS "unknown"
#endif

namespace fanfold::bench {
namespace {

using activities::ChunkAggregator;
using activities::ChunkPartial;
using activities::InputFormat;

const char* const kCaseNames[] = {"chunk_aggregator", "chunk_aggregator_pieces",
                                  "chunk_aggregator_chunks", "tight_reader"};

struct Options {
  std::string file = std::string(FANFOLD_SOURCE_DIR) + "/../shared/data/tpch/customer-sf1.tbl.xz";
  int repetitions = 10;
  // libcurl hands over at most CURLOPT_BUFFERSIZE bytes per write callback, 16 KiB unless set
  // (storage/curl_transport.cpp does not set it); 64 KiB is a transport that asks for more.
  std::vector<std::size_t> piece_bytes = {16 * 1024, 64 * 1024};
  std::uint32_t chunks = 8;
  int cpu = 0;  // -1: not pinned
  std::vector<std::string> cases{std::begin(kCaseNames), std::end(kCaseNames)};
  std::string output;
};

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "fanfold_parser_bench: %s\n", message.c_str());
  std::exit(1);
}

[[noreturn]] void Usage(const std::string& problem, int exit_code = 2) {
  std::fprintf(stderr,
               "fanfold_parser_bench: %s\n"
               "usage: fanfold_parser_bench [--file PATH] [--repetitions 10] [--piece-kib 16,64]\n"
               "         [--chunks 8] [--cpu 0|none] [--cases a,b] [--output FILE]\n"
               "  --file     a customer file: .tbl/.csv as is, .xz through `xz -dc`\n"
               "             (default: ../shared/data/tpch/customer-sf1.tbl.xz beside the source)\n"
               "  --cases    any of chunk_aggregator, chunk_aggregator_pieces,\n"
               "             chunk_aggregator_chunks, tight_reader (default: all)\n",
               problem.c_str());
  std::exit(exit_code);
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string LoadFile(const std::string& path) {
  std::string text;
  if (EndsWith(path, ".xz")) {
    if (path.find('\'') != std::string::npos) Fail("cannot quote a path holding ': " + path);
    FILE* pipe = popen(("xz -dc -- '" + path + "'").c_str(), "r");
    if (pipe == nullptr) Fail("cannot run xz");
    std::vector<char> buffer(1 << 20);
    std::size_t got = 0;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
      text.append(buffer.data(), got);
    if (pclose(pipe) != 0) Fail("xz -dc failed on " + path);
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) Fail("cannot open " + path);
    std::ostringstream contents;
    contents << in.rdbuf();
    text = std::move(contents).str();
  }
  if (text.empty()) Fail(path + " is empty");
  return text;
}

// What every reader must produce: rows and exact sums per nation key (0..max_key).
struct Totals {
  std::int64_t rows = 0;
  std::vector<activities::CentsSum> sums;
  std::vector<std::int64_t> counts;

  friend bool operator==(const Totals&, const Totals&) = default;
};

Totals FromPartial(const ChunkPartial& partial, std::int32_t max_key) {
  Totals totals;
  totals.rows = partial.rows;
  totals.sums.assign(static_cast<std::size_t>(max_key) + 1, 0);
  totals.counts.assign(static_cast<std::size_t>(max_key) + 1, 0);
  for (const auto& [key, nation] : partial.nations) {
    if (key < 0 || key > max_key) Fail("a nation key no other run saw: " + std::to_string(key));
    totals.sums[static_cast<std::size_t>(key)] = nation.sum_cents;
    totals.counts[static_cast<std::size_t>(key)] = nation.rows;
  }
  return totals;
}

ChunkPartial FinishOrDie(ChunkAggregator& aggregator) {
  auto partial = aggregator.Finish();
  if (!partial.ok()) Fail("aggregate failed: " + partial.status().ToString());
  return std::move(*partial);
}

ChunkAggregator CreateOrDie(const activities::ChunkRange& chunk, std::uint64_t file_size,
                            InputFormat format) {
  auto aggregator = ChunkAggregator::Create(chunk, file_size, format);
  if (!aggregator.ok()) Fail("cannot create an aggregator: " + aggregator.status().ToString());
  return std::move(*aggregator);
}

// The whole file as one chunk, one Feed: the parser with no piece boundaries at all.
ChunkPartial RunWhole(std::string_view file) {
  ChunkAggregator aggregator = CreateOrDie({0, 0, file.size()}, file.size(), InputFormat::kAuto);
  aggregator.Feed(file);
  return FinishOrDie(aggregator);
}

// As a download delivers it: pieces the size of a transport buffer, lines cut at their edges.
ChunkPartial RunPieces(std::string_view file, std::size_t piece_bytes) {
  ChunkAggregator aggregator = CreateOrDie({0, 0, file.size()}, file.size(), InputFormat::kAuto);
  for (std::size_t offset = 0; offset < file.size(); offset += piece_bytes) {
    aggregator.Feed(file.data() + offset, std::min(piece_bytes, file.size() - offset));
  }
  return FinishOrDie(aggregator);
}

// The plan a job would run, one chunk after another on this thread, then merged: adds each
// chunk's read-ahead and the merge to the parse.
ChunkPartial RunChunks(std::string_view file, const activities::ChunkPlan& plan,
                       InputFormat resolved) {
  std::vector<ChunkPartial> partials;
  partials.reserve(plan.chunks.size());
  for (const activities::ChunkRange& chunk : plan.chunks) {
    ChunkAggregator aggregator =
        CreateOrDie(chunk, file.size(), chunk.begin == 0 ? InputFormat::kAuto : resolved);
    const activities::ByteRange window = aggregator.read_window();
    aggregator.Feed(file.substr(window.begin, window.size()));
    partials.push_back(FinishOrDie(aggregator));
  }
  auto merged = activities::MergePartials(partials);
  if (!merged.ok()) Fail("merge failed: " + merged.status().ToString());
  return std::move(*merged);
}

// The yardstick: what a reader that trusts dbgen's layout costs. It finds the '|' before
// c_nationkey and c_acctbal, reads both numbers assuming they are well formed, and jumps to the
// next line; no field count, no range checks, no '\r', no format detection, int64 sums. A file
// it misreads shows up as a disagreement with the aggregator, which aborts the run.
Totals TightReader(std::string_view file, std::int32_t max_key) {
  std::vector<std::int64_t> sums(static_cast<std::size_t>(max_key) + 1, 0);
  std::vector<std::int64_t> counts(static_cast<std::size_t>(max_key) + 1, 0);
  const char* p = file.data();
  const char* const end = p + file.size();
  const auto next_bar = [end](const char* from) {
    const void* bar = std::memchr(from, '|', static_cast<std::size_t>(end - from));
    if (bar == nullptr) Fail("tight_reader: a line with too few fields");
    return static_cast<const char*>(bar) + 1;
  };
  std::int64_t rows = 0;
  while (p < end) {
    p = next_bar(next_bar(next_bar(p)));  // past c_custkey, c_name, c_address
    std::uint32_t key = 0;
    while (*p != '|')
      key = key * 10 + static_cast<std::uint32_t>(*p++ - '0');
    p = next_bar(p + 1);  // past c_phone
    const bool negative = *p == '-';
    p += negative;
    std::int64_t cents = 0;
    for (; *p != '|'; ++p) {
      if (*p != '.') cents = cents * 10 + (*p - '0');  // dbgen always writes two decimals
    }
    if (key > static_cast<std::uint32_t>(max_key)) Fail("tight_reader: nation key out of range");
    sums[key] += negative ? -cents : cents;
    ++counts[key];
    ++rows;
    const void* newline = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    p = newline == nullptr ? end : static_cast<const char*>(newline) + 1;
  }
  Totals totals;
  totals.rows = rows;
  totals.sums.assign(sums.begin(), sums.end());
  totals.counts = std::move(counts);
  return totals;
}

struct Timing {
  std::vector<double> seconds;
  double best() const { return *std::min_element(seconds.begin(), seconds.end()); }
  double median() const {
    std::vector<double> sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
};

// One untimed run first (it also gives the result to verify), then `repetitions` timed ones,
// each of which must give the same totals. Only `run` is timed, not the conversion to Totals.
template <typename Run, typename ToTotals>
Timing Measure(int repetitions, Totals* result, Run run, ToTotals to_totals) {
  *result = to_totals(run());
  Timing timing;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto value = run();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    timing.seconds.push_back(elapsed.count());
    if (!(to_totals(value) == *result)) Fail("a repetition gave different totals");
  }
  return timing;
}

std::string Compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("g++ ") + __VERSION__;
#else
  return "unknown";
#endif
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(arg + " needs a value");
      return argv[++i];
    };
    const auto number = [&](long min, long max) {
      const std::string text = value();
      char* rest = nullptr;
      const long parsed = std::strtol(text.c_str(), &rest, 10);
      if (text.empty() || *rest != '\0' || parsed < min || parsed > max) {
        Usage(arg + " must be a number from " + std::to_string(min) + " to " + std::to_string(max));
      }
      return parsed;
    };
    if (arg == "--file") {
      options.file = value();
    } else if (arg == "--repetitions") {
      options.repetitions = static_cast<int>(number(1, 100000));
    } else if (arg == "--piece-kib") {
      options.piece_bytes.clear();
      for (const std::string& item : SplitCommaList(value())) {
        char* rest = nullptr;
        const long kib = std::strtol(item.c_str(), &rest, 10);
        if (*rest != '\0' || kib < 1 || kib > (1 << 20))
          Usage("--piece-kib takes KiB from 1 to 1048576");
        options.piece_bytes.push_back(static_cast<std::size_t>(kib) * 1024);
      }
      if (options.piece_bytes.empty()) Usage("--piece-kib is empty");
    } else if (arg == "--chunks") {
      options.chunks = static_cast<std::uint32_t>(number(1, activities::kMaxChunks));
    } else if (arg == "--cpu") {
      const std::string text = i + 1 < argc ? argv[i + 1] : "";
      if (text == "none") {
        ++i;
        options.cpu = -1;
      } else {
        options.cpu = static_cast<int>(number(0, CPU_SETSIZE - 1));
      }
    } else if (arg == "--cases") {
      options.cases = SplitCommaList(value());
      for (const std::string& name : options.cases) {
        if (std::find(std::begin(kCaseNames), std::end(kCaseNames), name) == std::end(kCaseNames)) {
          Usage("unknown case " + name);
        }
      }
      if (options.cases.empty()) Usage("--cases is empty");
    } else if (arg == "--output") {
      options.output = value();
    } else if (arg == "--help" || arg == "-h") {
      Usage("measures the aggregate parser on one core", 0);
    } else {
      Usage("unknown argument " + arg);
    }
  }
  return options;
}

}  // namespace
}  // namespace fanfold::bench

int main(int argc, char** argv) {
  using namespace fanfold::bench;
  const Options options = ParseOptions(argc, argv);
  std::string command;
  for (int i = 0; i < argc; ++i)
    command += (i ? " " : "") + std::string(argv[i]);

  // Before pinning, which would make nproc 1.
  const MachineInfo machine = ReadMachineInfo();
  // "On one core": everything, the loading included, stays on the CPU we pin to, so no run is
  // measured while the scheduler moves the thread and its cache behind it.
  if (options.cpu >= 0) {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(options.cpu, &cpus);
    if (sched_setaffinity(0, sizeof cpus, &cpus) != 0) {
      Fail("cannot pin to CPU " + std::to_string(options.cpu) + ": " + std::strerror(errno));
    }
  }

  nlohmann::json report;
  report["command_line"] = command;
  if (const char* script = std::getenv("FANFOLD_BENCH_SCRIPT_COMMAND")) {
    report["script_command_line"] = script;
  }
  report["started_at"] = UtcNow();
  const SourceInfo source = ReadSourceInfo(FANFOLD_SOURCE_DIR);
  report["git"] = {{"commit", source.git_commit}, {"dirty", source.git_dirty}};
  report["machine"] = machine.ToJson();
  report["build"] = {{"build_type", FANFOLD_BUILD_TYPE},
                     {"cxx_flags", FANFOLD_CXX_FLAGS},
                     {"compiler", Compiler()}};

  std::fprintf(stderr, "loading %s\n", options.file.c_str());
  const std::string file = LoadFile(options.file);
  const std::string_view view = file;

  // The reference result, and the format the chunked case hands to its later chunks.
  const ChunkPartial reference = RunWhole(view);
  if (reference.rows == 0) Fail("the file holds no rows");
  const std::int32_t max_key = reference.nations.rbegin()->first;
  auto plan = fanfold::activities::PlanChunks(file.size(), options.chunks);
  if (!plan.ok()) Fail("cannot plan chunks: " + plan.status().ToString());

  report["settings"] = {{"file", std::filesystem::path(options.file).lexically_normal().string()},
                        {"bytes", file.size()},
                        {"format", fanfold::activities::InputFormatName(reference.format)},
                        {"rows", reference.rows},
                        {"rejected_rows", reference.rejected_rows()},
                        {"nations", reference.nations.size()},
                        {"repetitions", options.repetitions},
                        {"piece_bytes", options.piece_bytes},
                        {"chunks", plan->chunks.size()},
                        {"pinned_cpu", options.cpu >= 0 ? nlohmann::json(options.cpu) : nullptr},
                        {"gigabyte", 1e9}};
  report["load_average_at_start"] = LoadAverages();

  // Refused before anything is measured rather than after the other cases.
  const bool clean = reference.format == InputFormat::kTpch && reference.rejected_rows() == 0 &&
                     reference.empty_lines == 0 && !reference.header_skipped;
  if (!clean && std::find(options.cases.begin(), options.cases.end(), "tight_reader") !=
                    options.cases.end()) {
    Fail(
        "tight_reader reads only clean dbgen files (tpch, no rejects, empty lines or header); "
        "leave it out with --cases");
  }
  const Totals expected = FromPartial(reference, max_key);
  nlohmann::json results = nlohmann::json::array();
  const auto record = [&](const std::string& name, const std::string& description,
                          const Totals& totals, const Timing& timing, nlohmann::json extra) {
    if (!(totals == expected)) {
      Fail(name + " disagrees with the whole-file aggregator on rows or per-nation sums");
    }
    const double bytes = static_cast<double>(file.size());
    nlohmann::json entry = {
        {"case", name},
        {"description", description},
        {"bytes", file.size()},
        {"rows", totals.rows},
        {"repetitions", timing.seconds.size()},
        {"seconds", {{"best", timing.best()}, {"median", timing.median()}}},
        {"gb_per_second",
         {{"best", bytes / timing.best() / 1e9}, {"median", bytes / timing.median() / 1e9}}},
        {"mrows_per_second", static_cast<double>(totals.rows) / timing.best() / 1e6},
        {"all_seconds", timing.seconds}};
    entry.update(extra);
    const std::string label =
        extra.contains("piece_bytes")
            ? name + " " + std::to_string(extra["piece_bytes"].get<std::size_t>() / 1024) + "K"
            : name;
    std::fprintf(stderr, "%-28s best %6.3f GB/s  median %6.3f GB/s  (%.2f ms best)\n",
                 label.c_str(), bytes / timing.best() / 1e9, bytes / timing.median() / 1e9,
                 timing.best() * 1e3);
    results.push_back(std::move(entry));
  };

  const auto partial_totals = [max_key](const ChunkPartial& partial) {
    return FromPartial(partial, max_key);
  };
  const auto same = [](const Totals& totals) { return totals; };
  for (const std::string& name : options.cases) {
    Totals totals;
    if (name == "chunk_aggregator") {
      const Timing timing = Measure(
          options.repetitions, &totals, [&] { return RunWhole(view); }, partial_totals);
      record(name, "ChunkAggregator, whole file as one chunk, fed in one piece", totals, timing,
             nlohmann::json::object());
    } else if (name == "chunk_aggregator_pieces") {
      for (const std::size_t piece : options.piece_bytes) {
        const Timing timing = Measure(
            options.repetitions, &totals, [&] { return RunPieces(view, piece); }, partial_totals);
        record(name,
               "ChunkAggregator, whole file as one chunk, fed in " + std::to_string(piece) +
                   "-byte pieces",
               totals, timing, {{"piece_bytes", piece}});
      }
    } else if (name == "chunk_aggregator_chunks") {
      const Timing timing = Measure(
          options.repetitions, &totals, [&] { return RunChunks(view, *plan, reference.format); },
          partial_totals);
      record(name,
             "PlanChunks into " + std::to_string(plan->chunks.size()) +
                 " chunks, each a ChunkAggregator over its read window, one after another, "
                 "then MergePartials",
             totals, timing, {{"chunks", plan->chunks.size()}});
    } else if (name == "tight_reader") {
      const Timing timing = Measure(
          options.repetitions, &totals, [&] { return TightReader(view, max_key); }, same);
      record(name, "hand-written baseline: two fields read, no validation, int64 sums", totals,
             timing, nlohmann::json::object());
    }
  }

  report["results"] = std::move(results);
  report["load_average_at_end"] = LoadAverages();
  report["finished_at"] = UtcNow();
  const std::string text = report.dump(2);
  if (options.output.empty()) {
    std::printf("%s\n", text.c_str());
  } else {
    std::ofstream out(options.output);
    out << text << "\n";
    if (!out) Fail("cannot write " + options.output);
  }
  return 0;
}

// Suite 5: the same query on the same files by other means, as yardsticks for the pipelines:
// the download alone (the floor of any job that reads the blob), fanfold's parser alone, DuckDB
// and awk.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "activities/chunk_aggregator.hpp"
#include "activities/mean_balance.hpp"
#include "bench/pipeline_bench_process.hpp"
#include "bench/pipeline_bench_suites.hpp"
#include "bench/pipeline_bench_summary.hpp"
#include "storage/blob/blob_service_client.hpp"
#include "tests/support/azurite_process.hpp"

namespace fanfold::bench {
namespace {

using Steady = std::chrono::steady_clock;

double Since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

nlohmann::json Entry(const std::string& file, const std::string& method,
                     const std::vector<double>& seconds, bool exact, const std::string& note) {
  return {
      {"file", file},
      {"method", method},
      {"available", true},
      {"seconds_best", seconds.empty() ? 0.0 : *std::min_element(seconds.begin(), seconds.end())},
      {"seconds_median", Median(seconds)},
      {"repetitions", seconds.size()},
      {"all_seconds", seconds},
      {"exact", exact},
      {"note", note}};
}

nlohmann::json Unavailable(const std::string& file, const std::string& method,
                           const std::string& reason) {
  return {
      {"file", file}, {"method", method}, {"available", false}, {"exact", false}, {"note", reason}};
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return std::move(contents).str();
}

nlohmann::json Download(const InputSpec& file, const Reference& reference, int repetitions) {
  auto azurite = testing::AzuriteProcess::Start();
  if (!azurite.ok()) return Unavailable(file.id, "download", azurite.status().ToString());
  auto account = storage::StorageAccount::FromConnectionString((*azurite)->connection_string());
  if (!account.ok()) return Unavailable(file.id, "download", account.status().ToString());
  const storage::BlobServiceClient service(*account);
  const auto container = service.GetContainerClient("baseline");
  const auto blob = container.GetBlobClient("customer.tbl");
  if (auto created = container.CreateIfNotExists(); !created.ok()) {
    return Unavailable(file.id, "download", created.status().ToString());
  }
  if (auto put = blob.UploadFile(file.path); !put.ok()) {
    return Unavailable(file.id, "download", put.status().ToString());
  }
  std::vector<double> seconds;
  bool exact = true;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = Steady::now();
    auto content = blob.DownloadToString();
    seconds.push_back(Since(start));
    if (!content.ok()) return Unavailable(file.id, "download", content.status().ToString());
    exact = exact && content->data.size() == reference.bytes;
  }
  return Entry(file.id, "download", seconds, exact,
               "Get Blob of the whole file from a fresh private Azurite into memory with "
               "storage::BlobClient::DownloadToString; exact = every byte arrived");
}

nlohmann::json Parser(const InputSpec& file, const Reference& reference, int repetitions) {
  const std::string text = ReadWhole(file.path);
  std::vector<double> seconds;
  bool exact = true;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = Steady::now();
    auto partial = activities::AggregateChunkInMemory(text, {0, 0, text.size()},
                                                      activities::InputFormat::kAuto);
    seconds.push_back(Since(start));
    if (!partial.ok()) return Unavailable(file.id, "parser", partial.status().ToString());
    exact = exact && MatchesReference(reference, activities::ComputeMeanBalances(*partial));
  }
  return Entry(file.id, "parser", seconds, exact,
               "activities::AggregateChunkInMemory: ChunkAggregator over the whole file held in "
               "memory as one chunk, one thread, no storage (bench/parser_bench.cpp measures "
               "it in detail)");
}

nlohmann::json DuckDb(const BenchEnvironment& env, const InputSpec& file,
                      const Reference& reference, int repetitions) {
  const std::string script = env.options.duckdb_dir + "/query.mjs";
  const std::string module = env.options.duckdb_dir + "/node_modules/@duckdb/node-api";
  if (std::ifstream(module + "/package.json").fail()) {
    return Unavailable(file.id, "duckdb",
                       "@duckdb/node-api is not installed in " + env.options.duckdb_dir +
                           "/node_modules (npm install failed or was not run)");
  }
  const std::string err = env.workers.work_dir + "/duckdb.err";
  const auto start = Steady::now();
  auto out = RunCapture({"/usr/bin/env", "node", script, file.path, std::to_string(repetitions)},
                        std::chrono::seconds(600), err);
  const double process_seconds = Since(start);
  if (!out.ok()) {
    return Unavailable(file.id, "duckdb", out.status().ToString() + ": " + FileTail(err, 500));
  }
  const auto json = nlohmann::json::parse(*out, nullptr, false);
  if (json.is_discarded() || !json.contains("seconds")) {
    return Unavailable(file.id, "duckdb", "query.mjs printed no result");
  }
  Reference got;
  for (const auto& nation : json["nations"]) {
    ReferenceNation& totals = got.nations[nation["nation"].get<std::int32_t>()];
    totals.rows = nation["rows"].get<std::int64_t>();
    totals.sum_cents = std::stoll(nation["sum_cents"].get<std::string>());
  }
  const bool exact = got.nations == reference.nations;
  auto entry = Entry(file.id, "duckdb", json["seconds"].get<std::vector<double>>(), exact,
                     "DuckDB " + json.value("duckdb_version", std::string("?")) +
                         " (@duckdb/node-api, bench/duckdb/query.mjs), read_csv with '|', "
                         "c_acctbal as DECIMAL(15,2), " +
                         std::to_string(json.value("threads", 0)) +
                         " threads; seconds are the query alone, timed inside node, each "
                         "repetition reading the file again");
  entry["startup_seconds"] = json.value("startup_seconds", 0.0);
  entry["process_seconds"] = process_seconds;
  return entry;
}

nlohmann::json Awk(const BenchEnvironment& env, const InputSpec& file, const Reference& reference,
                   int repetitions) {
  const std::string program =
      "{n[$4]++; s[$4]+=$6} END{for (k in n) printf \"%d %d %.2f\\n\", k, n[k], s[k]}";
  std::vector<double> seconds;
  std::string out;
  const std::string err = env.workers.work_dir + "/awk.err";
  for (int i = 0; i < repetitions; ++i) {
    const auto start = Steady::now();
    auto run = RunCapture({"/usr/bin/env", "awk", "-F|", program, file.path},
                          std::chrono::seconds(600), err);
    seconds.push_back(Since(start));
    if (!run.ok()) return Unavailable(file.id, "awk", run.status().ToString());
    out = std::move(*run);
  }
  Reference got;
  std::istringstream lines(out);
  long long nation = 0;
  long long rows = 0;
  double sum = 0;
  while (lines >> nation >> rows >> sum) {
    ReferenceNation& totals = got.nations[static_cast<std::int32_t>(nation)];
    totals.rows = rows;
    totals.sum_cents = std::llround(sum * 100.0);
  }
  std::string version = "awk";
  auto described = RunCapture({"/usr/bin/env", "awk", "-W", "version"}, std::chrono::seconds(10));
  if (described.ok()) version = described->substr(0, described->find('\n'));
  return Entry(file.id, "awk", seconds, got.nations == reference.nations,
               version +
                   ": awk -F'|' '{n[$4]++; s[$4]+=$6} END{...}', one process; sums are "
                   "doubles printed with %.2f and compared to the exact sums to the cent "
                   "(exact = every count and every rounded sum equal)");
}

}  // namespace

storage::Result<nlohmann::json> RunBaselines(const BenchEnvironment& env) {
  nlohmann::json entries = nlohmann::json::array();
  const int repetitions = env.plan.baseline_repetitions;
  for (const char* id : {"sf1", "sf10", "sf40"}) {
    const auto it = env.files.find(id);
    if (it == env.files.end()) continue;
    const InputSpec& file = it->second;
    const Reference& reference = *env.ReferenceOf(file.path);
    for (const char* method : {"download", "parser", "duckdb", "awk"}) {
      // The 1 GB file is there to compare a job with its download; awk and DuckDB on it would
      // add minutes and say nothing the smaller files do not.
      const bool other_engine = std::string(method) == "duckdb" || std::string(method) == "awk";
      if (std::string(id) == "sf40" && other_engine) continue;
      std::fprintf(stderr, "pipeline bench: baseline %s %s...\n", id, method);
      nlohmann::json entry;
      if (std::string(method) == "download") entry = Download(file, reference, repetitions);
      if (std::string(method) == "parser") entry = Parser(file, reference, repetitions);
      if (std::string(method) == "duckdb") entry = DuckDb(env, file, reference, repetitions);
      if (std::string(method) == "awk") entry = Awk(env, file, reference, repetitions);
      if (entry["available"].get<bool>()) {
        std::fprintf(stderr, "pipeline bench: baseline %s %s: best %.3f s, median %.3f s%s\n", id,
                     method, entry["seconds_best"].get<double>(),
                     entry["seconds_median"].get<double>(),
                     entry["exact"].get<bool>() ? ", exact" : ", NOT EXACT");
      } else {
        std::fprintf(stderr, "pipeline bench: baseline %s %s unavailable: %s\n", id, method,
                     entry["note"].get<std::string>().c_str());
      }
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

}  // namespace fanfold::bench

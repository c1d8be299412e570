#include "report/values.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "report/cost_model.hpp"
#include "report/job_cost.hpp"
#include "report/meters.hpp"
#include "report/reductions.hpp"
#include "report/test_results.hpp"

namespace fanfold::report {
namespace {

using storage::Result;

std::string Row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& c : cells)
    out += " " + c + " |";
  return out + "\n";
}
std::string Header(const std::vector<std::string>& cells, const std::string& align) {
  std::string out = Row(cells) + "|";
  for (char a : align)
    out += a == 'r' ? "--:|" : a == 'c' ? ":-:|" : "---|";
  return out + "\n";
}

std::string SourceLine(const PipelineResults& r) {
  return "\n*Source: `" + r.path + "` (`" + r.command +
         "`), computed by `bash report/generate.sh`.*\n";
}

std::vector<const InputFile*> FilesWithRuns(const PipelineResults& r) {
  std::vector<const InputFile*> out;
  for (const InputFile& f : r.files) {
    if (std::any_of(r.fanout.begin(), r.fanout.end(),
                    [&](const FanoutRun& run) { return run.file == f.id; })) {
      out.push_back(&f);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const InputFile* a, const InputFile* b) { return a->bytes < b->bytes; });
  return out;
}

std::string RunLabel(const FanoutRun& run) {
  return std::to_string(run.chunks) + " chunks, " + std::to_string(run.workers) + " worker" +
         (run.workers == 1 ? "" : "s");
}

std::string FilesTable(const PipelineResults& r) {
  std::string t = Header({"id", "bytes", "rows", "parts", "source"}, "lrrrl");
  for (const InputFile& f : r.files) {
    t += Row({"`" + f.id + "`", FmtInt(f.bytes), FmtInt(f.rows),
              f.parts > 0 ? std::to_string(f.parts) : "1", f.source});
  }
  return t + SourceLine(r);
}

std::string FanoutTable(const PipelineResults& r) {
  if (r.fanout.empty()) return "The results file has no fanout suite.\n";
  std::string t = Header({"file", "pipeline", "workers", "best chunks", "latency s", "MB/s",
                          "requests/chunk", "straggler ratio", "runs (exact / total)"},
                         "llrrrrrrr");
  for (const InputFile* file : FilesWithRuns(r)) {
    for (const std::string& pipeline : kPipelines) {
      std::set<int> workers;
      for (const FanoutRun& run : r.fanout) {
        if (run.file == file->id && run.pipeline == pipeline) workers.insert(run.workers);
      }
      for (int w : workers) {
        const FanoutRun* best = nullptr;
        int exact = 0, total = 0;
        for (const FanoutRun& run : r.fanout) {
          if (run.file != file->id || run.pipeline != pipeline || run.workers != w) continue;
          ++total;
          if (run.exact) ++exact;
          if (run.completed() && (!best || run.latency_seconds < best->latency_seconds)) {
            best = &run;
          }
        }
        if (best == nullptr) {
          t += Row({file->id, pipeline, std::to_string(w), "none completed", "", "", "", "",
                    std::to_string(exact) + " / " + std::to_string(total)});
          continue;
        }
        t += Row({file->id, pipeline, std::to_string(w), std::to_string(best->chunks),
                  Fmt(best->latency_seconds), Fmt(best->throughput_mb_per_s),
                  Fmt(static_cast<double>(best->requests_total) / best->chunks),
                  Fmt(best->straggler_ratio),
                  std::to_string(exact) + " / " + std::to_string(total)});
      }
    }
  }
  return t + SourceLine(r);
}

std::string CasesTable(const PipelineResults& r, const std::vector<LoadCase>& cases,
                       const std::string& suite) {
  if (cases.empty()) return "The results file has no " + suite + " suite.\n";
  std::vector<std::string> head = {"file set",
                                   "pipeline",
                                   "mode",
                                   "files",
                                   "workers",
                                   "chunks/file",
                                   "completed / exact / failed / unfinished",
                                   "jobs/min",
                                   "p50 s",
                                   "p95 s",
                                   "p99 s",
                                   "max s",
                                   "requests/job",
                                   "workers CPU share",
                                   "Azurite CPU share"};
  std::string align = "lllrrrrrrrrrrrr";
  if (suite == "faults") {
    head.insert(head.begin() + 3, "fault rate / injected / kills");
    align += "r";
  }
  std::string t = Header(head, align);
  for (const LoadCase& c : cases) {
    std::vector<std::string> row = {
        "`" + c.file_set + "`",
        c.pipeline,
        c.mode + (c.mode == "steady" ? " " + Fmt(c.rate_per_s) + "/s" : ""),
        std::to_string(c.files),
        std::to_string(c.workers),
        std::to_string(c.chunks_per_file),
        std::to_string(c.completed) + " / " + std::to_string(c.exact) + " / " +
            std::to_string(c.failed) + " / " + std::to_string(c.unfinished),
        Fmt(c.jobs_per_minute),
        Fmt(c.latency.p50),
        Fmt(c.latency.p95),
        Fmt(c.latency.p99),
        Fmt(c.latency.max),
        Fmt(c.requests_per_job),
        Fmt(c.workers_share),
        Fmt(c.azurite_share)};
    if (suite == "faults") {
      row.insert(row.begin() + 3, Fmt(c.fault_rate) + " / " + FmtInt(c.faults_injected) + " / " +
                                      std::to_string(c.kills));
    }
    t += Row(row);
  }
  return t + SourceLine(r);
}

std::string BaselinesTable(const PipelineResults& r) {
  if (r.baselines.empty()) return "The results file has no baselines.\n";
  std::string t =
      Header({"file", "method", "available", "best s", "median s", "repetitions", "exact", "note"},
             "llcrrrcl");
  for (const Baseline& b : r.baselines) {
    t += Row({b.file, b.method, b.available ? "yes" : "no", b.available ? Fmt(b.seconds_best) : "",
              b.available ? Fmt(b.seconds_median) : "", std::to_string(b.repetitions),
              b.exact ? (*b.exact ? "yes" : "no") : "not checked", b.note});
  }
  return t + SourceLine(r);
}

std::string PricesTable(const PriceTable& prices, const std::string& path) {
  std::string t =
      Header({"id", "service", "meter", "unit", "USD", "read on", "source", "read"}, "lllrrcll");
  for (const Price& p : prices.prices) {
    const std::string read_on = p.provenance == Provenance::kAssumed
                                    ? "**assumed**"
                                    : std::string(ProvenanceName(p.provenance));
    t += Row({"`" + p.id + "`", p.service, p.meter, p.unit, Fmt(p.usd, 4), read_on,
              "<" + p.source + ">", p.date_read});
  }
  return t + "\n*Source: `" + path + "` (" + prices.region + "; " + prices.account +
         "). Read on: `microsoft`, Microsoft's own pricing or documentation pages; "
         "`third-party`, a third-party page quoting Microsoft's prices or its retail price API; "
         "**assumed**, a best-known list price found in no material read, to check before "
         "quoting. Each entry's note says what was read.*\n";
}

std::string MetersTable(const PriceTable& prices) {
  std::string t = Header({"counter kind", "meter", "USD per 10,000", "why"}, "llrl");
  for (int i = 0; i < storage::kOperationKindCount; ++i) {
    const auto kind = static_cast<storage::OperationKind>(i);
    const MeterMapping m = MeterFor(kind);
    Result<Price> p = prices.Get(m.price_id);
    t += Row({"`" + std::string(storage::OperationKindName(kind)) + "`",
              p.ok() ? p->meter : m.price_id, p.ok() ? Fmt(p->usd, 4) : "?", m.why});
  }
  return t + "\n*Mapping: `report/meters.cpp`; prices: `report/prices.json`.*\n";
}

// The fanout run with the lowest latency (filter: file, pipeline, completed).
const FanoutRun* Pick(const PipelineResults& r, const std::string& file,
                      const std::string& pipeline,
                      const std::function<double(const FanoutRun&)>& key) {
  auto index = ArgMin<FanoutRun>(r.fanout, key, [&](const FanoutRun& run) {
    return run.file == file && run.pipeline == pipeline && run.completed();
  });
  return index ? &r.fanout[*index] : nullptr;
}

struct CostRow {
  const FanoutRun* run;
  RunCost cost;
};

std::string CostTable(const PipelineResults& r, const PriceTable& prices,
                      std::map<std::string, CostRow>* cheapest_out) {
  if (r.fanout.empty()) return "The results file has no fanout suite to price.\n";
  std::string t =
      Header({"file", "pipeline", "cheapest config", "requests", "requests $", "storage held $",
              "executions", "GB-s", "compute $", "total $ / job", "$ / GB", "Flex GB-s",
              "Flex compute $", "Flex total $ / job", "latency s"},
             "llrrrrrrrrrrrrr");
  for (const InputFile* file : FilesWithRuns(r)) {
    for (const std::string& pipeline : kPipelines) {
      const FanoutRun* run = CheapestRun(r, prices, file->id, pipeline);
      if (run == nullptr) continue;
      Result<RunCost> c = CostOfRun(*run, r, prices);
      if (!c.ok()) continue;
      (*cheapest_out)[file->id + "/" + pipeline] = {run, *c};
      uint64_t requests = 0;
      for (const auto& [price, n] : c->cost.requests_by_price)
        requests += n;
      t +=
          Row({file->id, pipeline, RunLabel(*run), FmtInt(static_cast<double>(requests)),
               FmtUsd(c->cost.requests_usd), FmtUsd(c->cost.file_held_usd + c->cost.state_held_usd),
               FmtInt(c->executions), Fmt(c->cost.gb_seconds), FmtUsd(c->cost.compute_usd()),
               FmtUsd(c->cost.total_usd()), FmtUsd(c->per_gb_usd), Fmt(c->cost.flex_gb_seconds),
               FmtUsd(c->cost.flex_compute_usd()), FmtUsd(c->cost.flex_total_usd()),
               Fmt(run->latency_seconds)});
    }
  }
  return t + SourceLine(r) +
         "*Compute on the Consumption plan (GB-s, compute $, total $, $ / GB) and on the Flex "
         "Consumption plan, on demand, with " +
         FmtInt(prices.flex_instance_memory_mb) +
         " MB instances (Flex columns); storage is the same on both. Prices: "
         "`report/prices.json`; model: `report/cost_model.cpp`, assumptions below.*\n";
}

// Cost per job at each fan-out width, for the file and worker count with the most runs; with
// work_only, only the requests the job itself causes (WorkRequests) are priced.
std::string CostFanoutTable(const PipelineResults& r, const PriceTable& prices, bool work_only) {
  if (r.fanout.empty()) return "The results file has no fanout suite.\n";
  std::map<std::pair<std::string, int>, int> count;
  for (const FanoutRun& run : r.fanout)
    ++count[{run.file, run.workers}];
  auto most = std::max_element(count.begin(), count.end(), [](const auto& a, const auto& b) {
    return a.second < b.second || (a.second == b.second && a.first.second < b.first.second);
  });
  const auto [file, workers] = most->first;
  std::set<int> widths;
  for (const FanoutRun& run : r.fanout) {
    if (run.file == file && run.workers == workers) widths.insert(run.chunks);
  }
  std::string t = "File `" + file + "`, " + std::to_string(workers) + " workers.\n\n" +
                  Header({"chunks", "orchestrated $ / job", "orch. requests", "orch. latency s",
                          "chained $ / job", "chained requests", "chained latency s", "cheaper"},
                         "rrrrrrrl");
  for (int w : widths) {
    std::vector<std::string> row = {std::to_string(w)};
    double usd[2] = {-1, -1};
    for (size_t p = 0; p < kPipelines.size(); ++p) {
      const FanoutRun* run = nullptr;
      for (const FanoutRun& x : r.fanout) {
        if (x.file == file && x.workers == workers && x.chunks == w &&
            x.pipeline == kPipelines[p] && x.completed()) {
          run = &x;
        }
      }
      Result<RunCost> c = run == nullptr ? Result<RunCost>(storage::Status::InvalidArgument("none"))
                          : work_only    ? WorkCostOfRun(*run, r, prices)
                                         : CostOfRun(*run, r, prices);
      if (!c.ok()) {
        row.insert(row.end(), {"", "", ""});
        continue;
      }
      usd[p] = c->cost.total_usd();
      uint64_t requests = 0;
      for (const auto& [price, n] : c->cost.requests_by_price)
        requests += n;
      row.insert(row.end(), {FmtUsd(usd[p]), FmtInt(static_cast<double>(requests)),
                             Fmt(run->latency_seconds)});
    }
    if (usd[0] >= 0 && usd[1] >= 0) {
      const Comparison cmp = CompareLowerIsBetter(kPipelines[0], usd[0], kPipelines[1], usd[1]);
      row.push_back(cmp.tie ? "about the same" : cmp.winner + " (" + Fmt(cmp.ratio) + "x)");
    } else {
      row.push_back("");
    }
    t += Row(row);
  }
  return t + SourceLine(r);
}

std::string RequestsTable(const PipelineResults& r) {
  // Per pipeline, the best run of the smallest file: requests per kind, per chunk.
  std::vector<const InputFile*> files = FilesWithRuns(r);
  if (files.empty()) return "The results file has no fanout suite.\n";
  std::string t;
  for (const InputFile* file : {files.front(), files.back()}) {
    std::vector<const FanoutRun*> runs;
    for (const std::string& p : kPipelines) {
      if (const FanoutRun* run = BestRun(r, file->id, p)) runs.push_back(run);
    }
    if (runs.empty()) continue;
    std::set<std::string> kinds;
    for (const FanoutRun* run : runs) {
      for (const auto& [k, n] : run->requests_by_kind)
        kinds.insert(k);
    }
    std::vector<std::string> head = {"kind"};
    for (const FanoutRun* run : runs)
      head.push_back(run->pipeline + " (" + RunLabel(*run) + ")");
    t += "Fastest run of each pipeline on `" + file->id + "`:\n\n" +
         Header(head, "l" + std::string(runs.size(), 'r'));
    for (const std::string& k : kinds) {
      std::vector<std::string> row = {"`" + k + "`"};
      for (const FanoutRun* run : runs) {
        auto it = run->requests_by_kind.find(k);
        row.push_back(
            FmtInt(it == run->requests_by_kind.end() ? 0.0 : static_cast<double>(it->second)));
      }
      t += Row(row);
    }
    std::vector<std::string> total = {"**total**"};
    for (const FanoutRun* run : runs)
      total.push_back(FmtInt(static_cast<double>(run->requests_total)));
    t += Row(total) + "\n";
    if (files.size() == 1) break;
  }
  return t + SourceLine(r);
}

std::string TestsTable(const std::vector<TestBinary>& tests) {
  std::string t = Header({"binary", "folder", "label", "sources", "what it covers"}, "lllrl");
  for (const TestBinary& b : tests) {
    t += Row({"`" + b.name + "`", "tests/" + b.folder, b.label, std::to_string(b.sources),
              b.comment.empty() ? "(no comment above its fanfold_add_test call)" : b.comment});
  }
  return t + "\n*Source: the `fanfold_add_test` calls of `tests/*/CMakeLists.txt` (" +
         std::to_string(tests.size()) + " binaries), read by `bash report/generate.sh`.*\n";
}

std::string Bullets(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines)
    out += "- " + l + "\n";
  return out;
}

// The idle worker's bill against how long the first job after a quiet spell waits, from
// bench/run-idle-bench.sh's file. Each idle poll is a Get Messages (class 1 queue operation).
std::string IdleCostTable(const nlohmann::json& idle, const std::string& path,
                          const PriceTable& prices) {
  if (!idle.is_object() || !idle.contains("idle_requests_per_hour")) {
    return "No idle measurement (`bash bench/run-idle-bench.sh` writes `" + path + "`).\n";
  }
  const double per_hour = idle.value("idle_requests_per_hour", 0.0);
  const Result<Price> price = prices.Get("queue_class1_10k");
  const double month_usd = price.ok() ? per_hour * 730 / 10'000 * price->usd : 0;
  std::string t =
      "| idle interval | requests an hour (measured) | per idle worker a month | first job after "
      "quiet | the next job |\n|---|---|---|---|---|\n";
  t += "| " + FmtInt(idle.value("idle_poll_ms", 0.0)) + " ms | " + FmtInt(per_hour) + " (" +
       FmtInt(idle.value("idle_requests", 0.0)) + " in " + Fmt(idle.value("measured_s", 0.0)) +
       " s) | " + (price.ok() ? "$" + Fmt(month_usd) : "no price") + " | " +
       Fmt(idle.value("first_job_after_quiet_s", 0.0)) + " s after " +
       FmtInt(idle.value("quiet_s", 0.0)) + " s idle | " + Fmt(idle.value("next_job_s", 0.0)) +
       " s |\n";
  return t + "\n*Source: `" + path + "` (`" + idle.value("command", std::string()) + "`, commit " +
         idle.value("git_commit", std::string()) + "; " + idle.value("job", std::string()) +
         ").*\n";
}

}  // namespace

const FanoutRun* BestRun(const PipelineResults& r, const std::string& file,
                         const std::string& pipeline) {
  return Pick(r, file, pipeline, [](const FanoutRun& run) { return run.latency_seconds; });
}

const FanoutRun* CheapestRun(const PipelineResults& r, const PriceTable& prices,
                             const std::string& file, const std::string& pipeline) {
  return Pick(r, file, pipeline, [&](const FanoutRun& run) {
    Result<RunCost> c = CostOfRun(run, r, prices);
    return c.ok() ? c->per_gb_usd : INFINITY;
  });
}

// Where more chunks stop paying: per file, pipeline and worker count, the width with the lowest
// latency, against the widest width run.
std::string FanoutKneeFindings(const PipelineResults& r) {
  std::map<std::tuple<std::string, std::string, int>, std::map<int, double>> latency;
  for (const FanoutRun& run : r.fanout) {
    if (run.completed())
      latency[{run.file, run.pipeline, run.workers}][run.chunks] = run.latency_seconds;
  }
  std::vector<std::string> lines;
  for (const auto& [key, by_width] : latency) {
    if (by_width.size() < 2) continue;
    const auto best =
        std::min_element(by_width.begin(), by_width.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    const auto& widest = *by_width.rbegin();
    const auto& [file, pipeline, workers] = key;
    std::string line = "`" + file + "`, " + pipeline + ", " + std::to_string(workers) +
                       " worker(s): fastest at " + std::to_string(best->first) + " chunks (" +
                       Fmt(best->second) + " s)";
    if (widest.first != best->first) {
      line += "; at " + std::to_string(widest.first) + " chunks " + Fmt(widest.second) + " s (" +
              Fmt(widest.second / best->second) + "x): more chunks stop paying past " +
              std::to_string(best->first);
    }
    lines.push_back(line + ".");
  }
  return lines.empty() ? "No fan-out widths to compare.\n" : Bullets(lines);
}

// What limits each scale case, read from its CPU figures: Azurite serves requests on one Node
// thread, so a share near 1.0 (one core) means the emulator is saturated; workers and Azurite
// together near the machine's cores means the CPUs are; neither means the job waits on hand-offs
// between processes (polls, visibility), not on work.
std::string BottleneckFindings(const PipelineResults& r) {
  if (r.scale.empty()) return "The results file has no scale suite.\n";
  const double cores = r.nproc > 0 ? r.nproc : 1;
  std::vector<std::string> lines;
  for (const LoadCase& c : r.scale) {
    const double total = c.workers_share + c.azurite_share;
    std::string verdict;
    if (c.azurite_share >= 0.85) {
      verdict = "Azurite's single thread is the bottleneck";
    } else if (total >= 0.85 * cores) {
      verdict = "the " + Fmt(cores) + " cores are the bottleneck";
    } else {
      verdict = "neither is saturated: the jobs wait on hand-offs (polls, queues), not on CPU";
    }
    lines.push_back("`" + c.file_set + "`, " + c.pipeline + ", " + std::to_string(c.workers) +
                    " worker(s): Azurite " + Fmt(c.azurite_share) + " of a core, workers " +
                    Fmt(c.workers_share) + " (together " + Fmt(total) + " of " + Fmt(cores) +
                    " cores): " + verdict + ".");
  }
  return Bullets(lines);
}

// Our end-to-end time as multiples of the baselines on the same file: each pipeline's best job
// latency (fanout suite) over each available baseline's best time.
std::string BaselineRatioFindings(const PipelineResults& r) {
  std::vector<std::string> lines;
  for (const InputFile* file : FilesWithRuns(r)) {
    for (const std::string& p : kPipelines) {
      const FanoutRun* run = BestRun(r, file->id, p);
      if (run == nullptr || run->latency_seconds <= 0) continue;
      std::string ratios;
      for (const Baseline& b : r.baselines) {
        if (b.file != file->id || !b.available || b.seconds_best <= 0) continue;
        ratios += (ratios.empty() ? "" : ", ") + Fmt(run->latency_seconds / b.seconds_best) + "x " +
                  b.method + " (" + Fmt(b.seconds_best) + " s)";
      }
      if (ratios.empty()) continue;
      lines.push_back("`" + file->id + "`, " + p + " (best job " + Fmt(run->latency_seconds) +
                      " s, " + RunLabel(*run) + "): " + ratios + ".");
    }
  }
  return lines.empty() ? "No baseline shares a file with the fanout suite.\n" : Bullets(lines);
}

// One line per use case the measurements cover: how files arrive (load cases: burst or steady,
// by file set) and how large one file is (fanout: best latency and cheapest per GB).
std::string RecommendationFindings(const PipelineResults& r, const PriceTable& prices) {
  std::vector<std::string> lines;
  for (const LoadCase& o : r.load) {
    if (o.pipeline != "orchestrated") continue;
    for (const LoadCase& c : r.load) {
      if (c.pipeline != "chained" || c.file_set != o.file_set || c.mode != o.mode ||
          c.workers != o.workers || c.rate_per_s != o.rate_per_s) {
        continue;
      }
      const Comparison cmp =
          CompareLowerIsBetter("orchestrated", o.latency.p95, "chained", c.latency.p95);
      const std::string arrival = o.mode == "burst" ? std::to_string(o.files) + " files at once"
                                                    : "a steady " + Fmt(o.rate_per_s) + " files/s";
      lines.push_back("Files of `" + o.file_set + "` arriving as " + arrival + ": " +
                      (cmp.tie ? "either (p95 within 5%)"
                               : cmp.winner + " (p95 " +
                                     Fmt(std::min(o.latency.p95, c.latency.p95)) + " s against " +
                                     Fmt(std::max(o.latency.p95, c.latency.p95)) + " s)") +
                      ".");
    }
  }
  for (const InputFile* file : FilesWithRuns(r)) {
    const FanoutRun* o = BestRun(r, file->id, "orchestrated");
    const FanoutRun* c = BestRun(r, file->id, "chained");
    const FanoutRun* oc = CheapestRun(r, prices, file->id, "orchestrated");
    const FanoutRun* cc = CheapestRun(r, prices, file->id, "chained");
    if (!o || !c || !oc || !cc) continue;
    auto ocost = CostOfRun(*oc, r, prices);
    auto ccost = CostOfRun(*cc, r, prices);
    if (!ocost.ok() || !ccost.ok()) continue;
    const Comparison fast =
        CompareLowerIsBetter("orchestrated", o->latency_seconds, "chained", c->latency_seconds);
    const Comparison cheap =
        CompareLowerIsBetter("orchestrated", ocost->per_gb_usd, "chained", ccost->per_gb_usd);
    lines.push_back("One file of " + Fmt(file->bytes / 1e6) + " MB (`" + file->id +
                    "`): " + (fast.tie ? "either is as fast" : fast.winner + " is faster") + " (" +
                    Fmt(o->latency_seconds) + " s orchestrated, " + Fmt(c->latency_seconds) +
                    " s chained at best); " +
                    (cheap.tie ? "both cost about the same" : cheap.winner + " is cheaper") +
                    " per GB.");
  }
  return lines.empty() ? "The results hold no case both pipelines ran.\n" : Bullets(lines);
}

Result<Values> ComputeValues(const ReportInputs& in) {
  const PipelineResults& r = in.results;
  const PriceTable& prices = in.prices;
  Values v;

  // Provenance.
  v["meta.results_path"] = "`" + r.path + "`";
  v["meta.results_command"] = "`" + r.command + "`";
  v["meta.size"] = r.size;
  v["meta.started"] = r.started;
  v["meta.finished"] = r.finished;
  v["meta.git"] =
      "`" + r.git_commit.substr(0, 12) + "`" + (r.git_dirty ? " (with uncommitted changes)" : "");
  v["meta.machine"] = std::to_string(r.nproc) + " CPUs (" + r.cpu_model + "), " +
                      Fmt(r.memory_total_kib / 1024 / 1024) + " GiB";
  v["meta.storage"] = r.storage_kind + (r.azurite_version.empty() ? "" : " " + r.azurite_version);
  v["meta.settings"] = "`" + (r.settings.is_null() ? std::string("{}") : r.settings.dump()) + "`";
  v["meta.prices_path"] = "`" + in.prices_path + "`";
  v["meta.region"] = prices.region;

  v["table.files"] = FilesTable(r);
  v["table.fanout"] = FanoutTable(r);
  v["table.load"] = CasesTable(r, r.load, "load");
  v["table.scale"] = CasesTable(r, r.scale, "scale");
  v["table.faults"] = CasesTable(r, r.faults, "faults");
  v["table.baselines"] = BaselinesTable(r);
  v["find.baselines"] = BaselineRatioFindings(r);
  v["find.recommendation"] = RecommendationFindings(r, prices);
  v["table.prices"] = PricesTable(prices, in.prices_path);
  v["table.meters"] = MetersTable(prices);
  v["table.requests"] = RequestsTable(r);
  v["table.cost_fanout"] = CostFanoutTable(r, prices, false);
  v["table.cost_fanout_work"] = CostFanoutTable(r, prices, true);
  v["table.tests"] = TestsTable(in.tests);
  v["list.assumptions"] = Bullets(JobCostAssumptions());
  std::map<std::string, CostRow> cheapest;
  v["table.cost"] = CostTable(r, prices, &cheapest);

  for (const ReportFigure& f : in.figures) {
    v["figure." + f.key] = "![" + f.figure.title + "](" + in.figures_rel_dir + "/" + f.figure.name +
                           ".png)\n\n*" + f.caption + "*\n";
  }
  std::string fanout_figures;
  for (const ReportFigure& f : in.figures) {
    if (f.key.rfind("fanout_latency_", 0) == 0) fanout_figures += v["figure." + f.key] + "\n";
  }
  v["figures.fanout"] = fanout_figures.empty() ? "No fanout runs to plot.\n" : fanout_figures;

  // Per-file bests, and the findings sentences that compare the pipelines.
  std::vector<std::string> fanout_findings, cost_findings, straggler_findings;
  std::map<std::string, std::map<std::string, double>> best_latency, cheapest_per_gb;
  for (const InputFile* file : FilesWithRuns(r)) {
    for (const std::string& p : kPipelines) {
      const FanoutRun* best = BestRun(r, file->id, p);
      const std::string key = file->id + "." + p;
      v["fanout.best_chunks." + key] = best ? std::to_string(best->chunks) : "none completed";
      v["fanout.best_workers." + key] = best ? std::to_string(best->workers) : "none completed";
      v["fanout.best_latency." + key] = best ? Fmt(best->latency_seconds) : "none completed";
      if (best) best_latency[file->id][p] = best->latency_seconds;
      auto it = cheapest.find(file->id + "/" + p);
      v["cost.per_gb." + key] = it != cheapest.end() ? FmtUsd(it->second.cost.per_gb_usd) : "n/a";
      if (it != cheapest.end()) cheapest_per_gb[file->id][p] = it->second.cost.per_gb_usd;
    }
    const auto& lat = best_latency[file->id];
    if (lat.size() == 2) {
      const FanoutRun* o = BestRun(r, file->id, "orchestrated");
      const FanoutRun* c = BestRun(r, file->id, "chained");
      fanout_findings.push_back("`" + file->id + "` (" + Fmt(file->bytes / 1e6) +
                                " MB): fastest orchestrated job " + Fmt(o->latency_seconds) +
                                " s (" + RunLabel(*o) + "), fastest chained " +
                                Fmt(c->latency_seconds) + " s (" + RunLabel(*c) + "): " +
                                Describe(CompareLowerIsBetter("orchestrated", o->latency_seconds,
                                                              "chained", c->latency_seconds),
                                         "faster") +
                                ".");
    }
    const auto& usd = cheapest_per_gb[file->id];
    if (usd.size() == 2) {
      cost_findings.push_back("`" + file->id + "`: cheapest orchestrated " +
                              FmtUsd(usd.at("orchestrated")) + " per GB, cheapest chained " +
                              FmtUsd(usd.at("chained")) + " per GB: " +
                              Describe(CompareLowerIsBetter("orchestrated", usd.at("orchestrated"),
                                                            "chained", usd.at("chained")),
                                       "cheaper") +
                              ".");
    }
  }
  v["find.fanout_knee"] = FanoutKneeFindings(r);
  v["find.fanout"] =
      fanout_findings.empty() ? "No file was run by both pipelines.\n" : Bullets(fanout_findings);
  v["find.cost"] =
      cost_findings.empty() ? "No file was run by both pipelines.\n" : Bullets(cost_findings);

  // Cost per GB against file size: does it fall as files grow (fixed costs amortised)?
  {
    std::vector<std::string> lines;
    const auto files = FilesWithRuns(r);
    if (files.size() >= 2) {
      const InputFile* small = files.front();
      const InputFile* large = files.back();
      for (const std::string& p : kPipelines) {
        auto s = cheapest_per_gb[small->id].find(p);
        auto l = cheapest_per_gb[large->id].find(p);
        if (s == cheapest_per_gb[small->id].end() || l == cheapest_per_gb[large->id].end())
          continue;
        const double ratio = s->second / l->second;
        lines.push_back(
            p + ": " + FmtUsd(s->second) + " per GB on `" + small->id + "` vs " +
            FmtUsd(l->second) + " on `" + large->id + "` (" + Fmt(large->bytes / small->bytes) +
            "x the bytes): " +
            (std::fabs(ratio - 1) <= 0.05
                 ? std::string("about flat")
                 : (ratio > 1 ? "falls " + Fmt(ratio) + "x" : "rises " + Fmt(1 / ratio) + "x")) +
            " per GB as the file grows.");
      }
    }
    v["find.cost_size"] =
        lines.empty() ? "Only one file size was measured, so no trend.\n" : Bullets(lines);
  }

  // What dominates the cost: the largest component of the cheapest runs.
  {
    std::vector<std::string> lines;
    for (const auto& [key, row] : cheapest) {
      const CostBreakdown& c = row.cost.cost;
      const std::vector<std::pair<std::string, double>> parts = {
          {"storage requests", c.requests_usd},
          {"compute (GB-s)", c.gb_seconds_usd},
          {"executions", c.executions_usd},
          {"storage held", c.file_held_usd + c.state_held_usd}};
      auto top = std::max_element(parts.begin(), parts.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
      const double total = c.total_usd();
      lines.push_back("`" + key + "`: " + top->first + " " +
                      (total > 0 ? Fmt(top->second / total * 100, 2) + "%" : "n/a") + " of " +
                      FmtUsd(total) + " per job (requests " + FmtUsd(c.requests_usd) + ", GB-s " +
                      FmtUsd(c.gb_seconds_usd) + ", executions " + FmtUsd(c.executions_usd) +
                      ", held " + FmtUsd(c.file_held_usd + c.state_held_usd) + ").");
    }
    v["find.cost_components"] = lines.empty() ? "No priced runs.\n" : Bullets(lines);
  }

  // Free grant and the Premium floor, from the cheapest run of the largest file per pipeline.
  {
    std::vector<std::string> lines;
    Result<double> ep1 = PremiumEp1MonthUsd(prices);
    const auto files = FilesWithRuns(r);
    for (const std::string& p : kPipelines) {
      if (files.empty()) break;
      auto it = cheapest.find(files.back()->id + "/" + p);
      if (it == cheapest.end()) continue;
      const CostBreakdown& c = it->second.cost.cost;
      const double exec = it->second.cost.executions;
      Result<double> covered =
          JobsCoveredByFreeGrant(HostingPlan::kConsumption, c.gb_seconds, exec, prices);
      Result<double> flex_covered =
          JobsCoveredByFreeGrant(HostingPlan::kFlexConsumption, c.flex_gb_seconds, exec, prices);
      std::string line = p + " on `" + files.back()->id + "` (" + FmtInt(exec) +
                         " executions per job): on Consumption (" + Fmt(c.gb_seconds) +
                         " GB-s per job) the free grant covers " +
                         (covered.ok() ? FmtInt(*covered) : "?") + " jobs a month";
      if (ep1.ok() && c.compute_usd() > 0) {
        line += "; past it, one always-on EP1 instance (" + FmtUsd(*ep1) +
                " a month) costs as much as the Consumption compute of " +
                FmtInt(*ep1 / c.compute_usd()) + " jobs";
      }
      line += ". On Flex Consumption (" + Fmt(c.flex_gb_seconds) +
              " GB-s per job) its smaller grant covers " +
              (flex_covered.ok() ? FmtInt(*flex_covered) : "?") + " jobs a month";
      if (c.flex_compute_usd() > 0 && c.compute_usd() > 0) {
        line += ", and past it each job's compute costs " +
                Fmt(c.flex_compute_usd() / c.compute_usd()) + "x the Consumption figure";
      }
      lines.push_back(line + ".");
    }
    v["find.free_grant"] = lines.empty() ? "No priced runs.\n" : Bullets(lines);
    v["premium.ep1_month"] = ep1.ok() ? FmtUsd(*ep1) : "n/a";
  }

  // Workers: does the best latency improve with workers? Per file and pipeline.
  {
    std::vector<std::string> lines;
    for (const InputFile* file : FilesWithRuns(r)) {
      for (const std::string& p : kPipelines) {
        std::map<int, double> best;
        for (const FanoutRun& run : r.fanout) {
          if (run.file != file->id || run.pipeline != p || !run.completed()) continue;
          auto [it, fresh] = best.emplace(run.workers, run.latency_seconds);
          if (!fresh) it->second = std::min(it->second, run.latency_seconds);
        }
        if (best.size() < 2) continue;
        const auto lo = *best.begin();
        const auto hi = *best.rbegin();
        const double speedup = lo.second / hi.second;
        lines.push_back(
            "`" + file->id + "`, " + p + ": best latency " + Fmt(lo.second) + " s with " +
            std::to_string(lo.first) + " worker(s), " + Fmt(hi.second) + " s with " +
            std::to_string(hi.first) + ": " +
            (std::fabs(speedup - 1) <= 0.05
                 ? std::string("no change")
                 : (speedup > 1 ? Fmt(speedup) + "x faster" : Fmt(1 / speedup) + "x slower")) +
            " with " + Fmt(static_cast<double>(hi.first) / lo.first) + "x the workers.");
      }
    }
    v["find.workers"] = lines.empty() ? "Only one worker count was measured.\n" : Bullets(lines);
  }

  // Stragglers.
  for (const std::string& p : kPipelines) {
    double worst = 0;
    const FanoutRun* at = nullptr;
    for (const FanoutRun& run : r.fanout) {
      if (run.pipeline == p && run.completed() && run.straggler_ratio > worst) {
        worst = run.straggler_ratio;
        at = &run;
      }
    }
    if (at) {
      straggler_findings.push_back(p + ": the worst straggler ratio (slowest chunk / median) is " +
                                   Fmt(worst) + " (`" + at->file + "`, " + RunLabel(*at) +
                                   "; chunk p50 " + Fmt(at->chunk_p50) + " s, max " +
                                   Fmt(at->chunk_max) + " s).");
    }
    const FanoutRun* g = GanttRun(r, p);
    v["gantt.run." + p] = g ? "`" + g->file + "`, " + RunLabel(*g) : "no run with chunk spans";
    v["gantt.straggler." + p] = g ? Fmt(g->straggler_ratio) : "n/a";
  }
  v["find.stragglers"] =
      straggler_findings.empty() ? "No completed runs.\n" : Bullets(straggler_findings);

  // Load: compare p95 per (file set, mode, workers, files) pair.
  {
    std::vector<std::string> lines;
    for (const LoadCase& o : r.load) {
      if (o.pipeline != "orchestrated") continue;
      for (const LoadCase& c : r.load) {
        if (c.pipeline != "chained" || c.file_set != o.file_set || c.mode != o.mode ||
            c.workers != o.workers || c.files != o.files || c.rate_per_s != o.rate_per_s) {
          continue;
        }
        lines.push_back(
            "`" + o.file_set + "`, " + std::to_string(o.files) + " files, " + o.mode +
            (o.mode == "steady" ? " " + Fmt(o.rate_per_s) + "/s" : "") + ", " +
            std::to_string(o.workers) + " workers: p95 orchestrated " + Fmt(o.latency.p95) +
            " s vs chained " + Fmt(c.latency.p95) + " s (" +
            Describe(CompareLowerIsBetter("orchestrated", o.latency.p95, "chained", c.latency.p95),
                     "faster at p95") +
            "); " + Fmt(o.jobs_per_minute) + " vs " + Fmt(c.jobs_per_minute) +
            " jobs/min; requests per job " + Fmt(o.requests_per_job) + " vs " +
            Fmt(c.requests_per_job) + ".");
      }
    }
    v["find.load"] = lines.empty() ? "No load case was run by both pipelines.\n" : Bullets(lines);
  }

  // Scale: jobs/min against workers, per file set and pipeline.
  {
    std::vector<std::string> lines;
    std::set<std::string> sets;
    for (const LoadCase& c : r.scale)
      sets.insert(c.file_set);
    for (const std::string& set : sets) {
      for (const std::string& p : kPipelines) {
        std::map<int, double> jpm;
        for (const LoadCase& c : r.scale) {
          if (c.pipeline == p && c.file_set == set) {
            jpm[c.workers] = std::max(jpm[c.workers], c.jobs_per_minute);
          }
        }
        if (jpm.empty()) continue;
        std::string line = "`" + set + "`, " + p + ": ";
        bool first = true;
        for (auto [w, x] : jpm) {
          line += (first ? "" : ", ") + Fmt(x) + " jobs/min with " + std::to_string(w);
          first = false;
        }
        if (jpm.size() >= 2) {
          const double gain = jpm.rbegin()->second / jpm.begin()->second;
          line += " workers (" + Fmt(gain) + "x the throughput for " +
                  Fmt(static_cast<double>(jpm.rbegin()->first) / jpm.begin()->first) +
                  "x the workers)";
        } else {
          line += " workers";
        }
        lines.push_back(line + ".");
      }
    }
    v["find.scale"] = lines.empty() ? "The results file has no scale suite.\n" : Bullets(lines);
    v["find.bottleneck"] = BottleneckFindings(r);
  }

  // Faults: did every job finish exactly?
  {
    std::vector<std::string> lines;
    for (const LoadCase& c : r.faults) {
      const int jobs = c.completed + c.failed + c.unfinished;
      lines.push_back(c.pipeline + ", " + std::to_string(c.workers) + " workers, fault rate " +
                      Fmt(c.fault_rate) + " (" + FmtInt(static_cast<double>(c.faults_injected)) +
                      " faults injected), " + std::to_string(c.kills) +
                      " worker kills: " + std::to_string(c.exact) + " of " + std::to_string(jobs) +
                      " jobs exact, " + std::to_string(c.failed) + " failed, " +
                      std::to_string(c.unfinished) + " unfinished; throttled " + "answers " +
                      FmtInt(static_cast<double>(c.storage.total.throttled)) + ", p95 latency " +
                      Fmt(c.latency.p95) + " s.");
    }
    v["find.faults"] = lines.empty() ? "The results file has no faults suite: fault tolerance is "
                                       "shown by the crash tests only (section 7).\n"
                                     : Bullets(lines);
  }

  // Idle polls: requests of workers that are queue gets, a fixed cost per second.
  {
    std::vector<std::string> lines;
    for (const std::string& p : kPipelines) {
      uint64_t gets = 0, deletes = 0, total = 0;
      for (const FanoutRun& run : r.fanout) {
        if (run.pipeline != p) continue;
        gets += run.storage.workers.attempts_of("queue_get");
        deletes += run.storage.workers.attempts_of("queue_delete");
        total += run.storage.workers.total_attempts;
      }
      if (total == 0) continue;
      lines.push_back(
          p + ": over the fanout suite, Get Messages are " +
          Fmt(100.0 * static_cast<double>(gets) / static_cast<double>(total), 2) +
          "% of the workers' requests, " +
          Fmt(deletes > 0 ? static_cast<double>(gets) / static_cast<double>(deletes) : 0) +
          " per message handled (the rest of each get is an empty, billed idle poll).");
    }
    v["find.idle_polls"] = lines.empty() ? "No worker counters.\n" : Bullets(lines);
  }

  // Recommendation rows: per file, the faster and the cheaper, from the numbers above.
  {
    std::string t = Header({"file", "faster (best latency)", "cheaper (per GB)"}, "lll");
    bool any = false;
    for (const InputFile* file : FilesWithRuns(r)) {
      const auto& lat = best_latency[file->id];
      const auto& usd = cheapest_per_gb[file->id];
      if (lat.size() < 2 || usd.size() < 2) continue;
      const Comparison l = CompareLowerIsBetter("orchestrated", lat.at("orchestrated"), "chained",
                                                lat.at("chained"));
      const Comparison c = CompareLowerIsBetter("orchestrated", usd.at("orchestrated"), "chained",
                                                usd.at("chained"));
      t += Row({"`" + file->id + "` (" + Fmt(file->bytes / 1e6) + " MB)",
                l.tie ? "neither (within 5%)" : l.winner + " by " + Fmt(l.ratio) + "x",
                c.tie ? "neither (within 5%)" : c.winner + " by " + Fmt(c.ratio) + "x"});
      any = true;
    }
    v["table.verdict"] = any ? t + SourceLine(r) : "No file was run by both pipelines.\n";
  }

  // Context from the other benchmarks (absent files are said to be absent).
  v["context.parser"] = "no parser results file";
  if (in.parser.is_object() && in.parser.contains("results")) {
    double best = 0;
    for (const auto& res : in.parser["results"]) {
      // gb_per_second is {"best": .., "median": ..} in the parser benchmark's file.
      if (res.value("case", std::string()) == "chunk_aggregator" && res.contains("gb_per_second") &&
          res["gb_per_second"].is_object()) {
        best = res["gb_per_second"].value("best", 0.0);
      }
    }
    v["context.parser"] = best > 0 ? Fmt(best) + " GB/s on one core (`" + in.parser_path + "`)"
                                   : "see `" + in.parser_path + "`";
  }
  v["context.engine"] = "no engine results file";
  if (in.engine.is_object() && in.engine.contains("runs") && in.engine["runs"].is_array()) {
    double best = 0;
    for (const auto& res : in.engine["runs"]) {
      if (res.contains("activities_per_second") && res["activities_per_second"].is_number()) {
        best = std::max(best, res["activities_per_second"].get<double>());
      }
    }
    v["context.engine"] =
        best > 0 ? "up to " + FmtInt(best) + " no-op activities/s (`" + in.engine_path + "`)"
                 : "see `" + in.engine_path + "`";
  }
  v["context.storage"] = "no storage results file";
  if (in.storage_bench.is_object() && in.storage_bench.contains("results")) {
    double best_get = 0;
    for (const auto& res : in.storage_bench["results"]) {
      if (res.value("operation", std::string()) == "table_get" &&
          res.value("client", std::string()) == "simple" && res.contains("ops_per_second")) {
        best_get = std::max(best_get, res["ops_per_second"].get<double>());
      }
    }
    v["context.storage"] = best_get > 0
                               ? FmtInt(best_get) + " Get Entity/s at best from a bare client (`" +
                                     in.storage_path + "`)"
                               : "see `" + in.storage_path + "`";
  }
  v["tests.results"] = TestResultsTable(in.tests_results, in.tests_results_path);
  v["table.idle"] = IdleCostTable(in.idle, in.idle_path, in.prices);
  return v;
}

}  // namespace fanfold::report

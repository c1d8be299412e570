#include "report/figures.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "report/job_cost.hpp"
#include "report/reductions.hpp"

namespace fanfold::report {
namespace {

std::string Source(const PipelineResults& r) {
  return "Data: `" + r.path + "` (produced by `" + r.command +
         "`); drawn by `bash report/generate.sh`.";
}

std::vector<int> Sorted(std::set<int> s) {
  return {s.begin(), s.end()};
}

// Files that have fanout runs, smallest first.
std::vector<const InputFile*> FanoutFiles(const PipelineResults& r) {
  std::vector<const InputFile*> out;
  for (const InputFile& f : r.files) {
    for (const FanoutRun& run : r.fanout) {
      if (run.file == f.id) {
        out.push_back(&f);
        break;
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const InputFile* a, const InputFile* b) { return a->bytes < b->bytes; });
  return out;
}

ReportFigure FanoutFigure(const PipelineResults& r, const InputFile& file) {
  Figure fig;
  fig.name = "fanout-latency-" + file.id;
  fig.title = "Job latency vs fan-out width, " + file.id + " (" + Fmt(file.bytes / 1e6) + " MB)";
  fig.xlabel = "chunks per job (log2 scale)";
  fig.ylabel = "latency, event posted to job finished (s)";
  fig.settings = {"set logscale x 2", "set key below maxrows 3", "set yrange [0:*]"};
  std::set<int> workers;
  for (const FanoutRun& run : r.fanout) {
    if (run.file == file.id) workers.insert(run.workers);
  }
  for (const std::string& pipeline : kPipelines) {
    for (int w : Sorted(workers)) {
      Series s;
      s.title = pipeline + ", " + std::to_string(w) + " worker" + (w == 1 ? "" : "s");
      std::vector<const FanoutRun*> runs;
      for (const FanoutRun& run : r.fanout) {
        if (run.file == file.id && run.pipeline == pipeline && run.workers == w &&
            run.completed()) {
          runs.push_back(&run);
        }
      }
      std::sort(runs.begin(), runs.end(),
                [](const FanoutRun* a, const FanoutRun* b) { return a->chunks < b->chunks; });
      for (const FanoutRun* run : runs) {
        s.rows.push_back({Num(run->chunks), Num(run->latency_seconds)});
      }
      s.style = pipeline == "orchestrated" ? "linespoints lw 2 pt 7 ps 1.2"
                                           : "linespoints lw 2 dt 2 pt 5 ps 1.2";
      if (!s.rows.empty()) fig.series.push_back(std::move(s));
    }
  }
  return {"fanout_latency_" + file.id, fig,
          "Latency of one job of " + file.id +
              " at each fan-out width, both pipelines, per worker "
              "count (completed runs only; solid: orchestrated, dashed: chained). " +
              Source(r)};
}

ReportFigure ThroughputFigure(const PipelineResults& r) {
  Figure fig;
  fig.name = "throughput-vs-workers";
  fig.title = "Throughput vs workers";
  fig.xlabel = "workers";
  fig.ylabel = "throughput (MB/s of input, 1 MB = 10^6 bytes)";
  fig.settings = {"set key below maxrows 4", "set yrange [0:*]", "set xtics 1",
                  "set offsets 0.3, 0.3, 0, 0", "set ytics nomirror"};
  for (const InputFile* file : FanoutFiles(r)) {
    for (const std::string& pipeline : kPipelines) {
      std::map<int, double> best;  // workers -> best throughput over fan-out widths
      for (const FanoutRun& run : r.fanout) {
        if (run.file != file->id || run.pipeline != pipeline || !run.completed()) continue;
        best[run.workers] = std::max(best[run.workers], run.throughput_mb_per_s);
      }
      Series s;
      s.title = "one job of " + file->id + ", " + pipeline + " (best width)";
      for (auto [w, mbps] : best)
        s.rows.push_back({Num(w), Num(mbps)});
      if (!s.rows.empty()) fig.series.push_back(std::move(s));
    }
  }
  for (const std::string& pipeline : kPipelines) {
    std::map<int, double> mbps;
    for (const LoadCase& c : r.scale) {
      if (c.pipeline != pipeline || c.wall_seconds <= 0) continue;
      mbps[c.workers] = std::max(mbps[c.workers], c.bytes / 1e6 / c.wall_seconds);
    }
    Series s;
    s.title = "scale suite, " + pipeline + " (all jobs / wall time)";
    s.style = "linespoints lw 2 dt 3 pt 9 ps 1.4";
    // Many small files over a wall time are on another scale than one job's latency: own axis.
    s.using_spec = "1:2 axes x1y2";
    s.title += " (right axis)";
    for (auto [w, v] : mbps)
      s.rows.push_back({Num(w), Num(v)});
    if (!s.rows.empty()) fig.series.push_back(std::move(s));
  }
  if (!r.scale.empty()) {
    fig.settings.insert(fig.settings.end(),
                        {"set y2tics", "set y2range [0:*]",
                         "set y2label 'scale suite throughput (MB/s of all files / wall time)'"});
  }
  return {"throughput", fig,
          "Input MB per second of latency for one job at its best fan-out width (fanout suite), "
          "and of the whole scale suite's files over its wall time, by worker count. " +
              Source(r)};
}

ReportFigure LatencyCdfFigure(const PipelineResults& r) {
  Figure fig;
  fig.name = "load-latency-cdf";
  fig.title = "Job latency distribution under load (load suite)";
  fig.xlabel = "job latency, upload start to job finished (s)";
  fig.ylabel = "fraction of jobs finished within (CDF)";
  fig.settings = {"set key below maxrows 4", "set yrange [0:1.02]", "set xrange [0:*]"};
  for (const LoadCase& c : r.load) {
    std::vector<double> latencies;
    for (const JobOutcome& job : c.jobs) {
      if (job.state == "Completed") latencies.push_back(job.latency_seconds);
    }
    Series s;
    s.title = c.file_set + ", " + c.pipeline + ", " + c.mode +
              (c.mode == "steady" ? " " + Fmt(c.rate_per_s) + "/s" : "") + ", " +
              std::to_string(c.workers) + " workers";
    s.style = (c.pipeline == "orchestrated" ? "steps lw 2" : "steps lw 2 dt 2");
    for (auto [x, y] : Cdf(latencies))
      s.rows.push_back({Num(x), Num(y)});
    if (!s.rows.empty()) fig.series.push_back(std::move(s));
  }
  return {"load_cdf", fig,
          "Empirical CDF of the latencies of every completed job of each load case (solid: "
          "orchestrated, dashed: chained). " +
              Source(r)};
}

// The (file, workers) both pipelines ran at, with the most workers: the requests figure's view.
std::optional<std::pair<std::string, int>> RequestsView(const PipelineResults& r) {
  std::optional<std::pair<std::string, int>> view;
  for (const InputFile* file : FanoutFiles(r)) {
    std::map<int, std::set<std::string>> pipelines_at;
    for (const FanoutRun& run : r.fanout) {
      if (run.file == file->id && run.completed()) pipelines_at[run.workers].insert(run.pipeline);
    }
    for (auto it = pipelines_at.rbegin(); it != pipelines_at.rend(); ++it) {
      if (it->second.size() == kPipelines.size()) return std::pair{file->id, it->first};
    }
    if (!view && !pipelines_at.empty()) view = std::pair{file->id, pipelines_at.rbegin()->first};
  }
  return view;
}

// One colour per request kind, by service (blob: oranges, table: blues, queue: greens and greys),
// so that no two segments of a stacked bar share a colour (gnuplot's own cycle has eight).
std::string KindColour(const std::string& kind) {
  static const std::map<std::string, std::string> kColours = {
      {"blob_read", "#e69f00"},       {"blob_write", "#f0c05a"},   {"blob_list", "#b35900"},
      {"blob_properties", "#ffd9a0"}, {"blob_delete", "#8c510a"},  {"blob_container", "#fdb863"},
      {"table_read", "#0072b2"},      {"table_write", "#56b4e9"},  {"table_batch", "#1f3d7a"},
      {"table_query", "#9ecae1"},     {"table_admin", "#4a6fa5"},  {"queue_get", "#333333"},
      {"queue_put", "#009e73"},       {"queue_delete", "#d55e00"}, {"queue_update", "#66c2a5"},
      {"queue_peek", "#b2df8a"},      {"queue_admin", "#999999"},  {"other", "#cc79a7"}};
  const auto it = kColours.find(kind);
  return it == kColours.end() ? "#cc79a7" : it->second;
}

ReportFigure RequestsFigure(const PipelineResults& r) {
  Figure fig;
  fig.name = "requests-by-kind";
  const auto view = RequestsView(r);
  const std::string file = view ? view->first : "";
  const int workers = view ? view->second : 0;
  fig.title =
      "Storage requests per job by kind, " + file + ", " + std::to_string(workers) + " workers";
  fig.xlabel = "pipeline / chunks per job";
  fig.ylabel = "requests per job (attempts, idle polls included)";
  fig.settings = {"set style data histograms",
                  "set style histogram rowstacked",
                  "set style fill solid 0.85 border -1",
                  "set boxwidth 0.75",
                  "set key outside right top",
                  "set xtics rotate by -45 scale 0",
                  "set yrange [0:*]",
                  "set bmargin 6"};
  std::vector<const FanoutRun*> runs;
  for (const std::string& pipeline : kPipelines) {
    std::vector<const FanoutRun*> mine;
    for (const FanoutRun& run : r.fanout) {
      if (run.file == file && run.workers == workers && run.pipeline == pipeline &&
          run.completed()) {
        mine.push_back(&run);
      }
    }
    std::sort(mine.begin(), mine.end(),
              [](const FanoutRun* a, const FanoutRun* b) { return a->chunks < b->chunks; });
    runs.insert(runs.end(), mine.begin(), mine.end());
  }
  std::set<std::string> kinds;
  for (const FanoutRun* run : runs) {
    for (const auto& [kind, n] : run->requests_by_kind) {
      if (n > 0) kinds.insert(kind);
    }
  }
  // One table (label, then a column per kind), repeated per series: a rowstacked histogram
  // takes one column per stacked segment.
  std::vector<std::vector<std::string>> rows;
  for (const FanoutRun* run : runs) {
    std::vector<std::string> row = {(run->pipeline == "orchestrated" ? "orch/" : "chain/") +
                                    std::to_string(run->chunks)};
    for (const std::string& kind : kinds) {
      auto it = run->requests_by_kind.find(kind);
      row.push_back(Num(it == run->requests_by_kind.end() ? 0 : static_cast<double>(it->second)));
    }
    rows.push_back(std::move(row));
  }
  int column = 2;
  for (const std::string& kind : kinds) {
    Series s;
    s.title = kind;
    s.rows = rows;
    s.using_spec = std::to_string(column) + (column == 2 ? ":xtic(1)" : "");
    s.style = "histograms lc rgb \"" + KindColour(kind) + "\"";
    fig.series.push_back(std::move(s));
    ++column;
  }
  return {"requests", fig,
          "Every storage request of one job (workers + driver, `requests_by_kind`), stacked by "
          "kind, for each fan-out width both pipelines ran on " +
              file + " with " + std::to_string(workers) + " workers. " + Source(r)};
}

ReportFigure CostPerGbFigure(const PipelineResults& r, const PriceTable& prices) {
  Figure fig;
  fig.name = "cost-per-gb";
  fig.title = "Estimated Azure cost per GB of input vs file size";
  fig.xlabel = "input file size (MB, log scale)";
  fig.ylabel = "USD per GB of input (log scale)";
  fig.settings = {"set logscale x 10", "set logscale y 10", "set key below maxrows 2",
                  "set offsets graph 0.05, graph 0.05, 0, 0", "set format y '%.1e'"};
  for (const std::string& pipeline : kPipelines) {
    Series cheapest, fastest;
    cheapest.title = pipeline + ", cheapest fan-out width";
    fastest.title = pipeline + ", fastest fan-out width";
    fastest.style = "linespoints lw 2 dt 2 pt 6 ps 1.4";
    for (const InputFile* file : FanoutFiles(r)) {
      double best_cost = -1, fastest_latency = -1, fastest_cost = 0;
      for (const FanoutRun& run : r.fanout) {
        if (run.file != file->id || run.pipeline != pipeline || !run.completed()) continue;
        auto cost = CostOfRun(run, r, prices);
        if (!cost.ok()) continue;
        if (best_cost < 0 || cost->per_gb_usd < best_cost) best_cost = cost->per_gb_usd;
        if (fastest_latency < 0 || run.latency_seconds < fastest_latency) {
          fastest_latency = run.latency_seconds;
          fastest_cost = cost->per_gb_usd;
        }
      }
      if (best_cost > 0) cheapest.rows.push_back({Num(file->bytes / 1e6), Num(best_cost)});
      if (fastest_latency >= 0 && fastest_cost > 0) {
        fastest.rows.push_back({Num(file->bytes / 1e6), Num(fastest_cost)});
      }
    }
    if (!cheapest.rows.empty()) fig.series.push_back(std::move(cheapest));
    if (!fastest.rows.empty()) fig.series.push_back(std::move(fastest));
  }
  return {"cost_per_gb", fig,
          "Total estimated cost (requests + storage held + Functions Consumption compute, no free "
          "grant) per GB of input, for each file of the fanout suite, at the cheapest and at the "
          "fastest fan-out width per pipeline; prices from `report/prices.json`. " +
              Source(r)};
}

ReportFigure GanttFigure(const PipelineResults& r, const std::string& pipeline) {
  Figure fig;
  fig.name = "gantt-" + pipeline;
  const FanoutRun* run = GanttRun(r, pipeline);
  if (run == nullptr) {
    fig.title = "Stage timeline, " + pipeline + ": no run with chunk spans";
    fig.xlabel = "seconds since the event was posted";
    fig.ylabel = "worker";
    return {"gantt_" + pipeline, fig, "No " + pipeline + " run with chunk spans. " + Source(r)};
  }
  fig.title = "Stage timeline of one " + pipeline + " job: " + run->file + ", " +
              std::to_string(run->chunks) + " chunks, " + std::to_string(run->workers) + " workers";
  fig.xlabel = "seconds since the event was posted";
  fig.ylabel = "worker (one row per concurrent chunk)";
  int rows_per_worker = 1;
  const std::vector<int> rows = PackLanes(run->chunk_spans, &rows_per_worker);
  std::vector<std::string> worker_names;
  for (const Span& s : run->chunk_spans) {
    if (std::find(worker_names.begin(), worker_names.end(), s.worker) == worker_names.end()) {
      worker_names.push_back(s.worker);
    }
  }
  std::sort(worker_names.begin(), worker_names.end());
  auto lane = [&](const Span& s, int row) {
    const auto it = std::find(worker_names.begin(), worker_names.end(), s.worker);
    return static_cast<double>((it - worker_names.begin()) * (rows_per_worker + 1) + row);
  };
  Series ok, failed;
  ok.title = "chunk attempt (ok)";
  failed.title = "chunk attempt (failed)";
  for (Series* s : {&ok, &failed}) {
    s->using_spec = "1:2:3:4";
    s->style = std::string("boxxyerror fs solid 0.7 border -1 lc rgb ") +
               (s == &ok ? "'#3a7bd5'" : "'#d53a3a'");
  }
  for (size_t i = 0; i < run->chunk_spans.size(); ++i) {
    const Span& s = run->chunk_spans[i];
    Series& target = s.ok ? ok : failed;
    target.rows.push_back(
        {Num((s.start + s.end) / 2), Num(lane(s, rows[i])), Num((s.end - s.start) / 2), Num(0.4)});
  }
  fig.series.push_back(std::move(ok));
  fig.series.push_back(std::move(failed));
  // The stages as bars on a lane below the workers, one colour each (named in the legend).
  const std::vector<std::pair<std::string, std::string>> stage_colours = {
      {"trigger", "'#999999'"},
      {"plan", "'#e69f00'"},
      {"aggregate", "'#56b4e9'"},
      {"merge", "'#009e73'"}};
  for (const auto& [stage, colour] : stage_colours) {
    auto it = run->stages.find(stage);
    if (it == run->stages.end()) continue;
    Series s;
    s.title = "stage: " + stage;
    s.using_spec = "1:2:3:4";
    s.style = "boxxyerror fs solid 0.9 border -1 lc rgb " + colour;
    // A zero-length stage still gets a visible sliver.
    const double half = std::max((it->second.end - it->second.start) / 2, 0.002);
    s.rows.push_back(
        {Num((it->second.start + it->second.end) / 2), Num(-1.5), Num(half), Num(0.4)});
    fig.series.push_back(std::move(s));
  }
  std::string ytics = "set ytics (\"stages\" -1.5";
  for (size_t w = 0; w < worker_names.size(); ++w) {
    ytics += ", " + Quote(worker_names[w]) + " " +
             Num(static_cast<double>(w) * (rows_per_worker + 1) + (rows_per_worker - 1) / 2.0);
  }
  ytics += ")";
  fig.settings = {ytics, "set key below maxrows 2", "set xrange [0:*]",
                  "set yrange [-2.5:" +
                      Num(static_cast<double>(worker_names.size()) * (rows_per_worker + 1)) + "]",
                  "set grid xtics"};
  return {"gantt_" + pipeline, fig,
          "Every chunk attempt (`chunk_spans`) of the " + pipeline + " run on " + run->file +
              " with " + std::to_string(run->chunks) + " chunks and " +
              std::to_string(run->workers) +
              " workers, on its worker's lane; the bottom lane "
              "shows the job's stages. Chunk p50 " +
              Fmt(run->chunk_p50) + " s, max " + Fmt(run->chunk_max) + " s (straggler ratio " +
              Fmt(run->straggler_ratio) + "). " + Source(r)};
}

}  // namespace

std::vector<int> PackLanes(const std::vector<Span>& spans, int* rows_used) {
  std::vector<size_t> order(spans.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return spans[a].start < spans[b].start; });
  std::map<std::string, std::vector<double>> row_ends;  // worker -> end time of each row
  std::vector<int> rows(spans.size(), 0);
  int most = 1;
  for (size_t i : order) {
    std::vector<double>& ends = row_ends[spans[i].worker];
    size_t row = 0;
    while (row < ends.size() && ends[row] > spans[i].start)
      ++row;
    if (row == ends.size()) ends.push_back(0);
    ends[row] = spans[i].end;
    rows[i] = static_cast<int>(row);
    most = std::max(most, static_cast<int>(ends.size()));
  }
  *rows_used = most;
  return rows;
}

const FanoutRun* GanttRun(const PipelineResults& results, const std::string& pipeline) {
  const FanoutRun* best = nullptr;
  auto score = [&](const FanoutRun& run) {
    const InputFile* file = results.File(run.file);
    // Preference order: the file sf10, then 4 workers, then the widest fan-out, then size.
    return std::tuple{run.file == "sf10", run.workers == 4, file ? file->bytes : 0.0, run.workers,
                      run.chunks};
  };
  for (const FanoutRun& run : results.fanout) {
    if (run.pipeline != pipeline || !run.completed() || run.chunk_spans.empty()) continue;
    if (best == nullptr || score(run) > score(*best)) best = &run;
  }
  return best;
}

storage::Result<std::vector<ReportFigure>> BuildFigures(const PipelineResults& results,
                                                        const PriceTable& prices) {
  std::vector<ReportFigure> out;
  for (const InputFile* file : FanoutFiles(results))
    out.push_back(FanoutFigure(results, *file));
  out.push_back(ThroughputFigure(results));
  out.push_back(LatencyCdfFigure(results));
  out.push_back(RequestsFigure(results));
  out.push_back(CostPerGbFigure(results, prices));
  for (const std::string& pipeline : kPipelines)
    out.push_back(GanttFigure(results, pipeline));
  return out;
}

}  // namespace fanfold::report

#include "cli/job_status_view.hpp"

#include <algorithm>
#include <cstdio>

#include "cli/result_output.hpp"
#include "cli/table_printer.hpp"
#include "pipelines/jobs_table.hpp"
#include "pipelines/tenants.hpp"
#include "tablestore/edm.hpp"

namespace fanfold::cli {
namespace {

using pipelines::ChunkRow;
using pipelines::JobRow;
using pipelines::JobState;

std::string OneDecimal(double value, const char* unit) {
  char text[48];
  std::snprintf(text, sizeof text, "%.1f%s", value, unit);
  return text;
}

std::string Elapsed(const JobRow& row) {
  return OneDecimal(row.ElapsedSeconds(pipelines::NowForTable()), "s");
}

std::string ShortTime(const std::optional<tablestore::EdmDateTime>& time) {
  if (!time) return "-";
  const std::string iso = tablestore::FormatEdmDateTime(*time);  // 2026-11-22T10:50:38.1234567Z
  return iso.size() >= 19 ? iso.substr(0, 10) + " " + iso.substr(11, 8) : iso;
}

std::string ChunkList(const std::vector<std::uint32_t>& chunks) {
  std::string out;
  for (const auto chunk : chunks)
    out += (out.empty() ? "" : ", ") + std::to_string(chunk);
  return out;
}

// done/failed/total; "~done/?/total" while the count is approximate (a queue's length).
std::string ChunksCell(const JobView& job) {
  const auto& progress = job.progress;
  if (progress.approximate) {
    return "~" + std::to_string(progress.done) + "/?/" + std::to_string(progress.total);
  }
  const std::int64_t failed = IsFinished(job.row.state) ? job.row.chunks_failed : progress.failing;
  return std::to_string(progress.done) + "/" + std::to_string(failed) + "/" +
         std::to_string(progress.total);
}

std::string Milliseconds(double ms) {
  return ms >= 1000 ? OneDecimal(ms / 1000, " s") : OneDecimal(ms, " ms");
}

}  // namespace

storage::Result<JobView> ReadJobView(const pipelines::PipelineContext& context,
                                     const pipelines::JobPipelines& pipelines,
                                     pipelines::JobRow row, bool with_chunks) {
  auto pipeline = pipelines.For(row);
  if (!pipeline.ok()) return pipeline.status();
  JobView view;
  auto progress = (*pipeline)->Progress(row);
  if (!progress.ok()) return progress.status();
  view.progress = *progress;
  view.keeps_chunk_rows = (*pipeline)->KeepsChunkRows();
  view.row = std::move(row);
  if (with_chunks && view.keeps_chunk_rows) {
    auto chunks = context.jobs.ListChunks(view.row.job);
    if (!chunks.ok()) return chunks.status();
    view.chunks = std::move(*chunks);
  }
  return view;
}

std::string ProgressBar(std::int64_t done, std::int64_t total, int width) {
  const std::int64_t filled =
      total <= 0 ? 0 : std::clamp<std::int64_t>(done * width / total, 0, width);
  return "[" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(width - filled), '.') + "]";
}

std::string JobsText(const std::vector<JobView>& jobs, bool progress) {
  std::vector<std::string> headers = {"JOB",    "FILE", "PIPELINE", "STATE",
                                      "CHUNKS", "ROWS", "REJECTED", "ELAPSED"};
  if (progress) headers.push_back("PROGRESS");
  TablePrinter table(headers);
  for (const std::size_t column : {4, 5, 6, 7})
    table.AlignRight(column);
  std::string reasons;
  for (const auto& job : jobs) {
    const auto& row = job.row;
    std::vector<std::string> cells = {row.job,
                                      row.blob,
                                      row.pipeline,
                                      pipelines::JobStateName(row.state),
                                      ChunksCell(job),
                                      std::to_string(row.rows),
                                      std::to_string(row.rejected),
                                      Elapsed(row)};
    if (progress) cells.push_back(ProgressBar(job.progress.done, job.progress.total, 10));
    table.AddRow(std::move(cells));
    // A Queued job's note says what it waits for (a tenant's concurrency slot).
    if (row.state == JobState::kFailed || row.state == JobState::kRefused ||
        (row.state == JobState::kQueued && !row.error.empty())) {
      reasons += "  " + row.job + ": " + (row.error.empty() ? "(no reason recorded)" : row.error);
      if (!row.failed_chunks.empty())
        reasons += " [failed chunks " + ChunkList(row.failed_chunks) + "]";
      reasons += "\n";
    }
  }
  std::string out = table.Render();
  if (jobs.empty()) out += "(no jobs yet: 'fanfold upload FILE' starts one)\n";
  if (!reasons.empty()) out += "\nwhy:\n" + reasons;
  return out;
}

std::string JobText(const JobView& job, const std::string& flags) {
  const auto& row = job.row;
  std::string out;
  const auto line = [&out](const char* label, const std::string& value) {
    std::string name = label;
    name.resize(10, ' ');
    out += name + value + "\n";
  };
  line("job", row.job);
  line("file", row.container + "/" + row.blob + " (" + std::to_string(row.size) + " bytes)");
  line("pipeline", row.pipeline);
  line("state", pipelines::JobStateName(row.state));
  if (row.chunks_total > 0 || row.state != JobState::kRefused) {
    const auto& counted = job.progress;
    std::string progress = ProgressBar(counted.done, counted.total) + " ";
    if (counted.approximate) {
      progress += "~" + std::to_string(counted.done) + " of " + std::to_string(counted.total) +
                  " partials received (approximate)";
    } else if (IsFinished(row.state)) {
      progress += std::to_string(counted.done) + " of " + std::to_string(counted.total) +
                  " chunks done, " + std::to_string(row.chunks_failed) + " failed";
    } else {
      progress += std::to_string(counted.done) + " of " + std::to_string(counted.total) +
                  " chunks done, " + std::to_string(counted.failing) + " being retried";
    }
    line("progress", progress);
  }
  line("rows",
       std::to_string(row.rows) + " accepted, " + std::to_string(row.rejected) + " rejected");
  line("created", ShortTime(row.created));
  line("finished", row.finished ? ShortTime(row.finished) : "-");
  line("elapsed", Elapsed(row));
  if (!row.error.empty()) line("reason", row.error);
  if (!row.failed_chunks.empty()) line("failed", "chunks " + ChunkList(row.failed_chunks));

  if (!job.keeps_chunk_rows) {
    out += "\nThe " + row.pipeline +
           " pipeline keeps no chunk rows: it writes the job row at its start and end, and\n"
           "counts partials in its queue meanwhile.\n";
  } else if (job.chunks) {
    TablePrinter table(
        {"CHUNK", "STATE", "ATTEMPTS", "WORKER", "ROWS", "REJECTED", "DURATION", "ERROR"});
    for (const std::size_t column : {0, 2, 4, 5, 6})
      table.AlignRight(column);
    for (const ChunkRow& chunk : *job.chunks) {
      const bool done = chunk.state == pipelines::ChunkState::kDone;
      table.AddRow({std::to_string(chunk.index), pipelines::ChunkStateName(chunk.state),
                    std::to_string(chunk.attempts), chunk.worker,
                    done ? std::to_string(chunk.rows) : "-",
                    done ? std::to_string(chunk.rejected) : "-",
                    done ? Milliseconds(chunk.milliseconds) : "-", done ? "" : chunk.error});
    }
    out += "\n" + table.Render();
    if (job.chunks->empty()) out += "(no chunk has started yet)\n";
  }

  switch (row.state) {
    case JobState::kCompleted:
      out += "\nnext: fanfold result " + row.job + flags + "\n";
      break;
    case JobState::kFailed:
      out += "\nnext: fanfold retry " + row.job + flags + "   (re-runs only the failed chunks)\n";
      break;
    case JobState::kRefused:
      out += "\nnext: nothing to retry; fix the file and upload it again\n";
      break;
    case JobState::kQueued:
    case JobState::kRunning:
      if (!job.chunks && job.keeps_chunk_rows) {
        out += "\n(--chunks shows every chunk; --watch follows the job)\n";
      }
      break;
  }
  return out;
}

nlohmann::ordered_json ChunkJson(const ChunkRow& chunk) {
  const auto time = [](const std::optional<tablestore::EdmDateTime>& value) {
    return value ? tablestore::FormatEdmDateTime(*value) : std::string();
  };
  // queued/started/ended: the latest attempt's times ("" when not recorded), for queue wait
  // (started - queued) apart from run time (ended - started).
  return {{"chunk", chunk.index},
          {"state", pipelines::ChunkStateName(chunk.state)},
          {"attempts", chunk.attempts},
          {"worker", chunk.worker},
          {"rows", chunk.rows},
          {"rejected", chunk.rejected},
          {"ms", chunk.milliseconds},
          {"begin", chunk.begin},
          {"end", chunk.end},
          {"error", chunk.error},
          {"queued", time(chunk.queued)},
          {"started", time(chunk.started)},
          {"ended", time(chunk.updated)}};
}

nlohmann::ordered_json JobJson(const JobView& job) {
  const auto& row = job.row;
  nlohmann::ordered_json out = {
      {"job", row.job},
      {"file", row.blob},
      {"container", row.container},
      {"pipeline", row.pipeline},
      {"state", pipelines::JobStateName(row.state)},
      {"size", row.size},
      {"chunks_total", row.chunks_total},
      {"chunks_done", row.chunks_done},
      {"chunks_failed", row.chunks_failed},
      {"failed_chunks", row.failed_chunks},
      {"rows", row.rows},
      {"rejected", row.rejected},
      {"elapsed_s", row.ElapsedSeconds(pipelines::NowForTable())},
      {"error", row.error},
      {"tenant", pipelines::TenantOfJob(row)},
      {"created", row.created ? tablestore::FormatEdmDateTime(*row.created) : ""},
      {"started", row.started ? tablestore::FormatEdmDateTime(*row.started) : ""},
      {"finished", row.finished ? tablestore::FormatEdmDateTime(*row.finished) : ""}};
  out["progress"] = {{"done", job.progress.done},
                     {"failing", job.progress.failing},
                     {"total", job.progress.total},
                     {"approximate", job.progress.approximate}};
  if (job.chunks) {
    nlohmann::ordered_json chunks = nlohmann::ordered_json::array();
    for (const auto& chunk : *job.chunks)
      chunks.push_back(ChunkJson(chunk));
    out["chunks"] = std::move(chunks);
  }
  return out;
}

std::string TenantsText(const std::vector<pipelines::TenantReport>& reports) {
  TablePrinter table({"TENANT", "FILES", "BYTES", "ROWS", "REJECTED", "FAILED", "REFUSED", "QUEUED",
                      "RUNNING", "COMPLETED", "RATE"});
  for (std::size_t column = 1; column <= 10; ++column)
    table.AlignRight(column);
  for (const auto& report : reports) {
    char rate[32] = "-";
    if (report.completed_seconds > 0) {
      std::snprintf(rate, sizeof rate, "%.2f MiB/s", report.MeanBytesPerSecond() / (1 << 20));
    }
    table.AddRow({pipelines::TenantLabel(report.tenant), std::to_string(report.files),
                  std::to_string(report.bytes), std::to_string(report.rows),
                  std::to_string(report.rejected), std::to_string(report.failed),
                  std::to_string(report.refused), std::to_string(report.queued),
                  std::to_string(report.running), std::to_string(report.completed), rate});
  }
  return table.Render();
}

nlohmann::ordered_json TenantJson(const pipelines::TenantReport& report) {
  return {{"tenant", report.tenant},
          {"files", report.files},
          {"bytes", report.bytes},
          {"rows", report.rows},
          {"rejected", report.rejected},
          {"failed", report.failed},
          {"refused", report.refused},
          {"queued", report.queued},
          {"running", report.running},
          {"completed", report.completed},
          {"completed_bytes", report.completed_bytes},
          {"completed_seconds", report.completed_seconds},
          {"mean_bytes_per_second", report.MeanBytesPerSecond()}};
}

}  // namespace fanfold::cli

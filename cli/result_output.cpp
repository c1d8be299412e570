#include "cli/result_output.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "activities/cents.hpp"
#include "activities/merge_activity.hpp"
#include "activities/reject_reason.hpp"
#include "cli/json_text.hpp"
#include "cli/table_printer.hpp"
#include "pipelines/job_spec.hpp"
#include "pipelines/jobs_table.hpp"

namespace fanfold::cli {
namespace {

using activities::MeanBalanceResult;
using pipelines::JobRow;
using pipelines::JobState;

std::string ElapsedText(const JobRow& row) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", row.ElapsedSeconds(pipelines::NowForTable()));
  return text;
}

std::string RejectsText(const MeanBalanceResult& result) {
  std::string out;
  for (const auto reason : activities::kAllRejectReasons) {
    const auto& tally = result.rejects[activities::RejectReasonIndex(reason)];
    if (tally.count == 0) continue;
    out += out.empty() ? "" : ", ";
    out += std::string(activities::RejectReasonName(reason)) + " " + std::to_string(tally.count);
    if (!tally.first_offsets.empty()) {
      out += " (first at byte";
      for (std::size_t i = 0; i < tally.first_offsets.size(); ++i) {
        out += (i == 0 ? " " : ", ") + std::to_string(tally.first_offsets[i]);
      }
      out += ")";
    }
  }
  return out;
}

std::string RejectsJson(const MeanBalanceResult& result) {
  JsonObjectText rejects;
  for (const auto reason : activities::kAllRejectReasons) {
    const auto& tally = result.rejects[activities::RejectReasonIndex(reason)];
    if (tally.count == 0) continue;
    std::string offsets = "[";
    for (std::size_t i = 0; i < tally.first_offsets.size(); ++i) {
      offsets += (i == 0 ? "" : ", ") + std::to_string(tally.first_offsets[i]);
    }
    offsets += "]";
    JsonObjectText one;
    one.Add("count", std::to_string(tally.count));
    one.Add("first_offsets", offsets);
    rejects.Add(std::string(activities::RejectReasonName(reason)), one.RenderInline());
  }
  return rejects.RenderInline();
}

}  // namespace

storage::Result<MeanBalanceResult> ReadJobResult(const JobRow& row) {
  if (row.result.empty()) {
    return storage::Status::InvalidArgument("job " + row.job + " has no result yet");
  }
  auto merged = activities::MergeOutputFromJson(row.result);
  if (!merged.ok()) {
    return storage::Status::Corruption(
        "job " + row.job + ": the stored result cannot be read: " + merged.status().message());
  }
  return std::move(merged->result);
}

std::string FormatSumCents(activities::CentsSum sum) {
  std::string digits = activities::CentsSumToString(sum);
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.erase(0, 1);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  digits.insert(digits.size() - 2, ".");
  return (negative ? "-" : "") + digits;
}

std::string ResultJsonText(const JobRow& row, const MeanBalanceResult* result, int indent) {
  JsonObjectText out;
  out.Add("job", JsonString(row.job));
  out.Add("pipeline", JsonString(row.pipeline));
  out.Add("state", JsonString(pipelines::JobStateName(row.state)));
  if (result == nullptr) {
    out.Add("error", JsonString(row.error));
    return out.Render(indent);
  }
  out.Add("format", JsonString(std::string(activities::InputFormatName(result->format))));
  out.Add("rows", std::to_string(result->rows));
  out.Add("rejected", std::to_string(result->rejected_rows));
  std::vector<std::string> nations;
  for (const auto& nation : result->nations) {
    JsonObjectText one;
    one.Add("nation", std::to_string(nation.nation_key));
    one.Add("rows", std::to_string(nation.rows));
    one.Add("sum_cents", activities::CentsSumToString(nation.sum_cents));
    one.Add("mean", nation.mean());  // a JSON number with exactly two decimals
    nations.push_back(one.RenderInline());
  }
  out.Add("nations", JsonArrayLines(nations, indent + 2));
  out.Add("rejects", RejectsJson(*result));
  return out.Render(indent);
}

std::string ResultTableText(const MeanBalanceResult& result) {
  TablePrinter table({"NATION", "ROWS", "SUM", "MEAN"});
  for (std::size_t column = 0; column < 4; ++column)
    table.AlignRight(column);
  for (const auto& nation : result.nations) {
    table.AddRow({std::to_string(nation.nation_key), std::to_string(nation.rows),
                  FormatSumCents(nation.sum_cents), nation.mean()});
  }
  std::string out = result.nations.empty() ? "(no rows: no nation to show)\n" : table.Render();
  out += "rows " + std::to_string(result.rows) + " accepted, " +
         std::to_string(result.rejected_rows) + " rejected";
  const std::string rejects = RejectsText(result);
  if (!rejects.empty()) out += ": " + rejects;
  out += "; format " + std::string(activities::InputFormatName(result.format));
  if (result.header_skipped) out += ", header line skipped";
  out += "\n";
  return out;
}

std::string JobResultText(const JobRow& row, const MeanBalanceResult* result) {
  std::string out = "job " + row.job + " (" + row.pipeline + ", " + row.container + "/" + row.blob +
                    "): " + pipelines::JobStateName(row.state) + " in " + ElapsedText(row) + "\n";
  if (result != nullptr) out += ResultTableText(*result);
  if (!row.error.empty()) out += "reason: " + row.error + "\n";
  return out;
}

std::string DeploymentFlags(const Arguments& arguments) {
  std::string flags;
  for (const char* name : {"prefix", "hub", "partitions"}) {
    if (const auto value = arguments.Value(name)) flags += std::string(" --") + name + " " + *value;
  }
  return flags;
}

void ExplainUnfinished(const std::string& command, const JobRow& row,
                       const std::string& deployment_flags) {
  const char* state = pipelines::JobStateName(row.state);
  switch (row.state) {
    case JobState::kQueued:
    case JobState::kRunning: {
      // Its progress is its pipeline's to count (`fanfold status`); the row counts at the end.
      std::fprintf(stderr,
                   "fanfold %s: job %s is %s; its result is not ready yet.\nFollow it with: "
                   "fanfold status %s --watch%s\n",
                   command.c_str(), row.job.c_str(), state, row.job.c_str(),
                   deployment_flags.c_str());
      return;
    }
    case JobState::kFailed: {
      std::string chunks;
      for (const auto chunk : row.failed_chunks) {
        chunks += (chunks.empty() ? "" : ", ") + std::to_string(chunk);
      }
      std::fprintf(stderr, "fanfold %s: job %s Failed: %s\n", command.c_str(), row.job.c_str(),
                   row.error.empty() ? "(no reason recorded)" : row.error.c_str());
      if (!chunks.empty()) std::fprintf(stderr, "failed chunks: %s\n", chunks.c_str());
      std::fprintf(stderr, "Re-run only what failed with: fanfold retry %s%s\n", row.job.c_str(),
                   deployment_flags.c_str());
      std::fprintf(stderr, "(the job in detail: fanfold status %s%s)\n", row.job.c_str(),
                   deployment_flags.c_str());
      return;
    }
    case JobState::kRefused:
      std::fprintf(stderr,
                   "fanfold %s: job %s was Refused: %s\nThere is nothing to retry: fix the file "
                   "and upload it again (fanfold upload FILE).\n",
                   command.c_str(), row.job.c_str(), row.error.c_str());
      return;
    case JobState::kCompleted:
      return;
  }
}

}  // namespace fanfold::cli

// How the job commands show a job's answer: the result table for people, the exact JSON for
// scripts, and, for a job that has no answer yet, what state it is in and what to run next.
//
// The JSON is written as text, not through a JSON library's numbers: means are JSON numbers with
// exactly two decimals ("mean": 4442.70) and sums are exact integers of any size, which a double
// could not carry.
#pragma once

#include <optional>
#include <string>

#include "activities/mean_balance.hpp"
#include "cli/arguments.hpp"
#include "pipelines/job_rows.hpp"
#include "storage/result.hpp"

namespace fanfold::cli {

// The merge's answer stored in a Completed job's row (MergeOutputToJson), checked on reading.
storage::Result<activities::MeanBalanceResult> ReadJobResult(const pipelines::JobRow& row);

// {"job": ..., "pipeline": ..., "state": ..., "rows": N, "rejected": N,
//  "nations": [{"nation": 0, "rows": N, "sum_cents": N, "mean": 4442.70}, ...],
//  "rejects": {"field_count": {"count": 2, "first_offsets": [0, 812]}}}
// Without a result (a job not Completed): job, pipeline, state and "error". `indent` is the
// column the object starts at, for nesting it in another document.
std::string ResultJsonText(const pipelines::JobRow& row,
                           const activities::MeanBalanceResult* result, int indent = 0);

// A sum of cents as money: -12345 -> "-123.45"; exact for any size.
std::string FormatSumCents(activities::CentsSum sum);

// "NATION  ROWS  SUM  MEAN" table, numbers right-aligned, then the totals and rejects.
std::string ResultTableText(const activities::MeanBalanceResult& result);

// What a person reads about a finished or unfinished job: a one-line header with the job's
// pipeline, state and elapsed time, then the table when it completed.
std::string JobResultText(const pipelines::JobRow& row,
                          const activities::MeanBalanceResult* result);

// The flags that name the deployment this command used (" --prefix t1 --hub h2"), so that the
// commands we suggest act on the same jobs; empty for the defaults.
std::string DeploymentFlags(const Arguments& arguments);

// For a job that is not Completed: prints to stderr its state, why, and the command to run next
// (Failed: fanfold retry; Queued/Running: fanfold status --watch; Refused: upload a fixed file).
void ExplainUnfinished(const std::string& command, const pipelines::JobRow& row,
                       const std::string& deployment_flags);

}  // namespace fanfold::cli

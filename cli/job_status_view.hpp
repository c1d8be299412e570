// What `fanfold status` shows, as text for people and JSON for scripts: the jobs of both
// pipelines as one table, or one job with its progress and (orchestrated jobs) its chunks.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pipelines/job_pipeline.hpp"
#include "pipelines/job_rows.hpp"
#include "pipelines/tenant_report.hpp"

namespace fanfold::cli {

// One job as status shows it: its row, and what else was read for it.
struct JobView {
  pipelines::JobRow row;
  // As its pipeline counts it (live while it runs).
  pipelines::JobProgress progress;
  // Whether its pipeline keeps chunk rows (what --chunks shows).
  bool keeps_chunk_rows = false;
  // When asked for (--chunks): the chunk rows.
  std::optional<std::vector<pipelines::ChunkRow>> chunks;
};

// Reads what is shown of one job: its row, its progress as its pipeline counts it, and (when
// asked) its chunk rows. `fanfold status` and the dashboard read jobs through this one function.
storage::Result<JobView> ReadJobView(const pipelines::PipelineContext& context,
                                     const pipelines::JobPipelines& pipelines,
                                     pipelines::JobRow row, bool with_chunks);

// "[##########..........]" for done of total; `width` characters inside the brackets.
std::string ProgressBar(std::int64_t done, std::int64_t total, int width = 20);

// The jobs table: JOB FILE PIPELINE STATE CHUNKS(done/failed/total) ROWS REJECTED ELAPSED (and a
// PROGRESS bar column when `progress`), then each Failed or Refused job's reason.
std::string JobsText(const std::vector<JobView>& jobs, bool progress);
// One job: its summary, progress, reason and failed chunks, the chunk table when read, and what
// to run next.
std::string JobText(const JobView& job, const std::string& deployment_flags);

// Fields in a fixed order (job, file, container, pipeline, state, ...).
nlohmann::ordered_json JobJson(const JobView& job);
nlohmann::ordered_json ChunkJson(const pipelines::ChunkRow& chunk);

// Per tenant: TENANT FILES BYTES ROWS REJECTED FAILED REFUSED QUEUED RUNNING COMPLETED RATE (the
// mean ingestion rate over completed jobs).
std::string TenantsText(const std::vector<pipelines::TenantReport>& reports);
// Fields in a fixed order; mean_bytes_per_second is a number (0 with no completed job).
nlohmann::ordered_json TenantJson(const pipelines::TenantReport& report);

}  // namespace fanfold::cli

// What the trigger and the CLI ask of a pipeline, whichever pipeline it is: start a job, re-run
// what failed of it, and say how far it has got. Each pipeline kind implements it in its own
// folder (orchestrated/, chained/); nothing outside those folders branches on the kind.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "orchestrator/task_hub.hpp"
#include "pipelines/job_rows.hpp"
#include "pipelines/job_spec.hpp"
#include "pipelines/pipeline_context.hpp"
#include "pipelines/pipeline_names.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

// How far a job has got. `approximate`: counted from something that counts duplicates too (a
// queue's approximate length), so `done` may be a little over; `failing` is then 0.
struct JobProgress {
  std::int64_t done = 0;
  std::int64_t failing = 0;  // chunks whose latest attempt failed and that will be tried again
  std::int64_t total = 0;
  bool approximate = false;
};

class JobPipeline {
 public:
  virtual ~JobPipeline() = default;

  virtual PipelineKind kind() const = 0;
  // Starts the job (the trigger calls it once the job row is Queued); idempotent in effect.
  virtual storage::Status Start(const JobSpec& spec) const = 0;
  // Re-runs only what failed of a Failed job (every chunk that succeeded keeps its result) and
  // says what it did, for a person. InvalidArgument, with what to do instead, when the job cannot
  // be retried now.
  virtual storage::Result<std::string> Retry(const JobRow& row) const = 0;
  // A job's progress; for a finished job, what its row says.
  virtual storage::Result<JobProgress> Progress(const JobRow& row) const = 0;
  // Whether `fanfold status JOB --chunks` has per-chunk rows (attempts, errors) to show.
  virtual bool KeepsChunkRows() const = 0;
};

// The task hub the orchestrated pipeline runs on, opened when first needed (a command that only
// reads the Jobs table never opens it). Its error is the caller's to explain.
using HubOpener = std::function<storage::Result<std::shared_ptr<const orchestrator::TaskHub>>()>;

// Every pipeline kind, by kind.
class JobPipelines {
 public:
  JobPipelines(std::shared_ptr<const PipelineContext> context, HubOpener hub);

  const JobPipeline& For(PipelineKind kind) const;
  const std::map<PipelineKind, std::unique_ptr<const JobPipeline>>& all() const {
    return pipelines_;
  }
  // The pipeline a job row names; InvalidArgument for a name no pipeline has.
  storage::Result<const JobPipeline*> For(const JobRow& row) const;

 private:
  std::map<PipelineKind, std::unique_ptr<const JobPipeline>> pipelines_;
};

// Each pipeline's Start, by kind, as the trigger takes them (it keeps `pipelines` alive).
std::map<PipelineKind, std::function<storage::Status(const JobSpec&)>> StartersOf(
    const std::shared_ptr<const JobPipelines>& pipelines);

// "2, 5, 7": chunk indices as a person reads them (what retry and status print).
std::string ChunkListText(const std::vector<std::uint32_t>& chunks);

// The progress a finished job's row records (what every pipeline's Progress answers for one).
JobProgress ProgressOfFinishedRow(const JobRow& row);

}  // namespace fanfold::pipelines

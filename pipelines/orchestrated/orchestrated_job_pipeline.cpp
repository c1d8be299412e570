// The orchestrated pipeline as a JobPipeline: a job is an orchestration (instance id = job id);
// its progress is its chunk rows; a retry revives the job row and rewinds the orchestration, so
// only the activities that failed run again (the others' results stay in its history).
#include "orchestrator/task_hub_client.hpp"
#include "pipelines/orchestrated/mean_balance_orchestration.hpp"

namespace fanfold::pipelines::orchestrated {
namespace {

using orchestrator::RuntimeStatus;
using storage::Result;
using storage::Status;

class OrchestratedJobPipeline final : public JobPipeline {
 public:
  OrchestratedJobPipeline(std::shared_ptr<const PipelineContext> context, HubOpener hub)
      : context_(std::move(context)), hub_(std::move(hub)) {}

  PipelineKind kind() const override { return PipelineKind::kOrchestrated; }
  bool KeepsChunkRows() const override { return true; }

  Status Start(const JobSpec& spec) const override {
    auto hub = hub_();
    if (!hub.ok()) return hub.status();
    return StartOrchestratedJob(*hub, spec);
  }

  Result<JobProgress> Progress(const JobRow& row) const override {
    if (IsFinished(row.state)) return ProgressOfFinishedRow(row);
    auto tally = context_->jobs.TallyChunks(row.job);
    if (!tally.ok()) return tally.status();
    JobProgress progress;
    progress.done = tally->done;
    progress.failing = static_cast<std::int64_t>(tally->failed.size());
    progress.total = row.chunks_total;
    return progress;
  }

  Result<std::string> Retry(const JobRow& row) const override {
    if (row.state != JobState::kFailed && row.state != JobState::kRunning) {
      return NotRetryable(row);
    }
    auto hub = hub_();
    if (!hub.ok()) return hub.status();
    const orchestrator::TaskHubClient client(*hub);
    auto instance = client.GetStatus(row.job);
    if (!instance.ok()) {
      if (!instance.status().IsNotFound()) return instance.status();
      return Status::InvalidArgument("job " + row.job +
                                     " has no orchestration in this task hub: give the --hub "
                                     "(or FANFOLD_HUB) its workers use");
    }
    if (instance->status == RuntimeStatus::kTerminated) {
      return Status::InvalidArgument("job " + row.job +
                                     ": its orchestration was terminated, and a terminated "
                                     "orchestration cannot be rewound: upload the file again");
    }
    if (row.state == JobState::kRunning) {
      // A Running row under a Failed orchestration is a retry that stopped between its two
      // steps: the rewind alone finishes it. Under a running orchestration, nothing failed.
      if (instance->status != RuntimeStatus::kFailed) return NotRetryable(row);
      return Rewind(client, row, "fanfold retry (resumed)");
    }
    return ReviveAndRewind(client, row, *instance);
  }

 private:
  static Status NotRetryable(const JobRow& row) {
    std::string what = "job " + row.job + " is " + JobStateName(row.state);
    if (row.state == JobState::kCompleted)
      return Status::InvalidArgument(what + ": nothing failed");
    if (row.state == JobState::kRefused) {
      return Status::InvalidArgument(what + " (" + row.error +
                                     "): fix the file and upload it again");
    }
    return Status::InvalidArgument(what +
                                   ": nothing has failed (yet); follow it with "
                                   "`fanfold status " +
                                   row.job + " --watch`");
  }

  Result<std::string> ReviveAndRewind(const orchestrator::TaskHubClient& client, const JobRow& row,
                                      const orchestrator::InstanceStatus& instance) const {
    auto revived = context_->jobs.Revive(row.job, "fanfold retry", row.etag);
    if (!revived.ok()) return revived.status();
    if (!revived->moved) {
      return Status::Aborted("job " + row.job + " changed while it was being retried (it is " +
                             JobStateName(revived->row.state) +
                             "); look again with `fanfold "
                             "status " +
                             row.job + "`");
    }
    if (instance.status != RuntimeStatus::kFailed) {
      // Failed by its owner while the orchestration still runs (or after a manual rewind): the
      // revived row is all it takes.
      return std::string("job ") + row.job + " (orchestrated): running again";
    }
    auto rewound = Rewind(client, row, "fanfold retry");
    if (!rewound.ok()) {
      // Never leave a Running row under a Failed orchestration nobody will rewind.
      (void)context_->jobs.Fail(
          row.job, JobFailure{row.error + " (and `fanfold retry` could not rewind it: " +
                                  rewound.status().ToString() + ")",
                              std::nullopt, std::nullopt});
    }
    return rewound;
  }

  Result<std::string> Rewind(const orchestrator::TaskHubClient& client, const JobRow& row,
                             const std::string& reason) const {
    FANFOLD_RETURN_IF_ERROR(client.Rewind(row.job, reason));
    if (row.failed_chunks.empty()) {
      return "job " + row.job + " (orchestrated): rewound; the step that failed runs again";
    }
    return "job " + row.job + " (orchestrated): re-queued chunk" +
           (row.failed_chunks.size() == 1 ? " " : "s ") + ChunkListText(row.failed_chunks) +
           "; the other chunks keep their results";
  }

  std::shared_ptr<const PipelineContext> context_;
  HubOpener hub_;
};

}  // namespace

std::unique_ptr<const JobPipeline> MakeOrchestratedJobPipeline(
    std::shared_ptr<const PipelineContext> context, HubOpener hub) {
  return std::make_unique<OrchestratedJobPipeline>(std::move(context), std::move(hub));
}

}  // namespace fanfold::pipelines::orchestrated

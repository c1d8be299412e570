// The dashboard's JSON API: what each GET and POST under /api/ answers, independent of the HTTP
// server (dashboard_server.hpp routes to it), so it can be driven directly.
//
// It reads storage only (the Jobs table, a job's progress through its pipeline, the task hub's
// instances and history); the actions call the same code as `fanfold retry`, `rewind`,
// `terminate` and `purge`. Job JSON is `fanfold status --json`'s (cli::JobJson) and a result is
// `fanfold result --json`'s text (cli::ResultJsonText), so the numbers agree to the byte. No
// answer carries a key, SAS or connection string: nothing read here holds one, and error texts
// pass through telemetry::Redact as log lines do.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "orchestrator/task_hub.hpp"
#include "pipelines/job_pipeline.hpp"
#include "pipelines/pipeline_context.hpp"

namespace fanfold::dashboard {

struct ApiResponse {
  int http_status = 200;
  std::string body;  // JSON text
};

using QueryParams = std::multimap<std::string, std::string>;

class DashboardApi {
 public:
  // `hub` is the orchestrated pipeline's task hub (instances and their history).
  DashboardApi(std::shared_ptr<const pipelines::PipelineContext> context,
               std::shared_ptr<const pipelines::JobPipelines> pipelines,
               std::shared_ptr<const orchestrator::TaskHub> hub);

  // GET /api/jobs: {"jobs": [...], "total", "offset", "limit", "tenants": [...], "now"}; filters
  // and paging as ParseJobQuery reads them. An account with no Jobs table yet lists nothing.
  ApiResponse Jobs(const QueryParams& params) const;
  // GET /api/jobs/ID: {"job": {... "chunks"}, "result": <result --json> | null,
  // "result_display": [{"nation", "rows", "sum", "mean"}], "retry": {...}}.
  ApiResponse Job(const std::string& id) const;
  // GET /api/jobs/ID/result: exactly what `fanfold result ID --json` prints.
  ApiResponse JobResult(const std::string& id) const;
  // GET /api/instances: status= name= prefix= from= to= limit= continuation=.
  ApiResponse Instances(const QueryParams& params) const;
  // GET /api/instances/ID: the instance (input, output, custom status, failure) and history.
  ApiResponse Instance(const std::string& id) const;

  // POST actions: {"message": what was done} or {"error"}.
  ApiResponse RetryJob(const std::string& id) const;
  ApiResponse Rewind(const std::string& id, const std::string& reason) const;
  ApiResponse Terminate(const std::string& id, const std::string& reason) const;
  ApiResponse Purge(const std::string& id) const;

 private:
  std::shared_ptr<const pipelines::PipelineContext> context_;
  std::shared_ptr<const pipelines::JobPipelines> pipelines_;
  std::shared_ptr<const orchestrator::TaskHub> hub_;
};

// {"error": text}, with the text redacted.
ApiResponse ErrorResponse(int http_status, const std::string& message);

}  // namespace fanfold::dashboard

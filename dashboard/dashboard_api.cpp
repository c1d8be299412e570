#include "dashboard/dashboard_api.hpp"

#include <nlohmann/json.hpp>

#include "activities/cents.hpp"
#include "cli/hub_access.hpp"
#include "cli/job_status_view.hpp"
#include "cli/result_output.hpp"
#include "dashboard/job_query.hpp"
#include "orchestrator/task_hub_client.hpp"
#include "pipelines/jobs_table.hpp"
#include "pipelines/tenant_report.hpp"
#include "storage/ascii_text.hpp"
#include "telemetry/log.hpp"

namespace fanfold::dashboard {
namespace {

using nlohmann::ordered_json;
using pipelines::JobRow;
using pipelines::JobState;

ApiResponse Json(const ordered_json& body, int http_status = 200) {
  return {http_status, body.dump()};
}

// A storage failure as an answer: 404 for what does not exist, 409 for an action the state does
// not allow, 503 when storage cannot be reached, 500 for the rest.
ApiResponse FromStatus(const storage::Status& status) {
  int code = 500;
  if (status.IsNotFound()) {
    code = 404;
  } else if (status.IsInvalidArgument() || status.IsConflict()) {
    code = 409;
  } else if (status.IsTransport() || status.IsTimeout() || status.http_status() == 403) {
    code = 503;
  }
  return ErrorResponse(code, status.ToString());
}

std::string Now() {
  return tablestore::FormatEdmDateTime(pipelines::NowForTable());
}

// Nation rows as the result table prints them: exact money text, not numbers a browser would
// round through a double.
ordered_json ResultDisplay(const activities::MeanBalanceResult& result) {
  ordered_json nations = ordered_json::array();
  for (const auto& nation : result.nations) {
    nations.push_back({{"nation", nation.nation_key},
                       {"rows", nation.rows},
                       {"sum", cli::FormatSumCents(nation.sum_cents)},
                       {"mean", nation.mean()}});
  }
  return nations;
}

ordered_json RetryPlan(const JobRow& row) {
  ordered_json plan = {{"possible", row.state == JobState::kFailed}, {"chunks", row.failed_chunks}};
  if (row.state != JobState::kFailed) {
    plan["summary"] = row.state == JobState::kRefused
                          ? "nothing to retry: the file was refused; fix it and upload it again"
                          : "only a Failed job is retried";
  } else if (row.failed_chunks.empty()) {
    plan["summary"] = "re-runs what failed of the job (its plan or merge); no chunk result is lost";
  } else {
    const auto kept = row.chunks_total - static_cast<std::int64_t>(row.failed_chunks.size());
    plan["summary"] = "re-runs only chunks " + pipelines::ChunkListText(row.failed_chunks) + "; " +
                      std::to_string(kept < 0 ? 0 : kept) + " other chunk(s) keep their results";
  }
  return plan;
}

std::optional<storage::Timestamp> InstanceTime(const QueryParams& params, const char* name,
                                               std::string* error) {
  const auto found = params.find(name);
  if (found == params.end() || found->second.empty()) return std::nullopt;
  auto parsed = storage::ParseIso8601(found->second);
  if (!parsed) *error = std::string(name) + " must be an ISO 8601 UTC time";
  return parsed;
}

std::string Param(const QueryParams& params, const char* name) {
  const auto found = params.find(name);
  return found == params.end() ? std::string() : found->second;
}

}  // namespace

ApiResponse ErrorResponse(int http_status, const std::string& message) {
  return {http_status, ordered_json{{"error", telemetry::Redact(message)}}.dump()};
}

DashboardApi::DashboardApi(std::shared_ptr<const pipelines::PipelineContext> context,
                           std::shared_ptr<const pipelines::JobPipelines> pipelines,
                           std::shared_ptr<const orchestrator::TaskHub> hub)
    : context_(std::move(context)), pipelines_(std::move(pipelines)), hub_(std::move(hub)) {}

ApiResponse DashboardApi::Jobs(const QueryParams& params) const {
  auto query = ParseJobQuery(params);
  if (!query.ok()) return ErrorResponse(400, query.status().message());
  // Two passes over the Jobs table (job_query.hpp): a request never holds every row.
  JobSelector selector(*query, pipelines::NowForTable());
  storage::Status listed = context_->jobs.ForEachJob([&](JobRow row) {
    selector.Offer(row);
    return true;
  });
  if (listed.ok() && selector.total() > 0) {
    listed = context_->jobs.ForEachJob([&](JobRow row) {
      selector.Collect(std::move(row));
      return true;
    });
  }
  // No Jobs table yet (nothing uploaded on this account): an empty list, not an error.
  if (!listed.ok() && !cli::IsTableMissing(listed)) return FromStatus(listed);
  ordered_json jobs = ordered_json::array();
  // Live progress only for the page shown: a running job's costs a query.
  for (auto& row : selector.TakePage()) {
    auto view = cli::ReadJobView(*context_, *pipelines_, std::move(row), false);
    if (!view.ok()) return FromStatus(view.status());
    jobs.push_back(cli::JobJson(*view));
  }
  ordered_json tenants = ordered_json::array();
  for (const auto& report : selector.tenants().Reports())
    tenants.push_back(cli::TenantJson(report));
  return Json({{"jobs", std::move(jobs)},
               {"total", selector.total()},
               {"offset", query->offset},
               {"limit", query->limit},
               {"tenants", std::move(tenants)},
               {"now", Now()}});
}

ApiResponse DashboardApi::Job(const std::string& id) const {
  auto row = context_->jobs.GetJob(id);
  if (!row.ok()) {
    if (row.status().IsNotFound()) return ErrorResponse(404, "no job '" + id + "'");
    return FromStatus(row.status());
  }
  const ordered_json retry = RetryPlan(*row);
  auto view = cli::ReadJobView(*context_, *pipelines_, std::move(*row), true);
  if (!view.ok()) return FromStatus(view.status());
  ordered_json body = {{"job", cli::JobJson(*view)}, {"keeps_chunk_rows", view->keeps_chunk_rows}};
  std::string result_text = "null";
  if (view->row.state == JobState::kCompleted) {
    auto result = cli::ReadJobResult(view->row);
    if (!result.ok()) return FromStatus(result.status());
    result_text = cli::ResultJsonText(view->row, &*result);
    body["result_display"] = ResultDisplay(*result);
  }
  body["retry"] = retry;
  body["now"] = Now();
  // The result goes in as `fanfold result --json` writes it (means with exactly two decimals),
  // not re-encoded through doubles.
  std::string text = body.dump();
  text.pop_back();
  text += ",\"result\":" + result_text + "}";
  return {200, text};
}

ApiResponse DashboardApi::JobResult(const std::string& id) const {
  auto row = context_->jobs.GetJob(id);
  if (!row.ok()) {
    if (row.status().IsNotFound()) return ErrorResponse(404, "no job '" + id + "'");
    return FromStatus(row.status());
  }
  if (row->state != JobState::kCompleted) return {409, cli::ResultJsonText(*row, nullptr) + "\n"};
  auto result = cli::ReadJobResult(*row);
  if (!result.ok()) return FromStatus(result.status());
  return {200, cli::ResultJsonText(*row, &*result) + "\n"};
}

ApiResponse DashboardApi::Instances(const QueryParams& params) const {
  orchestrator::InstanceQuery query;
  if (const std::string status = Param(params, "status"); !status.empty()) {
    for (const std::string& name : storage::SplitCommas(status)) {
      const auto parsed = orchestrator::RuntimeStatusFromName(name);
      if (!parsed) return ErrorResponse(400, "status: no status '" + name + "'");
      query.statuses.push_back(*parsed);
    }
  }
  std::string error;
  query.created_from = InstanceTime(params, "from", &error);
  query.created_to = InstanceTime(params, "to", &error);
  if (!error.empty()) return ErrorResponse(400, error);
  query.instance_id_prefix = Param(params, "prefix");
  query.continuation = Param(params, "continuation");
  query.page_size = 100;
  if (const std::string limit = Param(params, "limit"); !limit.empty()) {
    const int value = std::atoi(limit.c_str());
    if (value < 1 || value > 1000) return ErrorResponse(400, "limit must be 1 to 1000");
    query.page_size = value;
  }
  const std::string name = Param(params, "name");
  orchestrator::TaskHubClient client(hub_);
  auto page = client.Query(query);
  ordered_json instances = ordered_json::array();
  std::string continuation;
  if (!page.ok() && !cli::IsTableMissing(page.status())) return FromStatus(page.status());
  if (page.ok()) {
    for (const auto& instance : page->instances) {
      if (!name.empty() && instance.name.find(name) == std::string::npos) continue;
      nlohmann::json one = orchestrator::ToJson(instance);
      one.erase("input");  // a list shows what each is, not its payloads
      one.erase("output");
      instances.push_back(ordered_json::parse(one.dump()));
    }
    continuation = page->continuation;
  }
  return Json({{"instances", std::move(instances)},
               {"continuation", continuation},
               {"hub_exists", page.ok()},
               {"now", Now()}});
}

ApiResponse DashboardApi::Instance(const std::string& id) const {
  orchestrator::TaskHubClient client(hub_);
  auto status = client.GetStatus(id);
  if (!status.ok()) {
    if (status.status().IsNotFound()) return ErrorResponse(404, "no instance '" + id + "'");
    return FromStatus(status.status());
  }
  auto history = hub_->history().Load(id);
  if (!history.ok()) return FromStatus(history.status());
  nlohmann::json events = nlohmann::json::array();
  for (const auto& event : history->events)
    events.push_back(orchestrator::ToJson(event));
  nlohmann::json body = {
      {"instance", orchestrator::ToJson(*status)}, {"history", std::move(events)}, {"now", Now()}};
  return {200, body.dump()};
}

ApiResponse DashboardApi::RetryJob(const std::string& id) const {
  auto row = context_->jobs.GetJob(id);
  if (!row.ok()) {
    if (row.status().IsNotFound()) return ErrorResponse(404, "no job '" + id + "'");
    return FromStatus(row.status());
  }
  if (row->state == JobState::kCompleted) {
    return ErrorResponse(409, "job " + id + " completed: nothing to retry");
  }
  if (row->state == JobState::kRefused) {
    return ErrorResponse(
        409, "job " + id + " was refused (" + row->error + "): fix the file and upload it again");
  }
  auto pipeline = pipelines_->For(*row);
  if (!pipeline.ok()) return FromStatus(pipeline.status());
  auto retried = (*pipeline)->Retry(*row);
  if (!retried.ok()) return FromStatus(retried.status());
  return Json({{"message", *retried}});
}

ApiResponse DashboardApi::Rewind(const std::string& id, const std::string& reason) const {
  const auto done = orchestrator::TaskHubClient(hub_).Rewind(id, reason);
  if (!done.ok()) return FromStatus(done);
  return Json({{"message", "rewind of " + id + " sent: only its failed activities run again"}});
}

ApiResponse DashboardApi::Terminate(const std::string& id, const std::string& reason) const {
  const auto done = orchestrator::TaskHubClient(hub_).Terminate(id, reason);
  if (!done.ok()) return FromStatus(done);
  return Json({{"message", "terminate of " + id + " sent"}});
}

ApiResponse DashboardApi::Purge(const std::string& id) const {
  const auto done = orchestrator::TaskHubClient(hub_).Purge(id);
  if (!done.ok()) return FromStatus(done);
  return Json({{"message", "instance " + id + " purged"}});
}

}  // namespace fanfold::dashboard

#include "cli/worker_scrape.hpp"

#include <cstdio>
#include <fstream>

#include "storage/curl_transport.hpp"
#include "telemetry/metrics_reader.hpp"

namespace fanfold::cli {
namespace {

storage::Result<std::string> Scrape(storage::Transport& transport, const std::string& url) {
  auto parsed = storage::Url::Parse(url);
  if (!parsed.ok()) return parsed.status();
  storage::HttpRequest request;
  request.method = storage::HttpMethod::kGet;
  request.url = *parsed;
  request.timeout = std::chrono::seconds(10);
  auto response = transport.Send(request);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return storage::Status::IoError(url + " answered HTTP " + std::to_string(response->status));
  }
  return response->body;
}

}  // namespace

bool CheckWorkerMetrics(const WorkerChildren& workers, const std::vector<pipelines::JobRow>& jobs) {
  storage::CurlTransport transport;
  std::vector<telemetry::MetricSample> all;
  bool scraped_all = true;
  for (std::size_t i = 0; i < workers.metrics_urls().size(); ++i) {
    const std::string& url = workers.metrics_urls()[i];
    auto text = Scrape(transport, url);
    auto samples = text.ok() ? telemetry::ParseMetricsText(*text)
                             : storage::Result<std::vector<telemetry::MetricSample>>(text.status());
    if (!samples.ok()) {
      std::fprintf(stderr, "metrics: worker %zu (%s): %s\n", i + 1, url.c_str(),
                   samples.status().ToString().c_str());
      scraped_all = false;
      continue;
    }
    const std::string kept =
        workers.log_directory() + "/worker-" + std::to_string(i + 1) + ".metrics";
    std::ofstream(kept) << *text;
    all.insert(all.end(), samples->begin(), samples->end());
  }
  std::int64_t chunks = 0;
  std::int64_t rows = 0;
  for (const auto& job : jobs) {
    chunks += job.chunks_total;
    rows += job.rows + job.rejected;
  }
  const double completed =
      telemetry::SumSamples(all, "fanfold_jobs_total", {{"outcome", "completed"}});
  const double aggregated =
      telemetry::SumSamples(all, "fanfold_chunks_total", {{"outcome", "aggregated"}});
  const double rows_read = telemetry::SumSamples(all, "fanfold_input_rows_total");
  const double requests = telemetry::SumSamples(all, "fanfold_storage_requests_total");
  // Delivery is at least once: a chunk that ran twice counts twice, so "more" is consistent,
  // "fewer" is not.
  const bool consistent = scraped_all && completed >= static_cast<double>(jobs.size()) &&
                          aggregated >= static_cast<double>(chunks) &&
                          rows_read >= static_cast<double>(rows);
  const bool exact = completed == static_cast<double>(jobs.size()) &&
                     aggregated == static_cast<double>(chunks) &&
                     rows_read == static_cast<double>(rows);
  std::printf(
      "metrics: %zu workers scraped (scrapes kept in %s)\n"
      "  jobs completed     %-10.0f (jobs table: %zu)\n"
      "  chunks aggregated  %-10.0f (jobs table: %lld)\n"
      "  rows read          %-10.0f (jobs table: %lld)\n"
      "  storage requests   %.0f\n"
      "  %s\n",
      workers.metrics_urls().size(), workers.log_directory().c_str(), completed, jobs.size(),
      aggregated, static_cast<long long>(chunks), rows_read, static_cast<long long>(rows), requests,
      !consistent ? "INCONSISTENT with the jobs table"
      : exact     ? "consistent with the jobs table (exactly)"
                  : "consistent with the jobs table (some work ran more than once: at-least-once "
                    "delivery)");
  return consistent;
}

}  // namespace fanfold::cli

// Reads Prometheus text back into samples: what `fanfold demo` and the tests use to check a
// scrape against the work a job did. Comments and blank lines are skipped; a line that is not a
// sample is an error, so a malformed scrape cannot pass for an empty one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"
#include "telemetry/metrics.hpp"

namespace fanfold::telemetry {

struct MetricSample {
  std::string name;
  MetricLabels labels;  // in the order written
  double value = 0;
};

storage::Result<std::vector<MetricSample>> ParseMetricsText(std::string_view text);

// The sum of every sample named `name` whose labels include all of `match`.
double SumSamples(const std::vector<MetricSample>& samples, std::string_view name,
                  const MetricLabels& match = {});

}  // namespace fanfold::telemetry

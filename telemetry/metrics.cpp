#include "telemetry/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fanfold::telemetry {

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)), counts_(upper_bounds_.size() + 1, 0) {
  std::sort(upper_bounds_.begin(), upper_bounds_.end());
}

void Histogram::Observe(double value) {
  // The first bucket whose bound is >= value; past the last bound is the +Inf bucket.
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin());
  std::lock_guard<std::mutex> lock(mutex_);
  ++counts_[bucket];
  ++count_;
  sum_ += value;
}

Histogram::Snapshot Histogram::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  Snapshot out;
  out.upper_bounds = upper_bounds_;
  out.count = count_;
  out.sum = sum_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < upper_bounds_.size(); ++i) {
    running += counts_[i];
    out.cumulative.push_back(running);
  }
  return out;
}

std::vector<double> LatencyBucketsSeconds() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[64];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(text, sizeof text, "%.0f", value);
  } else if (std::fabs(value) >= 1e5) {
    std::snprintf(text, sizeof text, "%.3f", value);  // timestamps keep their milliseconds
  } else {
    std::snprintf(text, sizeof text, "%.9g", value);
  }
  return text;
}

namespace {

void AppendLabels(std::string& out, const MetricLabels& labels, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (labels.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  const auto append = [&](std::string_view name, std::string_view value) {
    if (!first) out += ',';
    first = false;
    out.append(name);
    out += "=\"";
    out += EscapeLabelValue(value);
    out += '"';
  };
  for (const auto& [name, value] : labels)
    append(name, value);
  if (!extra_name.empty()) append(extra_name, extra_value);
  out += '}';
}

}  // namespace

void MetricsText::Family(std::string_view name, std::string_view type, std::string_view help) {
  text_ += "# HELP ";
  text_.append(name);
  text_ += ' ';
  // HELP text escapes only backslash and newline.
  for (const char c : help) {
    if (c == '\\') {
      text_ += "\\\\";
    } else if (c == '\n') {
      text_ += "\\n";
    } else {
      text_ += c;
    }
  }
  text_ += "\n# TYPE ";
  text_.append(name);
  text_ += ' ';
  text_.append(type);
  text_ += '\n';
}

void MetricsText::Sample(std::string_view name, const MetricLabels& labels, double value) {
  text_.append(name);
  AppendLabels(text_, labels);
  text_ += ' ';
  text_ += FormatMetricValue(value);
  text_ += '\n';
}

void MetricsText::HistogramSamples(std::string_view name, const MetricLabels& labels,
                                   const Histogram::Snapshot& histogram) {
  const std::string bucket = std::string(name) + "_bucket";
  for (std::size_t i = 0; i < histogram.upper_bounds.size(); ++i) {
    text_ += bucket;
    AppendLabels(text_, labels, "le", FormatMetricValue(histogram.upper_bounds[i]));
    text_ += ' ' + FormatMetricValue(static_cast<double>(histogram.cumulative[i])) + '\n';
  }
  text_ += bucket;
  AppendLabels(text_, labels, "le", "+Inf");
  text_ += ' ' + FormatMetricValue(static_cast<double>(histogram.count)) + '\n';
  Sample(std::string(name) + "_sum", labels, histogram.sum);
  Sample(std::string(name) + "_count", labels, static_cast<double>(histogram.count));
}

void MetricsRegistry::AddCollector(Collector collector) {
  std::lock_guard<std::mutex> lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::Render() const {
  std::vector<Collector> collectors;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    collectors = collectors_;
  }
  MetricsText text;
  for (const auto& collector : collectors)
    collector(text);
  return text.text();
}

}  // namespace fanfold::telemetry

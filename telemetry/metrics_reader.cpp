#include "telemetry/metrics_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace fanfold::telemetry {
namespace {

storage::Status Malformed(std::size_t line_number, std::string_view why) {
  return storage::Status::Corruption("metrics line " + std::to_string(line_number) + ": " +
                                     std::string(why));
}

double ParseValue(const std::string& text, bool* ok) {
  *ok = true;
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  *ok = end != text.c_str() && *end == '\0';
  return value;
}

}  // namespace

storage::Result<std::vector<MetricSample>> ParseMetricsText(std::string_view text) {
  std::vector<MetricSample> samples;
  std::size_t line_number = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    MetricSample sample;
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ')
      ++i;
    sample.name = std::string(line.substr(0, i));
    if (sample.name.empty()) return Malformed(line_number, "no metric name");
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const std::size_t equals = line.find('=', i);
        if (equals == std::string_view::npos || equals + 1 >= line.size() ||
            line[equals + 1] != '"') {
          return Malformed(line_number, "a label is not name=\"value\"");
        }
        std::string name(line.substr(i, equals - i));
        std::string value;
        std::size_t j = equals + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) {
            ++j;
            value += line[j] == 'n' ? '\n' : line[j];
          } else {
            value += line[j];
          }
        }
        if (j >= line.size()) return Malformed(line_number, "an unterminated label value");
        sample.labels.emplace_back(std::move(name), std::move(value));
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return Malformed(line_number, "labels without a closing brace");
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return Malformed(line_number, "no value");
    std::string value_text(line.substr(i + 1));
    if (const auto space = value_text.find(' '); space != std::string::npos) {
      value_text.resize(space);  // a timestamp may follow
    }
    bool ok = false;
    sample.value = ParseValue(value_text, &ok);
    if (!ok) return Malformed(line_number, "the value is not a number");
    samples.push_back(std::move(sample));
  }
  return samples;
}

double SumSamples(const std::vector<MetricSample>& samples, std::string_view name,
                  const MetricLabels& match) {
  double sum = 0;
  for (const auto& sample : samples) {
    if (sample.name != name) continue;
    const bool matches = std::all_of(match.begin(), match.end(), [&](const auto& wanted) {
      return std::find(sample.labels.begin(), sample.labels.end(), wanted) != sample.labels.end();
    });
    if (matches) sum += sample.value;
  }
  return sum;
}

}  // namespace fanfold::telemetry

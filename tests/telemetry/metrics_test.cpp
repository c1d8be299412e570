// The Prometheus text format as /metrics writes it, read back by the reader the demo and the
// tests use, and the metrics derived from log events.
#include "telemetry/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "telemetry/event_metrics.hpp"
#include "telemetry/log.hpp"
#include "telemetry/metrics_reader.hpp"

namespace fanfold::telemetry {
namespace {

TEST(HistogramTest, BucketsAreCumulativeAndInclusiveOfTheirBound) {
  Histogram histogram({0.1, 1, 10});
  for (const double value : {0.05, 0.1, 0.5, 1.0, 3.0, 50.0})
    histogram.Observe(value);
  const auto snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.cumulative, (std::vector<std::uint64_t>{2, 4, 5}));
  EXPECT_EQ(snapshot.count, 6u);
  EXPECT_DOUBLE_EQ(snapshot.sum, 54.65);
}

TEST(MetricsTextTest, WritesTheExpositionFormat) {
  MetricsText text;
  text.Family("jobs_total", "counter", "Jobs by outcome.\nSecond line \\ here.");
  text.Sample("jobs_total", {{"pipeline", "chained"}, {"outcome", "completed"}}, 3);
  Histogram histogram({0.5, 2});
  histogram.Observe(0.25);
  histogram.Observe(1);
  text.Family("job_seconds", "histogram", "Job latency.");
  text.HistogramSamples("job_seconds", {{"pipeline", "chained"}}, histogram.snapshot());
  EXPECT_EQ(text.text(),
            "# HELP jobs_total Jobs by outcome.\\nSecond line \\\\ here.\n"
            "# TYPE jobs_total counter\n"
            "jobs_total{pipeline=\"chained\",outcome=\"completed\"} 3\n"
            "# HELP job_seconds Job latency.\n"
            "# TYPE job_seconds histogram\n"
            "job_seconds_bucket{pipeline=\"chained\",le=\"0.5\"} 1\n"
            "job_seconds_bucket{pipeline=\"chained\",le=\"2\"} 2\n"
            "job_seconds_bucket{pipeline=\"chained\",le=\"+Inf\"} 2\n"
            "job_seconds_sum{pipeline=\"chained\"} 1.25\n"
            "job_seconds_count{pipeline=\"chained\"} 2\n");
}

TEST(MetricsTextTest, EscapesLabelValuesAndFormatsSpecialValues) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(FormatMetricValue(42), "42");
  EXPECT_EQ(FormatMetricValue(0.125), "0.125");
  EXPECT_EQ(FormatMetricValue(1796180070.25), "1796180070.250");  // a timestamp keeps its ms
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatMetricValue(std::nan("")), "NaN");
}

TEST(MetricsReaderTest, ReadsBackWhatTheWriterWrites) {
  MetricsText text;
  text.Family("depth", "gauge", "Queue depth.");
  text.Sample("depth", {{"queue", "chain-\"p\"\\1"}}, 7);
  text.Sample("depth", {{"queue", "blob-events"}}, 2);
  text.Family("up", "gauge", "Up.");
  text.Sample("up", {}, 1);
  auto samples = ParseMetricsText(text.text());
  ASSERT_TRUE(samples.ok()) << samples.status().ToString();
  ASSERT_EQ(samples->size(), 3u);
  EXPECT_EQ((*samples)[0].labels, (MetricLabels{{"queue", "chain-\"p\"\\1"}}));
  EXPECT_EQ(SumSamples(*samples, "depth"), 9);
  EXPECT_EQ(SumSamples(*samples, "depth", {{"queue", "blob-events"}}), 2);
  EXPECT_EQ(SumSamples(*samples, "depth", {{"queue", "none"}}), 0);
  EXPECT_EQ(SumSamples(*samples, "up"), 1);
}

TEST(MetricsReaderTest, RefusesMalformedLines) {
  EXPECT_TRUE(ParseMetricsText("ok 1\nbroken{a=\"x\" 2\n").status().code() ==
              storage::StatusCode::kCorruption);
  EXPECT_TRUE(ParseMetricsText("no_value\n").status().code() == storage::StatusCode::kCorruption);
  EXPECT_TRUE(ParseMetricsText("word abc\n").status().code() == storage::StatusCode::kCorruption);
  auto empty = ParseMetricsText("# only comments\n\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

std::vector<MetricSample> Scrape(const EventMetrics& metrics) {
  MetricsText text;
  metrics.Write(text);
  auto samples = ParseMetricsText(text.text());
  EXPECT_TRUE(samples.ok()) << samples.status().ToString() << "\n" << text.text();
  return samples.ok() ? *samples : std::vector<MetricSample>{};
}

TEST(EventMetricsTest, CountsTheEventsTheCodeLogs) {
  EventMetrics metrics;
  metrics.Observe("job.accepted", {{"job", "j1"}, {"pipeline", "chained"}});
  metrics.Observe(
      "chunk.aggregated",
      {{"job", "j1"}, {"rows", 100}, {"rejected", 2}, {"bytes", 5000}, {"duration_ms", 20.0}});
  metrics.Observe(
      "chunk.aggregated",
      {{"job", "j1"}, {"rows", 50}, {"rejected", 0}, {"bytes", 2500}, {"duration_ms", 700.0}});
  metrics.Observe("chunk.failed", {{"job", "j1"}, {"error", "x"}, {"duration_ms", 1.0}});
  metrics.Observe("activity.completed", {{"activity", "aggregate"}, {"duration_ms", 30.0}});
  metrics.Observe("activity.failed", {{"activity", "aggregate"}, {"duration_ms", 3.0}});
  metrics.Observe("job.completed", {{"pipeline", "chained"}, {"duration_ms", 1500.0}});
  metrics.Observe("job.failed", {{"pipeline", "orchestrated"}});
  metrics.Observe("message.poisoned", {{"stage", "trigger"}, {"queue", "blob-events"}});
  metrics.Observe("worker.started", {{"pid", 1}});  // not a metric
  const auto samples = Scrape(metrics);
  EXPECT_EQ(
      SumSamples(samples, "fanfold_jobs_total", {{"pipeline", "chained"}, {"outcome", "accepted"}}),
      1);
  EXPECT_EQ(SumSamples(samples, "fanfold_jobs_total",
                       {{"pipeline", "chained"}, {"outcome", "completed"}}),
            1);
  EXPECT_EQ(SumSamples(samples, "fanfold_jobs_total", {{"outcome", "failed"}}), 1);
  EXPECT_EQ(SumSamples(samples, "fanfold_chunks_total", {{"outcome", "aggregated"}}), 2);
  EXPECT_EQ(SumSamples(samples, "fanfold_chunks_total", {{"outcome", "failed"}}), 1);
  EXPECT_EQ(SumSamples(samples, "fanfold_input_rows_total"), 150);
  EXPECT_EQ(SumSamples(samples, "fanfold_rejected_rows_total"), 2);
  EXPECT_EQ(SumSamples(samples, "fanfold_input_bytes_total"), 7500);
  EXPECT_EQ(SumSamples(samples, "fanfold_chunk_duration_seconds_count"), 3);
  EXPECT_EQ(SumSamples(samples, "fanfold_chunk_duration_seconds_bucket", {{"le", "0.025"}}), 2);
  EXPECT_EQ(SumSamples(samples, "fanfold_activities_total",
                       {{"activity", "aggregate"}, {"outcome", "completed"}}),
            1);
  EXPECT_EQ(SumSamples(samples, "fanfold_activities_total", {{"outcome", "failed"}}), 1);
  EXPECT_EQ(SumSamples(samples, "fanfold_job_duration_seconds_count", {{"pipeline", "chained"}}),
            1);
  EXPECT_DOUBLE_EQ(
      SumSamples(samples, "fanfold_job_duration_seconds_sum", {{"pipeline", "chained"}}), 1.5);
  EXPECT_EQ(SumSamples(samples, "fanfold_messages_poisoned_total", {{"stage", "trigger"}}), 1);
}

// Metrics count events whatever the log level: debug events (one per activity) reach the
// observer even when the log shows only warnings.
TEST(EventMetricsTest, SeesEventsBelowTheLogLevelUntilDestroyed) {
  std::FILE* sink = std::tmpfile();
  ASSERT_NE(sink, nullptr);
  const LogOptions previous = CurrentLogOptions();
  LogOptions quiet;
  quiet.min_level = LogLevel::kWarn;
  quiet.sink = sink;
  ConfigureLogging(quiet);
  {
    EventMetrics metrics;
    metrics.Subscribe();
    Log(LogLevel::kDebug, "activity.completed", {{"activity", "merge"}, {"duration_ms", 4.0}});
    EXPECT_EQ(SumSamples(Scrape(metrics), "fanfold_activities_total", {{"activity", "merge"}}), 1);
  }
  // The destroyed one is no longer called (this would crash or count into freed memory).
  Log(LogLevel::kDebug, "activity.completed", {{"activity", "merge"}});
  std::fseek(sink, 0, SEEK_END);
  EXPECT_EQ(std::ftell(sink), 0) << "a debug line was written at level warn";
  ConfigureLogging(previous);
  std::fclose(sink);
}

}  // namespace
}  // namespace fanfold::telemetry

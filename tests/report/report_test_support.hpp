// Shared by the report tests: a price table with round figures (so the arithmetic is checkable
// by hand, and independent of report/prices.json), and the fixture's path.
#pragma once

#include <filesystem>
#include <string>

#include "report/prices.hpp"

namespace fanfold::report::testing {

inline Price P(const std::string& id, double usd) {
  return Price{id,
               "svc",
               "meter",
               "unit",
               usd,
               "https://example.invalid",
               "2026-11-22",
               Provenance::kMicrosoft,
               ""};
}

inline PriceTable RoundPrices() {
  PriceTable t;
  t.month_hours = 730;
  t.prices = {P("blob_write_10k", 5),
              P("blob_read_10k", 0.5),
              P("blob_list_create_10k", 5),
              P("blob_other_10k", 0.5),
              P("blob_stored_gb_month", 7.3),
              P("queue_class1_10k", 2),
              P("queue_class2_10k", 3),
              P("queue_stored_gb_month", 73),
              P("table_transactions_10k", 1),
              P("table_stored_gb_month", 730),
              P("functions_gb_second", 0.01),
              P("functions_million_executions", 0.2),
              P("functions_free_gb_seconds", 400000),
              P("functions_free_executions", 1000000),
              P("functions_memory_step_mb", 128),
              P("functions_memory_max_mb", 1536),
              P("premium_vcpu_hour", 0.1),
              P("premium_gb_hour", 0.01),
              P("flex_gb_second", 0.02),
              P("flex_million_executions", 0.4),
              P("flex_free_gb_seconds", 100000),
              P("flex_free_executions", 250000),
              P("flex_min_billed_ms", 1000),
              P("flex_billed_step_ms", 100)};
  t.flex_instance_memory_mb = 2048;
  return t;
}

inline std::string FixturePath() {
  return (std::filesystem::path(FANFOLD_SOURCE_DIR) / "tests/report/data/pipeline-fixture.json")
      .string();
}

}  // namespace fanfold::report::testing

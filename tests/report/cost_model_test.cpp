#include "report/cost_model.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "report/job_cost.hpp"
#include "report/meters.hpp"
#include "report/results.hpp"
#include "tests/report/report_test_support.hpp"

namespace fanfold::report {
namespace {

using storage::Result;
using testing::FixturePath;
using testing::RoundPrices;

TEST(MeterMapping, EveryCounterKindHasAPricedMeter) {
  const Result<PriceTable> real =
      LoadPriceTable(std::string(FANFOLD_SOURCE_DIR) + "/report/prices.json");
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  for (int i = 0; i < storage::kOperationKindCount; ++i) {
    const auto kind = static_cast<storage::OperationKind>(i);
    const MeterMapping m = MeterFor(kind);
    EXPECT_TRUE(real->Get(m.price_id).ok()) << storage::OperationKindName(kind);
    EXPECT_NE(std::string(m.why), "");
  }
}

TEST(MeterMapping, KindsLandOnTheirAzureMeters) {
  EXPECT_STREQ(MeterForName("table_batch")->price_id, "table_transactions_10k");
  EXPECT_STREQ(MeterForName("table_query")->price_id, "table_transactions_10k");
  EXPECT_STREQ(MeterForName("queue_put")->price_id, "queue_class1_10k");
  EXPECT_STREQ(MeterForName("queue_get")->price_id, "queue_class1_10k");
  EXPECT_STREQ(MeterForName("queue_delete")->price_id, "queue_class1_10k");
  EXPECT_STREQ(MeterForName("queue_update")->price_id, "queue_class1_10k");
  EXPECT_STREQ(MeterForName("queue_peek")->price_id, "queue_class2_10k");
  EXPECT_STREQ(MeterForName("blob_read")->price_id, "blob_read_10k");
  EXPECT_STREQ(MeterForName("blob_write")->price_id, "blob_write_10k");
  EXPECT_STREQ(MeterForName("blob_list")->price_id, "blob_list_create_10k");
  EXPECT_STREQ(MeterForName("blob_properties")->price_id, "blob_other_10k");
  EXPECT_FALSE(MeterForName("table_teleport").ok());
}

TEST(CostModel, MemoryIsRoundedUpTo128MbSteps) {
  EXPECT_EQ(BilledMemoryMb(0, 128, 1536), 128);  // at least one step
  EXPECT_EQ(BilledMemoryMb(1, 128, 1536), 128);
  EXPECT_EQ(BilledMemoryMb(128, 128, 1536), 128);
  EXPECT_EQ(BilledMemoryMb(128.01, 128, 1536), 256);
  EXPECT_EQ(BilledMemoryMb(160, 128, 1536), 256);  // the pricing FAQ's example
  EXPECT_EQ(BilledMemoryMb(5000, 128, 1536), 1536);
  // 131,072 KiB is exactly 128 MB; 140,000 KiB is 136.7 MB -> 256 MB.
  EXPECT_DOUBLE_EQ(WorkerGbSeconds({10, 131072}, 128, 1536), 1.25);
  EXPECT_DOUBLE_EQ(WorkerGbSeconds({10, 140000}, 128, 1536), 2.5);
}

TEST(CostModel, HeldStorageIsProRata) {
  // 1 GB at 7.3 $/GB-month over a 730 h month is 0.01 $/h.
  EXPECT_NEAR(HeldUsd(1e9, 3600, 7.3, 730), 0.01, 1e-12);
  EXPECT_NEAR(HeldUsd(2e9, 1800, 7.3, 730), 0.01, 1e-12);
  EXPECT_EQ(HeldUsd(0, 3600, 7.3, 730), 0);
}

TEST(CostModel, FixtureRunCostsWhatTheArithmeticSays) {
  const Result<PipelineResults> r = LoadPipelineResults(FixturePath());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const PriceTable prices = RoundPrices();
  const FanoutRun& orch = r->fanout[0];
  const Result<RunCost> c = CostOfRun(orch, *r, prices);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  // 10,000 batches at 1 $/10k (one transaction each) + 20,000 gets at 2 $/10k.
  EXPECT_DOUBLE_EQ(c->cost.requests_usd, 1 + 4);
  EXPECT_EQ(c->cost.requests_by_price.at("table_transactions_10k"), 10000u);
  // 1.25 + 2.5 GB-s (128 MB and 256 MB workers); Azurite's CPU is not compute we would pay for.
  EXPECT_DOUBLE_EQ(c->cost.gb_seconds, 3.75);
  EXPECT_DOUBLE_EQ(c->cost.gb_seconds_usd, 0.0375);
  EXPECT_EQ(c->executions, 0);
  // The 1 GB file held for the 2 s latency at 0.01 $/h.
  EXPECT_NEAR(c->cost.file_held_usd, 0.01 * 2 / 3600, 1e-15);
  EXPECT_NEAR(c->cost.total_usd(), 5 + 0.0375 + 0.01 * 2 / 3600, 1e-12);
  EXPECT_NEAR(c->per_gb_usd, c->cost.total_usd() / 1.0, 1e-12);  // the file is 1 GB
}

TEST(CostModel, ExecutionsAreTheWorkersDeletes) {
  const Result<PipelineResults> r = LoadPipelineResults(FixturePath());
  ASSERT_TRUE(r.ok());
  const Result<RunCost> c = CostOfRun(r->fanout[1], *r, RoundPrices());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->executions, 2000000);
  EXPECT_DOUBLE_EQ(c->cost.executions_usd, 0.4);
  EXPECT_DOUBLE_EQ(c->cost.gb_seconds, 0.125);  // 1 s at the 128 MB minimum
}

TEST(FlexCost, ActiveTimeIsBilledAtLeastASecondThenInWholeTenthsOfASecond) {
  EXPECT_EQ(FlexBilledMs(0, 1000, 100), 0);  // an instance that never ran costs nothing
  EXPECT_EQ(FlexBilledMs(0.000001, 1000, 100), 1000);
  EXPECT_EQ(FlexBilledMs(0.2, 1000, 100), 1000);
  EXPECT_EQ(FlexBilledMs(1.0, 1000, 100), 1000);
  EXPECT_EQ(FlexBilledMs(1.000001, 1000, 100), 1100);
  // Exact boundaries stay put: 1.2 s is 12 steps, although 1.2 / 0.1 is 11.999... in doubles.
  EXPECT_EQ(FlexBilledMs(1.2, 1000, 100), 1200);
  EXPECT_EQ(FlexBilledMs(0.7 + 0.6, 1000, 100), 1300);
  EXPECT_EQ(FlexBilledMs(1.25, 1000, 100), 1300);
}

TEST(FlexCost, TheInstanceMemoryIsBilledNotTheMemoryUsed) {
  // 10 s on a 2,048 MB instance is 20 GB-s whether the worker used 128 MB or 1 GB.
  EXPECT_DOUBLE_EQ(FlexWorkerGbSeconds({10, 131072}, 2048, 1000, 100), 20);
  EXPECT_DOUBLE_EQ(FlexWorkerGbSeconds({10, 1048576}, 2048, 1000, 100), 20);
  EXPECT_DOUBLE_EQ(FlexWorkerGbSeconds({10, 131072}, 512, 1000, 100), 5);
  EXPECT_DOUBLE_EQ(FlexWorkerGbSeconds({0.3, 131072}, 4096, 1000, 100), 4);  // the 1 s minimum
}

TEST(FlexCost, FixtureRunIsPricedOnBothPlans) {
  const Result<PipelineResults> r = LoadPipelineResults(FixturePath());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const PriceTable prices = RoundPrices();
  const Result<RunCost> c = CostOfRun(r->fanout[0], *r, prices);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  // Two workers of 10 CPU-seconds each on 2 GB instances: 40 GB-s at 0.02 $/GB-s.
  EXPECT_DOUBLE_EQ(c->cost.flex_gb_seconds, 40);
  EXPECT_DOUBLE_EQ(c->cost.flex_gb_seconds_usd, 0.8);
  EXPECT_DOUBLE_EQ(c->cost.flex_executions_usd, 0);
  // Storage is the same on both plans; only compute differs.
  EXPECT_NEAR(c->cost.flex_total_usd() - c->cost.total_usd(), 0.8 - 0.0375, 1e-12);

  const Result<RunCost> chained = CostOfRun(r->fanout[1], *r, prices);
  ASSERT_TRUE(chained.ok());
  // 2,000,000 executions at 0.4 $/M; 1 CPU-second on one 2 GB instance.
  EXPECT_DOUBLE_EQ(chained->cost.flex_executions_usd, 0.8);
  EXPECT_DOUBLE_EQ(chained->cost.flex_gb_seconds, 2);
  EXPECT_DOUBLE_EQ(chained->cost.flex_compute_usd(), 0.8 + 2 * 0.02);
}

TEST(FlexCost, FreeGrantComesOffTheMonthlyBillFirst) {
  const PriceTable prices = RoundPrices();
  const HostingPlan kFc1 = HostingPlan::kFlexConsumption;
  // 200,000 jobs of 1 GB-s and 1 execution: 100,000 GB-s billed, executions all free.
  EXPECT_NEAR(*MonthlyComputeUsd(kFc1, 1, 1, 200000, prices), 100000 * 0.02, 1e-9);
  // 1 M jobs: 900,000 GB-s and 750,000 executions past the grant.
  EXPECT_NEAR(*MonthlyComputeUsd(kFc1, 1, 1, 1e6, prices), 900000 * 0.02 + 0.75 * 0.4, 1e-6);
  // Within both grants: nothing to pay.
  EXPECT_EQ(*MonthlyComputeUsd(kFc1, 0.5, 1, 100000, prices), 0);
  // 150,000 jobs of 1 GB-s: past Flex's 100,000 GB-s, inside Consumption's 400,000.
  EXPECT_NEAR(*MonthlyComputeUsd(kFc1, 1, 0, 150000, prices), 50000 * 0.02, 1e-9);
  EXPECT_EQ(*MonthlyComputeUsd(HostingPlan::kConsumption, 1, 0, 150000, prices), 0);
  EXPECT_DOUBLE_EQ(*JobsCoveredByFreeGrant(kFc1, 2, 1, prices), 50000);       // GB-s bind
  EXPECT_DOUBLE_EQ(*JobsCoveredByFreeGrant(kFc1, 0.001, 10, prices), 25000);  // executions
  EXPECT_TRUE(std::isinf(*JobsCoveredByFreeGrant(kFc1, 0, 0, prices)));
}

TEST(FlexCost, MissingFlexPriceIsAnErrorNotZero) {
  PriceTable prices = RoundPrices();
  std::erase_if(prices.prices, [](const Price& p) { return p.id == "flex_gb_second"; });
  JobUsage usage;
  usage.workers = {{1, 1024}};
  const Result<CostBreakdown> c = ComputeCost(usage, prices);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("flex_gb_second"), std::string::npos);
  EXPECT_FALSE(MonthlyComputeUsd(HostingPlan::kFlexConsumption, 1, 1, 1, prices).ok());
}

TEST(CostModel, PerGbDividesByDecimalGigabytes) {
  EXPECT_DOUBLE_EQ(*PerGb(2, 4e9), 0.5);
  EXPECT_FALSE(PerGb(1, 0).ok());
}

TEST(CostModel, FreeGrantComesOffTheMonthlyBillFirst) {
  const PriceTable prices = RoundPrices();
  // 500,000 jobs of 1 GB-s and 1 execution: 100,000 GB-s billed, executions all free.
  const HostingPlan kY1 = HostingPlan::kConsumption;
  EXPECT_NEAR(*MonthlyComputeUsd(kY1, 1, 1, 500000, prices), 100000 * 0.01, 1e-9);
  // 3 M executions: 2 M billed at 0.2 $/M; 3 M GB-s less 400,000.
  EXPECT_NEAR(*MonthlyComputeUsd(kY1, 1, 1, 3e6, prices), 2.6e6 * 0.01 + 2 * 0.2, 1e-6);
  EXPECT_EQ(*MonthlyComputeUsd(kY1, 0.1, 0.1, 1000, prices), 0);
  EXPECT_DOUBLE_EQ(*JobsCoveredByFreeGrant(kY1, 4, 1, prices), 100000);       // GB-s bind first
  EXPECT_DOUBLE_EQ(*JobsCoveredByFreeGrant(kY1, 0.001, 10, prices), 100000);  // executions bind
  EXPECT_TRUE(std::isinf(*JobsCoveredByFreeGrant(kY1, 0, 0, prices)));
}

TEST(CostModel, MissingPriceIsAnErrorNotZero) {
  PriceTable prices = RoundPrices();
  prices.prices.erase(prices.prices.begin() + 8);  // table_transactions_10k
  JobUsage usage;
  usage.requests_by_kind["table_write"] = 1;
  const Result<CostBreakdown> c = ComputeCost(usage, prices);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("table_transactions_10k"), std::string::npos);
}

TEST(CostModel, PremiumFloorIsOneInstanceAMonth) {
  PriceTable prices = RoundPrices();
  prices.premium_ep1_vcpu = 1;
  prices.premium_ep1_memory_gb = 3.5;
  EXPECT_NEAR(*PremiumEp1MonthUsd(prices), (0.1 + 3.5 * 0.01) * 730, 1e-9);
}

TEST(PriceTable, ParsesEveryFieldAndRejectsIncompleteEntries) {
  const Result<PriceTable> real =
      LoadPriceTable(std::string(FANFOLD_SOURCE_DIR) + "/report/prices.json");
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  EXPECT_GT(real->prices.size(), 10u);
  EXPECT_DOUBLE_EQ(*real->Usd("functions_free_gb_seconds"), 400000);
  EXPECT_DOUBLE_EQ(*real->Usd("functions_free_executions"), 1000000);
  EXPECT_DOUBLE_EQ(*real->Usd("flex_free_gb_seconds"), 100000);
  EXPECT_DOUBLE_EQ(*real->Usd("flex_free_executions"), 250000);
  EXPECT_DOUBLE_EQ(*real->Usd("blob_stored_gb_month"), 0.0208);
  EXPECT_DOUBLE_EQ(real->flex_instance_memory_mb, 2048);
  // Every dollar figure's provenance is stated; rules read on Learn are Microsoft's.
  EXPECT_EQ(real->Get("flex_min_billed_ms")->provenance, Provenance::kMicrosoft);
  EXPECT_EQ(real->Get("flex_gb_second")->provenance, Provenance::kThirdParty);
  nlohmann::json doc = {{"prices", {{{"id", "x"}, {"usd", 1}}}}};
  EXPECT_FALSE(ParsePriceTable(doc).ok());
  nlohmann::json dup = nlohmann::json::parse(R"({"prices": [
    {"id":"a","service":"s","meter":"m","unit":"u","usd":1,"source":"s","date_read":"d","provenance":"microsoft","note":""},
    {"id":"a","service":"s","meter":"m","unit":"u","usd":1,"source":"s","date_read":"d","provenance":"microsoft","note":""}]})");
  EXPECT_FALSE(ParsePriceTable(dup).ok());
  // A provenance must be one of the three names, and the old boolean is no substitute.
  nlohmann::json unknown = nlohmann::json::parse(R"({"prices": [
    {"id":"a","service":"s","meter":"m","unit":"u","usd":1,"source":"s","date_read":"d","provenance":"verified","note":""}]})");
  EXPECT_FALSE(ParsePriceTable(unknown).ok());
  nlohmann::json old_style = nlohmann::json::parse(R"({"prices": [
    {"id":"a","service":"s","meter":"m","unit":"u","usd":1,"source":"s","date_read":"d","verified":true,"note":""}]})");
  EXPECT_FALSE(ParsePriceTable(old_style).ok());
  nlohmann::json good = nlohmann::json::parse(R"({"prices": [
    {"id":"a","service":"s","meter":"m","unit":"u","usd":1,"source":"s","date_read":"d","provenance":"third-party","note":""}]})");
  ASSERT_TRUE(ParsePriceTable(good).ok());
  EXPECT_EQ(ParsePriceTable(good)->prices[0].provenance, Provenance::kThirdParty);
}

}  // namespace
}  // namespace fanfold::report

namespace fanfold::report {
namespace {

TEST(WorkRequests, DropSetUpAndEmptyPollsKeepEverythingElse) {
  const std::map<std::string, uint64_t> measured = {
      {"queue_admin", 12},  {"table_admin", 3}, {"blob_container", 4}, {"queue_get", 159},
      {"queue_delete", 14}, {"queue_put", 14},  {"table_batch", 10},   {"blob_read", 6}};
  const auto work = WorkRequests(measured);
  EXPECT_EQ(work.count("queue_admin"), 0u);
  EXPECT_EQ(work.count("table_admin"), 0u);
  EXPECT_EQ(work.count("blob_container"), 0u);
  EXPECT_EQ(work.at("queue_get"), 14u);  // one get per handled (deleted) message
  EXPECT_EQ(work.at("queue_delete"), 14u);
  EXPECT_EQ(work.at("queue_put"), 14u);
  EXPECT_EQ(work.at("table_batch"), 10u);
  EXPECT_EQ(work.at("blob_read"), 6u);
}

TEST(WorkRequests, FewerGetsThanDeletesStayAsMeasured) {
  // One get can return up to 32 messages: then there are fewer gets than deletes.
  const auto work = WorkRequests({{"queue_get", 3}, {"queue_delete", 40}});
  EXPECT_EQ(work.at("queue_get"), 3u);
}

}  // namespace
}  // namespace fanfold::report

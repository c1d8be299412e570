// PlanOwnership from hand-built listings: fair shares, newcomers, leavers, never a tug of war.
#include "orchestrator/partition_ownership.hpp"

#include <gtest/gtest.h>

namespace fanfold::orchestrator {
namespace {

// A listing: "" for a free partition, else its holder's id.
OwnershipView View(const std::string& me, const std::vector<std::string>& holders) {
  OwnershipView view;
  view.me = me;
  for (size_t p = 0; p < holders.size(); ++p) {
    view.leases.push_back({!holders[p].empty(), holders[p]});
    if (holders[p] == me) view.mine.insert(static_cast<int>(p));
  }
  return view;
}

TEST(PartitionOwnershipTest, ALoneWorkerTakesEveryFreePartition) {
  const auto plan = PlanOwnership(View("a", {"", "", "", ""}));
  EXPECT_EQ(plan.acquire, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_TRUE(plan.renew.empty());
  EXPECT_EQ(plan.steal, -1);
}

TEST(PartitionOwnershipTest, AnOwnerRenewsWhatItHoldsAndTakesNothingBeyondItsShare) {
  const auto plan = PlanOwnership(View("a", {"a", "a", "b", "b"}));
  EXPECT_EQ(plan.renew, (std::vector<int>{0, 1}));
  EXPECT_TRUE(plan.acquire.empty());
  EXPECT_TRUE(plan.release.empty());
  EXPECT_EQ(plan.steal, -1);
}

TEST(PartitionOwnershipTest, ANewcomerStealsOneFromTheRichestWhenNothingIsFree) {
  const auto plan = PlanOwnership(View("b", {"a", "a", "a", "a"}));
  EXPECT_TRUE(plan.acquire.empty());
  EXPECT_EQ(plan.steal, 3);
}

TEST(PartitionOwnershipTest, AnOwnerAboveItsShareGivesBackItsHighestPartitions) {
  // b stole partition 3 (a still thinks it holds it); a now sees two owners and keeps two.
  auto view = View("a", {"a", "a", "a", "b"});
  view.mine.insert(3);
  const auto plan = PlanOwnership(view);
  EXPECT_EQ(plan.lost, (std::vector<int>{3}));
  EXPECT_EQ(plan.renew, (std::vector<int>{0, 1}));
  EXPECT_EQ(plan.release, (std::vector<int>{2}));
  EXPECT_EQ(plan.steal, -1);
}

TEST(PartitionOwnershipTest, AReleasedPartitionGoesToTheWorkerBelowItsShare) {
  const auto plan = PlanOwnership(View("b", {"a", "a", "", "b"}));
  EXPECT_EQ(plan.renew, (std::vector<int>{3}));
  EXPECT_EQ(plan.acquire, (std::vector<int>{2}));
  EXPECT_EQ(plan.steal, -1);
}

TEST(PartitionOwnershipTest, MoreWorkersThanPartitionsLeaveTheSpareOnesWithout) {
  // Four owners of one each: a fifth worker's share is 0 or 1, and nobody holds two more than it.
  const auto plan = PlanOwnership(View("e", {"a", "b", "c", "d"}));
  EXPECT_TRUE(plan.acquire.empty());
  EXPECT_EQ(plan.steal, -1);
}

TEST(PartitionOwnershipTest, OneAboveTheOthersIsBalancedEnough) {
  // Shares 2/1/1 of 4 among three: nobody moves (no ping-pong over the odd partition).
  for (const std::string me : {"a", "b", "c"}) {
    const auto plan = PlanOwnership(View(me, {"a", "a", "b", "c"}));
    EXPECT_TRUE(plan.release.empty()) << me;
    EXPECT_TRUE(plan.acquire.empty()) << me;
    EXPECT_EQ(plan.steal, -1) << me;
  }
}

TEST(PartitionOwnershipTest, OurOwnExpiredLeaseIsRenewedNotAcquiredAgain) {
  auto view = View("a", {"", "b", "b", ""});
  view.mine.insert(0);  // its lease expired unrenewed; nobody took it
  const auto plan = PlanOwnership(view);
  EXPECT_EQ(plan.renew, (std::vector<int>{0}));
  EXPECT_EQ(plan.acquire, (std::vector<int>{3}));
}

TEST(PartitionOwnershipTest, ADeadWorkersExpiredLeasesAreFreeToTake) {
  // c died: its leases expired and list as free; a and b split them by share.
  const auto plan = PlanOwnership(View("a", {"a", "", "b", ""}));
  EXPECT_EQ(plan.renew, (std::vector<int>{0}));
  EXPECT_EQ(plan.acquire, (std::vector<int>{1}));
}

TEST(PartitionOwnershipTest, WhatTheWorkerHoldsCountsEvenIfTheListingIsBehind) {
  // Acquired after the listing was taken: still ours, renewed, not counted as another owner's.
  auto view = View("a", {"", "", "b", "b"});
  view.mine.insert(0);
  const auto plan = PlanOwnership(view);
  EXPECT_EQ(plan.renew, (std::vector<int>{0}));
  EXPECT_EQ(plan.acquire, (std::vector<int>{1}));
}

}  // namespace
}  // namespace fanfold::orchestrator

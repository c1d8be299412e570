// The polling rule from hand-driven clocks: no threads, no storage, no waiting. The counts here
// are the worker's idle bill (a poll is a billed request), so they are exact.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "queuestore/poll_pacer.hpp"

namespace fanfold::queuestore {
namespace {

using std::chrono::milliseconds;
using TimePoint = PollSchedule::TimePoint;

PollPacerOptions Pacing(int first_ms, int warm_ms, int idle_ms) {
  PollPacerOptions options;
  options.first_wait = milliseconds(first_ms);
  options.warm_wait = milliseconds(warm_ms);
  options.idle_interval = milliseconds(idle_ms);
  return options;
}

// Polls every lane whenever it is due, all empty, from `from` for `span`, 1 ms at a time, and
// returns the requests made (each poll counts its lane's weight).
int IdleRequests(PollSchedule& schedule, const std::vector<int>& lanes, TimePoint from,
                 milliseconds span) {
  int requests = 0;
  for (auto now = from; now < from + span; now += milliseconds(1)) {
    for (int lane : lanes) {
      if (!schedule.TryTake(lane, now)) continue;
      requests += schedule.WeightOf(lane);
      schedule.Record(lane, now, false);
    }
  }
  return requests;
}

TEST(PollScheduleTest, ANewLaneIsDueAtOnceAndAnEmptyPollDoublesItsWait) {
  PollSchedule schedule(Pacing(10, 250, 1000));
  const int lane = schedule.AddLane("trigger");
  const TimePoint t0{};
  ASSERT_TRUE(schedule.TryTake(lane, t0));
  EXPECT_FALSE(schedule.TryTake(lane, t0)) << "a second poller waits while the first polls";
  schedule.Record(lane, t0, false);
  EXPECT_EQ(schedule.NextTurn(lane), t0 + milliseconds(10));
  EXPECT_EQ(schedule.WaitOf(lane), milliseconds(20));
  EXPECT_FALSE(schedule.TryTake(lane, t0 + milliseconds(9)));
  ASSERT_TRUE(schedule.TryTake(lane, t0 + milliseconds(10)));
  schedule.Record(lane, t0 + milliseconds(10), false);
  EXPECT_EQ(schedule.NextTurn(lane), t0 + milliseconds(30));
}

TEST(PollScheduleTest, WaitsStopAtIdleIntervalTimesTheTotalWeight) {
  PollSchedule schedule(Pacing(10, 250, 1000));
  const int control = schedule.AddLane("orchestrations", 4);
  const int work = schedule.AddLane("activities");
  EXPECT_EQ(schedule.total_weight(), 5);
  EXPECT_EQ(schedule.Ceiling(), milliseconds(5000));
  TimePoint now{};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(schedule.TryTake(control, schedule.NextTurn(control)));
    now = schedule.NextTurn(control);
    schedule.Record(control, now, false);
  }
  EXPECT_EQ(schedule.WaitOf(control), milliseconds(5000));
  EXPECT_EQ(schedule.WaitOf(work), milliseconds(10)) << "lanes back off on their own polls only";
}

// The acceptance figure in miniature: once every lane is at its ceiling, the worker makes one
// request per idle interval whatever the number of queues (here 9 requests' worth of lanes, as a
// worker serving both pipelines has with 4 control partitions).
TEST(PollScheduleTest, AnIdleWorkerMakesOneRequestPerIdleIntervalWhateverItsQueues) {
  for (const int stages : {0, 4}) {
    PollSchedule schedule(Pacing(10, 250, 100));
    std::vector<int> lanes = {schedule.AddLane("orchestrations", 4),
                              schedule.AddLane("activities")};
    for (int i = 0; i < stages; ++i)
      lanes.push_back(schedule.AddLane("stage-" + std::to_string(i)));
    const auto ceiling = schedule.Ceiling();
    EXPECT_EQ(ceiling, milliseconds(100) * schedule.total_weight());
    const TimePoint t0{};
    // Ramp-up: from 10 ms, each lane doubles to the ceiling.
    IdleRequests(schedule, lanes, t0, milliseconds(20'000));
    for (int lane : lanes)
      EXPECT_EQ(schedule.WaitOf(lane), ceiling);
    // A minute later: each lane polled once per ceiling, i.e. 600 requests per idle interval's
    // worth of a minute (60 s / 100 ms), within one poll of each lane for the window's edges.
    const int requests =
        IdleRequests(schedule, lanes, t0 + milliseconds(20'000), milliseconds(60'000));
    EXPECT_NEAR(requests, 600, schedule.total_weight()) << stages << " stage lanes";
  }
}

TEST(PollScheduleTest, WorkPollsAgainAtOnceAndPullsFamiliarLanesToWarmOthersToCold) {
  PollSchedule schedule(Pacing(10, 250, 1000));
  const int trigger = schedule.AddLane("trigger");
  const int control = schedule.AddLane("orchestrations", 2);
  const int quiet = schedule.AddLane("merge");
  const TimePoint t0{};
  ASSERT_TRUE(schedule.TryTake(control, t0));
  schedule.Record(control, t0, true);  // the last job, a minute ago
  IdleRequests(schedule, {trigger, control, quiet}, t0, milliseconds(60'000));
  ASSERT_EQ(schedule.WaitOf(control), milliseconds(4000));
  ASSERT_EQ(schedule.WaitOf(quiet), milliseconds(4000));

  const TimePoint now = t0 + milliseconds(60'000);
  ASSERT_GT(schedule.NextTurn(control), now + milliseconds(250));
  schedule.Record(trigger, now, true);  // a blob event: a job starts in this process
  EXPECT_EQ(schedule.NextTurn(trigger), now) << "the lane that found work polls again at once";
  EXPECT_EQ(schedule.WaitOf(trigger), milliseconds(10));
  EXPECT_LE(schedule.NextTurn(control), now + milliseconds(250)) << "a familiar lane looks soon";
  EXPECT_EQ(schedule.WaitOf(control), milliseconds(250)) << "then backs off from warm";
  EXPECT_LE(schedule.NextTurn(quiet), now + milliseconds(2000))
      << "a lane that never found work still joins within the cold wait";
  EXPECT_EQ(schedule.WaitOf(quiet), milliseconds(2000));
}

// A poll that got fewer messages than it asked for drained the queue: the next look waits
// first_wait (with several workers on a queue, the immediate second look was mostly empty), but
// the work still pulls the other lanes as a full batch does.
TEST(PollScheduleTest, ADrainedQueueIsLookedAtAgainAfterTheFirstWaitNotAtOnce) {
  PollSchedule schedule(Pacing(10, 250, 1000));
  const int work = schedule.AddLane("activities");
  const int other = schedule.AddLane("trigger");
  const TimePoint t0{};
  ASSERT_TRUE(schedule.TryTake(other, t0));
  schedule.Record(other, t0, PollResult::kFull);  // familiar from now on
  IdleRequests(schedule, {work, other}, t0, milliseconds(10'000));
  const TimePoint now = t0 + milliseconds(10'000);
  ASSERT_GT(schedule.NextTurn(other), now + milliseconds(250));

  const TimePoint found = schedule.NextTurn(work);
  ASSERT_TRUE(schedule.TryTake(work, found));
  schedule.Record(work, found, PollResult::kDrained);
  EXPECT_EQ(schedule.NextTurn(work), found + milliseconds(10));
  EXPECT_EQ(schedule.WaitOf(work), milliseconds(20)) << "an empty look after it backs off on";
  EXPECT_LE(schedule.NextTurn(other), found + milliseconds(250)) << "still pulls familiar lanes";
  EXPECT_EQ(schedule.WaitOf(other), milliseconds(250));
  EXPECT_EQ(schedule.PollRequestsOf(work) - schedule.EmptyPollRequestsOf(work), 1u);

  schedule.Record(work, found + milliseconds(10), PollResult::kFull);
  EXPECT_EQ(schedule.NextTurn(work), found + milliseconds(10)) << "a full batch: at once";
  EXPECT_EQ(schedule.WaitOf(work), milliseconds(10));
}

TEST(PollScheduleTest, ALaneIsFamiliarForTenMinutesAfterItsLastWork) {
  PollSchedule schedule(Pacing(10, 250, 100'000));
  const int busy = schedule.AddLane("activities");
  const int other = schedule.AddLane("trigger");
  const TimePoint t0{};
  ASSERT_TRUE(schedule.TryTake(other, t0));
  schedule.Record(other, t0, true);
  IdleRequests(schedule, {busy, other}, t0, milliseconds(30'000));
  schedule.Record(busy, t0 + milliseconds(30'000), true);
  EXPECT_EQ(schedule.WaitOf(other), milliseconds(250)) << "30 s after its work: familiar";
  IdleRequests(schedule, {busy, other}, t0 + milliseconds(30'000), milliseconds(600'000));
  schedule.Record(busy, t0 + milliseconds(630'001), true);
  EXPECT_EQ(schedule.WaitOf(other), milliseconds(2000)) << "over ten minutes later: cold";
}

// During a burst of one pipeline, a lane of the other (one that has not found work lately) is
// cold; a lane of the same flow is warm at first, and each empty look doubles how far work pulls
// it, up to cold: a lane that keeps finding nothing (the message taken by another worker) is not
// polled four times a second for the whole burst.
TEST(PollScheduleTest, WorkFoundAgainAndAgainPollsAnIdleLaneAtMostOncePerItsPull) {
  for (const bool familiar : {true, false}) {
    PollSchedule schedule(Pacing(10, 250, 1000));
    const int busy = schedule.AddLane("activities");
    const int idle = schedule.AddLane("merge");
    const TimePoint t0{};
    if (familiar) {
      ASSERT_TRUE(schedule.TryTake(idle, t0));
      schedule.Record(idle, t0, true);
    }
    IdleRequests(schedule, {busy, idle}, t0, milliseconds(60'000));
    TimePoint now = t0 + milliseconds(60'000);
    // A burst: the busy lane finds work every 5 ms for 10 s; the idle lane finds none.
    int idle_polls = 0;
    for (int step = 0; step < 2000; ++step, now += milliseconds(5)) {
      if (schedule.TryTake(idle, now)) {
        ++idle_polls;
        schedule.Record(idle, now, false);
      }
      if (schedule.TryTake(busy, now)) schedule.Record(busy, now, true);
    }
    // Familiar: after 250, 500 and 1000 ms, every 2 s (about 3.75 s, then 3 more).
    const int expected = familiar ? 3 + 6'250 / 2000 + 1 : 10'000 / 2000;
    EXPECT_LE(idle_polls, expected + 1)
        << "not once per piece of work found elsewhere (familiar: " << familiar << ")";
    EXPECT_GE(idle_polls, expected - 1) << "but still looked at while work flows";
  }
}

TEST(PollScheduleTest, WorkLeavesLanesThatAreAlreadyWarmAlone) {
  PollSchedule schedule(Pacing(10, 250, 1000));
  const int busy = schedule.AddLane("activities");
  const int other = schedule.AddLane("trigger");
  const TimePoint t0{};
  ASSERT_TRUE(schedule.TryTake(other, t0));
  schedule.Record(other, t0, false);  // next turn at 10 ms, then 20 ms waits
  ASSERT_TRUE(schedule.TryTake(busy, t0));
  schedule.Record(busy, t0 + milliseconds(1), true);
  EXPECT_EQ(schedule.NextTurn(other), t0 + milliseconds(10))
      << "a busy worker's other lanes are not hammered by every piece of work";
  EXPECT_EQ(schedule.WaitOf(other), milliseconds(20));
}

// A hand-off in the process: the lane looks at once, and if another worker took the message its
// back-off goes on from a quarter of where it was, not from first_wait.
TEST(PollScheduleTest, AWakeMakesTheLaneDueNowAndShortensItsBackoffToAQuarter) {
  PollSchedule schedule(Pacing(10, 250, 1000));
  const int lane = schedule.AddLane("activities");
  const TimePoint t0{};
  IdleRequests(schedule, {lane}, t0, milliseconds(10'000));
  ASSERT_EQ(schedule.WaitOf(lane), milliseconds(1000));
  const TimePoint now = t0 + milliseconds(10'000);
  schedule.Wake(lane, now);
  EXPECT_TRUE(schedule.TryTake(lane, now));
  EXPECT_EQ(schedule.WaitOf(lane), milliseconds(250));
  schedule.Wake(lane, now + milliseconds(1));
  schedule.Wake(lane, now + milliseconds(2));
  EXPECT_EQ(schedule.WaitOf(lane), std::chrono::microseconds(15625));
  schedule.Wake(lane, now + milliseconds(3));
  EXPECT_EQ(schedule.WaitOf(lane), milliseconds(10)) << "never below first_wait";
}

TEST(PollScheduleTest, OptionsOutOfRangeAreClampedNotTrusted) {
  PollSchedule schedule(Pacing(0, 100'000, 0));
  const int lane = schedule.AddLane("x", 0);
  EXPECT_EQ(schedule.WeightOf(lane), 1);
  EXPECT_GE(schedule.Ceiling(), milliseconds(1));
  const TimePoint t0{};
  ASSERT_TRUE(schedule.TryTake(lane, t0));
  schedule.Record(lane, t0, true);
  EXPECT_LE(schedule.WaitOf(lane), schedule.Ceiling()) << "warm never exceeds the ceiling";
}

// The threaded wrapper: two threads on one idle lane make one poll per wait between them, and
// Interrupt() releases a waiter whose stop flag is set.
TEST(PollPacerTest, PollersOfOneLaneShareItsTurnsAndStopPromptly) {
  PollPacer pacer(Pacing(5, 20, 20));
  const int lane = pacer.AddLane("activities");
  std::atomic<bool> stop{false};
  std::atomic<int> polls{0};
  auto poller = [&] {
    while (pacer.AwaitTurn(lane, stop)) {
      ++polls;
      pacer.Record(lane, PollResult::kEmpty);
    }
  };
  std::thread a(poller), b(poller);
  std::this_thread::sleep_for(milliseconds(500));
  stop = true;
  const auto asked = std::chrono::steady_clock::now();
  pacer.Interrupt();
  a.join();
  b.join();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, milliseconds(200));
  // 5 + 10 + 20 + 20... ms: at most about 27 turns in 500 ms for the lane, not twice that.
  EXPECT_LE(polls.load(), 30);
  EXPECT_GE(polls.load(), 3);
  EXPECT_EQ(pacer.poll_requests(), static_cast<std::uint64_t>(polls.load()));
  EXPECT_EQ(pacer.empty_poll_requests(), pacer.poll_requests());
}

}  // namespace
}  // namespace fanfold::queuestore

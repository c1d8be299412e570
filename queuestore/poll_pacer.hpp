// When a worker polls its queues. On Azure every poll is a billed transaction, and an idle worker
// does nothing but poll, so one PollPacer per worker process decides for every queue it reads
// (the engine's control and work-item queues, the trigger, the chained pipeline's stages):
//
// - A lane is one queue (or one round over a set of queues: the control partitions), with a
//   weight: the requests one poll of it makes. Several threads may poll one lane (the activity
//   pollers); each poll takes the lane's turn, so an idle lane is polled once per wait however
//   many threads serve it.
// - A poll that fills its batch makes its lane poll again at once (more is likely waiting); one
//   that finds fewer messages than it asked for has drained the queue for now, and its lane
//   waits first_wait before the next look, as after an empty poll. Either pulls the other lanes
//   that have backed off further back: a job arriving anywhere in the worker means work will soon
//   flow through its other queues too (a blob event becomes an orchestration, then work items;
//   a split becomes chunks, then partials). How far depends on the lane's own past: a lane that
//   found work within `familiar_for` (it serves a flow this worker takes part in) comes back to
//   `warm_wait`; one that has not (the chained stages of a worker that only sees orchestrated
//   jobs, or the reverse) only to `cold_wait`, so it still joins a flow that starts using it
//   within a couple of seconds but does not poll four times a second through every burst of
//   the other pipeline. A familiar lane whose last polls came back empty is pulled less far:
//   warm_wait doubled per empty poll since it last found work, up to cold_wait. That is the
//   queue several workers share: each worker's look mostly finds the message taken, and pulling
//   every worker's lane to 4 polls a second made the requests of a burst grow with the number
//   of workers (control queues are not such: each is polled by the worker that leases it).
//   Work after a quiet spell (nothing found anywhere for cold_wait) starts a new flow: the
//   streaks start again, so the first job after a pause is picked up as quickly as before.
//   A pulled lane still polls at most once per its wait: during a burst
//   work is found many times a second, and an idle lane pulled "at once" by each of them would
//   poll as often as the busy one.
// - An empty poll doubles the lane's wait, from `first_wait` up to its ceiling: `idle_interval`
//   times the total weight of the worker's lanes. Once every lane sits at its ceiling the
//   worker makes one request per `idle_interval` on average, whatever number of queues it
//   serves: the idle cost is the worker's, not the queue's (Durable Functions backs off to one
//   poll per queue per 30 s, a Functions queue trigger to one a minute).
// - Wake(lane) is for hand-offs inside the process (an orchestration that sent work items wakes
//   the activity lane): the lane polls at once.
//
// The price is pick-up latency: the first message after a quiet period waits up to one ceiling
// (docs/architecture.md, "Idle polling", has the table). Correctness never depends on pacing:
// a message is found by the next poll of its queue, by this worker or another.
//
// PollSchedule is the rule, a pure function of explicit times (tests/queuestore/
// poll_schedule_test.cpp drives it by hand); PollPacer adds the lock and the waiting.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace fanfold::queuestore {

// What one poll found: nothing; fewer messages than it asked for (the queue is drained for now:
// with several workers on one queue, most immediate second looks came back empty, and each was a
// billed request); or a full batch.
enum class PollResult { kEmpty, kDrained, kFull };

struct PollPacerOptions {
  // The wait after the first empty poll that follows work.
  std::chrono::milliseconds first_wait{10};
  // Where work found on any lane brings a familiar lane that waits longer (never beyond the
  // ceiling), and `cold_wait` one that is not.
  std::chrono::milliseconds warm_wait{250};
  std::chrono::milliseconds cold_wait{2000};
  // How long after its last work a lane still counts as familiar.
  std::chrono::seconds familiar_for{600};
  // Once everything is idle, the worker's average time between requests (default 6 s: 600
  // requests an hour, Durable Functions' figure for its 5 queues at 30 s each).
  std::chrono::milliseconds idle_interval{6000};
};

class PollSchedule {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;
  using Duration = Clock::duration;

  explicit PollSchedule(PollPacerOptions options = {});

  // A new lane, due at once. `weight`: requests per poll (at least 1).
  int AddLane(std::string name, int weight = 1);
  // If `lane` is due at `now`, takes its turn (its next turn is one wait away, so other threads
  // on the lane wait while this one polls) and returns true.
  bool TryTake(int lane, TimePoint now);
  // When `lane` is due next.
  TimePoint NextTurn(int lane) const;
  // The outcome of the poll that took the lane's turn (a storage error counts as empty).
  void Record(int lane, TimePoint now, PollResult result);
  // found_work: a full batch (kFull), else kEmpty.
  void Record(int lane, TimePoint now, bool found_work);
  // An in-process hand-off: `lane` is due now and starts backing off from first_wait again.
  void Wake(int lane, TimePoint now);

  // The longest wait of any lane: idle_interval times the total weight (at least first_wait).
  Duration Ceiling() const;
  // The wait that follows the lane's next empty poll.
  Duration WaitOf(int lane) const;
  const std::string& NameOf(int lane) const;
  // Requests of the lane's recorded polls (weight each), and those that found nothing.
  std::uint64_t PollRequestsOf(int lane) const;
  std::uint64_t EmptyPollRequestsOf(int lane) const;
  int lane_count() const { return static_cast<int>(lanes_.size()); }
  int WeightOf(int lane) const;
  int total_weight() const { return total_weight_; }
  const PollPacerOptions& options() const { return options_; }

 private:
  struct Lane {
    std::string name;
    int weight = 1;
    Duration wait{};
    TimePoint next_turn{};
    bool polled = false;
    TimePoint last_poll{};  // when its last turn was taken
    bool worked = false;
    TimePoint last_work{};  // when a poll of it last found work
    int empty_streak = 0;   // empty polls since it last found work
    std::uint64_t poll_requests = 0;
    std::uint64_t empty_poll_requests = 0;
  };
  // Where work found elsewhere brings `lane` at `now`: warm_wait or cold_wait.
  Duration PullOf(const Lane& lane, TimePoint now) const;
  PollPacerOptions options_;
  std::vector<Lane> lanes_;
  bool any_work_ = false;
  TimePoint last_any_work_{};  // when a poll of any lane last found work
  int total_weight_ = 0;
};

class PollPacer {
 public:
  explicit PollPacer(PollPacerOptions options = {});
  PollPacer(const PollPacer&) = delete;
  PollPacer& operator=(const PollPacer&) = delete;

  int AddLane(std::string name, int weight = 1);
  // Blocks until `lane` may poll and takes its turn: true. False as soon as `stop` is set (the
  // owner calls Interrupt() after setting it).
  bool AwaitTurn(int lane, const std::atomic<bool>& stop);
  void Record(int lane, PollResult result);
  void Wake(int lane);
  // Wakes every waiting thread to look at its stop flag.
  void Interrupt();

  // Requests the recorded polls made (each poll counts its lane's weight), and how many of them
  // found nothing: what the idle-cost test and the worker's stats read.
  std::uint64_t poll_requests() const { return poll_requests_.load(); }
  std::uint64_t empty_poll_requests() const { return empty_poll_requests_.load(); }
  // The same per lane, by name (lanes of one name add up): which queues the polling bill is for.
  struct LanePolls {
    std::string lane;
    std::uint64_t requests = 0;
    std::uint64_t empty_requests = 0;
  };
  std::vector<LanePolls> PollsByLane() const;
  std::chrono::milliseconds Ceiling() const;
  const PollPacerOptions& options() const { return options_; }

 private:
  const PollPacerOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  PollSchedule schedule_;  // guarded by mutex_
  std::atomic<std::uint64_t> poll_requests_{0};
  std::atomic<std::uint64_t> empty_poll_requests_{0};
};

}  // namespace fanfold::queuestore

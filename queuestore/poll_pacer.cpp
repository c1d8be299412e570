#include "queuestore/poll_pacer.hpp"

#include <algorithm>

namespace fanfold::queuestore {

PollSchedule::PollSchedule(PollPacerOptions options) : options_(options) {
  options_.first_wait = std::max(options_.first_wait, std::chrono::milliseconds(1));
  options_.idle_interval = std::max(options_.idle_interval, std::chrono::milliseconds(1));
  options_.cold_wait = std::max(options_.cold_wait, options_.warm_wait);
}

int PollSchedule::AddLane(std::string name, int weight) {
  Lane lane;
  lane.name = std::move(name);
  lane.weight = std::max(weight, 1);
  lane.wait = options_.first_wait;
  lanes_.push_back(std::move(lane));
  total_weight_ += lanes_.back().weight;
  return static_cast<int>(lanes_.size()) - 1;
}

PollSchedule::Duration PollSchedule::Ceiling() const {
  return std::max<Duration>(options_.idle_interval * std::max(total_weight_, 1),
                            options_.first_wait);
}

PollSchedule::Duration PollSchedule::WaitOf(int lane) const {
  return lanes_.at(static_cast<size_t>(lane)).wait;
}

const std::string& PollSchedule::NameOf(int lane) const {
  return lanes_.at(static_cast<size_t>(lane)).name;
}

int PollSchedule::WeightOf(int lane) const {
  return lanes_.at(static_cast<size_t>(lane)).weight;
}

PollSchedule::TimePoint PollSchedule::NextTurn(int lane) const {
  return lanes_.at(static_cast<size_t>(lane)).next_turn;
}

bool PollSchedule::TryTake(int lane, TimePoint now) {
  Lane& taken = lanes_.at(static_cast<size_t>(lane));
  if (now < taken.next_turn) return false;
  taken.next_turn = now + taken.wait;
  taken.polled = true;
  taken.last_poll = now;
  return true;
}

std::uint64_t PollSchedule::PollRequestsOf(int lane) const {
  return lanes_.at(static_cast<size_t>(lane)).poll_requests;
}

std::uint64_t PollSchedule::EmptyPollRequestsOf(int lane) const {
  return lanes_.at(static_cast<size_t>(lane)).empty_poll_requests;
}

void PollSchedule::Record(int lane, TimePoint now, bool found_work) {
  Record(lane, now, found_work ? PollResult::kFull : PollResult::kEmpty);
}

void PollSchedule::Record(int lane, TimePoint now, PollResult result) {
  Lane& polled = lanes_.at(static_cast<size_t>(lane));
  polled.poll_requests += static_cast<std::uint64_t>(polled.weight);
  if (result == PollResult::kEmpty) {
    polled.empty_poll_requests += static_cast<std::uint64_t>(polled.weight);
    ++polled.empty_streak;
    polled.next_turn = now + polled.wait;
    polled.wait = std::min<Duration>(polled.wait * 2, Ceiling());
    return;
  }
  // Work after a quiet spell starts a new flow: every lane's streak starts again, and this lane
  // looks again as eagerly as it can. Within a flow, work shortens the lane's back-off to a
  // quarter rather than restarting it: a lane that finds work on most looks (the only worker on
  // its queue) is soon back at first_wait, while one that finds the message mostly taken by
  // other workers keeps looking less often. The pull below still brings it within warm_wait.
  const bool new_flow = !any_work_ || now - last_any_work_ > Duration(options_.cold_wait);
  if (new_flow) {
    for (Lane& each : lanes_)
      each.empty_streak = 0;
  }
  const Duration shorter = new_flow ? Duration(options_.first_wait)
                                    : std::max<Duration>(options_.first_wait, polled.wait / 4);
  if (result == PollResult::kFull) {
    polled.wait = shorter;
    polled.next_turn = now;
  } else {
    polled.next_turn = now + shorter;
    polled.wait = std::min<Duration>(shorter * 2, Ceiling());
  }
  polled.worked = true;
  polled.last_work = now;
  polled.empty_streak = 0;
  any_work_ = true;
  last_any_work_ = now;
  for (Lane& other : lanes_) {
    const Duration pull = PullOf(other, now);
    if (other.wait <= pull) continue;
    other.wait = pull;
    const TimePoint earliest = other.polled ? std::max(now, other.last_poll + pull) : now;
    other.next_turn = std::min(other.next_turn, earliest);
  }
}

PollSchedule::Duration PollSchedule::PullOf(const Lane& lane, TimePoint now) const {
  const bool familiar = lane.worked && now - lane.last_work <= options_.familiar_for;
  Duration pull = options_.cold_wait;
  if (familiar) {
    pull = options_.warm_wait;
    for (int empty = 0; empty < lane.empty_streak && pull < options_.cold_wait; ++empty)
      pull *= 2;
    pull = std::min<Duration>(pull, options_.cold_wait);
  }
  return std::clamp<Duration>(pull, options_.first_wait, Ceiling());
}

void PollSchedule::Wake(int lane, TimePoint now) {
  // It looks at once; should another worker have taken what was handed off, the back-off goes
  // on from a quarter of where it was (as after work found), not from first_wait, or every
  // hand-off in a burst of several workers would buy a ladder of empty looks.
  Lane& woken = lanes_.at(static_cast<size_t>(lane));
  woken.wait = std::max<Duration>(options_.first_wait, woken.wait / 4);
  woken.next_turn = std::min(woken.next_turn, now);
}

PollPacer::PollPacer(PollPacerOptions options) : options_(options), schedule_(options) {}

int PollPacer::AddLane(std::string name, int weight) {
  std::lock_guard<std::mutex> lock(mutex_);
  return schedule_.AddLane(std::move(name), weight);
}

bool PollPacer::AwaitTurn(int lane, const std::atomic<bool>& stop) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop.load()) {
    const auto now = PollSchedule::Clock::now();
    if (schedule_.TryTake(lane, now)) return true;
    changed_.wait_until(lock, schedule_.NextTurn(lane));
  }
  return false;
}

void PollPacer::Record(int lane, PollResult result) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const int weight = schedule_.WeightOf(lane);
    poll_requests_ += static_cast<std::uint64_t>(weight);
    if (result == PollResult::kEmpty) empty_poll_requests_ += static_cast<std::uint64_t>(weight);
    schedule_.Record(lane, PollSchedule::Clock::now(), result);
  }
  // Work pulls other lanes' turns closer; an empty poll only pushes its own away.
  if (result != PollResult::kEmpty) changed_.notify_all();
}

void PollPacer::Wake(int lane) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    schedule_.Wake(lane, PollSchedule::Clock::now());
  }
  changed_.notify_all();
}

void PollPacer::Interrupt() {
  // Taking the lock orders this after a waiter's check of its stop flag: no lost wake-up.
  { std::lock_guard<std::mutex> lock(mutex_); }
  changed_.notify_all();
}

std::vector<PollPacer::LanePolls> PollPacer::PollsByLane() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<LanePolls> out;
  for (int lane = 0; lane < schedule_.lane_count(); ++lane) {
    const std::string& name = schedule_.NameOf(lane);
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const LanePolls& polls) { return polls.lane == name; });
    if (same == out.end()) same = out.insert(out.end(), LanePolls{name, 0, 0});
    same->requests += schedule_.PollRequestsOf(lane);
    same->empty_requests += schedule_.EmptyPollRequestsOf(lane);
  }
  return out;
}

std::chrono::milliseconds PollPacer::Ceiling() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::chrono::duration_cast<std::chrono::milliseconds>(schedule_.Ceiling());
}

}  // namespace fanfold::queuestore

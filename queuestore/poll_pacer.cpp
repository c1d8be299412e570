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

void PollSchedule::Record(int lane, TimePoint now, bool found_work) {
  Lane& polled = lanes_.at(static_cast<size_t>(lane));
  if (!found_work) {
    polled.next_turn = now + polled.wait;
    polled.wait = std::min<Duration>(polled.wait * 2, Ceiling());
    return;
  }
  polled.wait = options_.first_wait;
  polled.next_turn = now;
  polled.worked = true;
  polled.last_work = now;
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
  const Duration pull = familiar ? Duration(options_.warm_wait) : Duration(options_.cold_wait);
  return std::clamp<Duration>(pull, options_.first_wait, Ceiling());
}

void PollSchedule::Wake(int lane, TimePoint now) {
  Lane& woken = lanes_.at(static_cast<size_t>(lane));
  woken.wait = options_.first_wait;
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

void PollPacer::Record(int lane, bool found_work) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const int weight = schedule_.WeightOf(lane);
    poll_requests_ += static_cast<std::uint64_t>(weight);
    if (!found_work) empty_poll_requests_ += static_cast<std::uint64_t>(weight);
    schedule_.Record(lane, PollSchedule::Clock::now(), found_work);
  }
  // Work pulls other lanes' turns closer; an empty poll only pushes its own away.
  if (found_work) changed_.notify_all();
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

std::chrono::milliseconds PollPacer::Ceiling() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::chrono::duration_cast<std::chrono::milliseconds>(schedule_.Ceiling());
}

}  // namespace fanfold::queuestore

// Deferred resumption of orchestrator coroutines. Resuming a waiter from inside another task's
// completion can let the resumed code destroy that task while it is still finishing; so
// completions only enqueue waiters here, and the replay executor resumes them one at a time from
// the top of its stack. Single-threaded by design: one executor runs on one thread at a time.
#pragma once

#include <coroutine>
#include <deque>

namespace fanfold::orchestrator::detail {

class ReadyQueue {
 public:
  // Makes this queue the thread's current one for the scope's lifetime.
  class Scope {
   public:
    explicit Scope(ReadyQueue& queue);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    ReadyQueue* previous_;
  };

  void Push(std::coroutine_handle<> handle) { ready_.push_back(handle); }
  // Resumes queued coroutines (and any they queue) until none is left.
  void Drain();

 private:
  std::deque<std::coroutine_handle<>> ready_;
};

// Resumes `handle` through the current queue, or at once when no executor is running.
void ResumeSoon(std::coroutine_handle<> handle);

}  // namespace fanfold::orchestrator::detail

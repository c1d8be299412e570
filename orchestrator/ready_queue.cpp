#include "orchestrator/ready_queue.hpp"

namespace fanfold::orchestrator::detail {
namespace {
thread_local ReadyQueue* current_queue = nullptr;
}  // namespace

ReadyQueue::Scope::Scope(ReadyQueue& queue) : previous_(current_queue) {
  current_queue = &queue;
}
ReadyQueue::Scope::~Scope() {
  current_queue = previous_;
}

void ReadyQueue::Drain() {
  while (!ready_.empty()) {
    const std::coroutine_handle<> handle = ready_.front();
    ready_.pop_front();
    handle.resume();
  }
}

void ResumeSoon(std::coroutine_handle<> handle) {
  if (current_queue != nullptr) {
    current_queue->Push(handle);
  } else {
    handle.resume();
  }
}

}  // namespace fanfold::orchestrator::detail

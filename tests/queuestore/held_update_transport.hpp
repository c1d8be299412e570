// A transport (the storage pipeline's seam for faults) that lets the service answer an Update
// Message, then holds that answer back until the test releases it, as a slow network would: the
// moment a renewal has changed a message's pop receipt but its holder does not know yet.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "storage/transport.hpp"

namespace fanfold::queuestore::test {

class HeldUpdateTransport final : public storage::Transport {
 public:
  explicit HeldUpdateTransport(std::shared_ptr<storage::Transport> inner)
      : inner_(std::move(inner)) {}
  storage::Result<storage::HttpResponse> Send(storage::HttpRequest& request) override {
    if (request.kind != storage::OperationKind::kQueueUpdate) {
      if (request.kind == storage::OperationKind::kQueueDelete) deletes_sent_++;
      return inner_->Send(request);
    }
    auto response = inner_->Send(request);  // the service has acted on it
    std::unique_lock<std::mutex> lock(mutex_);
    ++updates_answered_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !hold_; });
    return response;
  }
  void Hold(bool hold) {
    std::lock_guard<std::mutex> lock(mutex_);
    hold_ = hold;
    changed_.notify_all();
  }
  void WaitForUpdates(int count) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return updates_answered_ >= count; });
  }
  int deletes_sent() const { return deletes_sent_.load(); }

 private:
  std::shared_ptr<storage::Transport> inner_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool hold_ = false;
  int updates_answered_ = 0;
  std::atomic<int> deletes_sent_{0};
};

}  // namespace fanfold::queuestore::test

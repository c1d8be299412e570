#include "orchestrator/parallel_io.hpp"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace fanfold::orchestrator {

storage::Status ForEachParallel(size_t count, size_t max_parallel,
                                const std::function<storage::Status(size_t)>& fn) {
  if (count == 0) return storage::Status::Ok();
  std::mutex mutex;
  storage::Status first_failure;
  const auto record = [&](const storage::Status& status) {
    if (status.ok()) return;
    std::lock_guard<std::mutex> lock(mutex);
    if (first_failure.ok()) first_failure = status;
  };
  const size_t threads = std::min(count, std::max<size_t>(max_parallel, 1));
  if (threads == 1) {
    for (size_t i = 0; i < count; ++i)
      record(fn(i));
    return first_failure;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < count; i = next++)
        record(fn(i));
    });
  }
  for (auto& thread : pool)
    thread.join();
  return first_failure;
}

}  // namespace fanfold::orchestrator

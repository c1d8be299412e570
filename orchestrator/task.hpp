// Task<T>: the coroutine type of orchestrator code. Tasks start eagerly, so calling
// ctx.call_activity(...) schedules the activity at once, before it is awaited; that is what lets a
// loop fan out N activities and await them later. A task runs only while the replay executor
// drives it (single-threaded, synchronously), so no synchronisation is needed or wanted here.
#pragma once

#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace fanfold::orchestrator {

namespace detail {

struct PromiseBase {
  std::coroutine_handle<> continuation;          // the one coroutine awaiting this task
  std::vector<std::function<void()>> observers;  // when_any and friends, told on completion
  std::exception_ptr error;
  bool done = false;

  std::suspend_never initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <typename Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> handle) noexcept {
      PromiseBase& promise = handle.promise();
      promise.done = true;
      // Observers only queue resumptions (see ready_queue.hpp), so this frame outlives them.
      const std::coroutine_handle<> continuation = promise.continuation;
      auto observers = std::move(promise.observers);
      for (auto& observer : observers)
        observer();
      return continuation ? continuation : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }
};

}  // namespace detail

template <typename T>
class [[nodiscard]] Task {
 public:
  struct promise_type : detail::PromiseBase {
    std::optional<T> value;
    Task get_return_object() {
      return Task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    void return_value(T result) { value = std::move(result); }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle handle) : handle_(handle) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      Destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { Destroy(); }

  bool valid() const { return static_cast<bool>(handle_); }
  bool is_done() const { return handle_ && handle_.promise().done; }
  bool is_failed() const { return is_done() && handle_.promise().error != nullptr; }
  // Runs fn when the task completes (at once if it already has).
  void OnDone(std::function<void()> fn) {
    if (is_done()) {
      fn();
    } else {
      handle_.promise().observers.push_back(std::move(fn));
    }
  }
  // The result of a finished task; rethrows its failure.
  T& Get() {
    auto& promise = handle_.promise();
    if (promise.error) std::rethrow_exception(promise.error);
    return *promise.value;
  }

  bool await_ready() const noexcept { return is_done(); }
  void await_suspend(std::coroutine_handle<> awaiting) {
    handle_.promise().continuation = awaiting;
  }
  T await_resume() { return std::move(Get()); }

 private:
  void Destroy() {
    if (handle_) handle_.destroy();
    handle_ = nullptr;
  }
  Handle handle_;
};

template <>
class [[nodiscard]] Task<void> {
 public:
  struct promise_type : detail::PromiseBase {
    Task get_return_object() {
      return Task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    void return_void() {}
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle handle) : handle_(handle) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      Destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { Destroy(); }

  bool valid() const { return static_cast<bool>(handle_); }
  bool is_done() const { return handle_ && handle_.promise().done; }
  bool is_failed() const { return is_done() && handle_.promise().error != nullptr; }
  void OnDone(std::function<void()> fn) {
    if (is_done()) {
      fn();
    } else {
      handle_.promise().observers.push_back(std::move(fn));
    }
  }
  void Get() {
    if (handle_.promise().error) std::rethrow_exception(handle_.promise().error);
  }

  bool await_ready() const noexcept { return is_done(); }
  void await_suspend(std::coroutine_handle<> awaiting) {
    handle_.promise().continuation = awaiting;
  }
  void await_resume() { Get(); }

 private:
  void Destroy() {
    if (handle_) handle_.destroy();
    handle_ = nullptr;
  }
  Handle handle_;
};

}  // namespace fanfold::orchestrator

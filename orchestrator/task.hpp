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

template <typename T>
class Task;

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

namespace detail {

// What every Task<T> shares: it owns its coroutine frame (destroyed with the task), is
// move-only, reports completion, and can be awaited once.
template <typename Promise>
class TaskBase {
 public:
  using Handle = std::coroutine_handle<Promise>;

  TaskBase() = default;
  explicit TaskBase(Handle handle) : handle_(handle) {}
  TaskBase(TaskBase&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  TaskBase& operator=(TaskBase&& other) noexcept {
    if (this != &other) {
      Destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  TaskBase(const TaskBase&) = delete;
  TaskBase& operator=(const TaskBase&) = delete;
  ~TaskBase() { Destroy(); }

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

  bool await_ready() const noexcept { return is_done(); }
  void await_suspend(std::coroutine_handle<> awaiting) {
    handle_.promise().continuation = awaiting;
  }

 protected:
  // The finished task's promise; rethrows its failure.
  Promise& Finished() {
    if (handle_.promise().error) std::rethrow_exception(handle_.promise().error);
    return handle_.promise();
  }

 private:
  void Destroy() {
    if (handle_) handle_.destroy();
    handle_ = nullptr;
  }
  Handle handle_;
};

// The promises are the coroutines' own promise types (Task aliases them), so every handle
// names the exact promise it points at; get_return_object is defined once Task is complete.
template <typename T>
struct ValuePromise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object();
  void return_value(T result) { value = std::move(result); }
};

struct VoidPromise : PromiseBase {
  Task<void> get_return_object();
  void return_void() {}
};

}  // namespace detail

template <typename T>
class [[nodiscard]] Task : public detail::TaskBase<detail::ValuePromise<T>> {
  using Base = detail::TaskBase<detail::ValuePromise<T>>;

 public:
  using promise_type = detail::ValuePromise<T>;
  using Base::Base;

  // The result of a finished task; rethrows its failure.
  T& Get() { return *this->Finished().value; }
  T await_resume() { return std::move(Get()); }
};

template <>
class [[nodiscard]] Task<void> : public detail::TaskBase<detail::VoidPromise> {
  using Base = detail::TaskBase<detail::VoidPromise>;

 public:
  using promise_type = detail::VoidPromise;
  using Base::Base;

  void Get() { this->Finished(); }
  void await_resume() { Get(); }
};

template <typename T>
Task<T> detail::ValuePromise<T>::get_return_object() {
  return Task<T>(std::coroutine_handle<ValuePromise<T>>::from_promise(*this));
}

inline Task<void> detail::VoidPromise::get_return_object() {
  return Task<void>(std::coroutine_handle<VoidPromise>::from_promise(*this));
}

}  // namespace fanfold::orchestrator

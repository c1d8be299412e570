// Result<T>: either a value or the Status that explains why there is none.
// Accessing value() of a failed Result is a programming error and aborts in every build,
// because silently reading a default T would hide the failure the Result exists to report.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>

#include "storage/status.hpp"

namespace fanfold::storage {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) Die("Result constructed from an OK status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    Check();
    return *value_;
  }
  const T& value() const& {
    Check();
    return *value_;
  }
  T&& value() && {
    Check();
    return std::move(*value_);
  }
  T value_or(T fallback) const& { return value_.has_value() ? *value_ : std::move(fallback); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  [[noreturn]] static void Die(const char* what) {
    std::fprintf(stderr, "fanfold: %s\n", what);
    std::abort();
  }
  void Check() const {
    if (!value_) {
      std::fprintf(stderr, "fanfold: value() of a failed Result: %s\n", status_.ToString().c_str());
      std::abort();
    }
  }

  std::optional<T> value_;
  Status status_;
};

}  // namespace fanfold::storage

// Early return of a failed Status or Result from a function that returns Status or Result<U>.
#define FANFOLD_RETURN_IF_ERROR(expr)                          \
  do {                                                         \
    const ::fanfold::storage::Status fanfold_status_ = (expr); \
    if (!fanfold_status_.ok()) return fanfold_status_;         \
  } while (false)

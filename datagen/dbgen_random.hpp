// The random streams of the TPC-H reference generator (dbgen 2.14), reproduced so that our tables
// equal dbgen's byte for byte. Each column draws from its own Park-Miller "minimal standard"
// stream (x <- 16807 x mod 2^31-1) with a fixed initial value; a draw is scaled to [low, high]
// through a double exactly as dbgen's UnifInt does, so the same bits come out on any IEEE-754
// machine. After each row dbgen moves every stream of the table to a fixed per-row budget of draws
// (row_stop), which makes the state at row k a closed form: initial x 16807^(budget x (k-1)). That
// is what lets a block of rows start anywhere without generating the rows before it.
#pragma once

#include <cstdint>

namespace fanfold::datagen {

inline constexpr std::int64_t kParkMillerModulus = 2'147'483'647;  // 2^31 - 1
inline constexpr std::int64_t kParkMillerMultiplier = 16'807;      // 7^5
// dbgen's MAX_LONG: a draw over [0, MAX_LONG] is dbgen's "31 random bits" (a_rnd's characters).
inline constexpr std::int64_t kDbgenMaxLong = 0x7fffffff;

// x 16807^n mod (2^31 - 1) by square-and-multiply: dbgen's NthElement. n <= 0 leaves x as is.
constexpr std::int64_t AdvanceParkMiller(std::int64_t x, std::int64_t n) {
  std::int64_t multiplier = kParkMillerMultiplier;
  while (n > 0) {
    if (n % 2 != 0) x = (multiplier * x) % kParkMillerModulus;
    n /= 2;
    multiplier = (multiplier * multiplier) % kParkMillerModulus;
  }
  return x;
}

class DbgenStream {
 public:
  // A stream whose next draw follows `state`; `position` only numbers the draws (see position()).
  explicit constexpr DbgenStream(std::int64_t state, std::int64_t position = 0)
      : state_(state), position_(position) {}

  std::int64_t state() const { return state_; }
  // Draws made so far, counted from `position` at construction: where a parse stands.
  std::int64_t position() const { return position_; }
  void Advance(std::int64_t draws) {
    state_ = AdvanceParkMiller(state_, draws);
    position_ += draws;
  }

  // Uniform in [low, high] the way dbgen's UnifInt computes it: (x / (2^31-1)) x range in double,
  // truncated. For [0, MAX_LONG] dbgen computes the range in 32-bit ints, where 2^31 wraps to
  // -2^31, so those draws are never positive; a_rnd only keeps their low bits, and so do we.
  std::int64_t Uniform(std::int64_t low, std::int64_t high) {
    const double range = (low == 0 && high == kDbgenMaxLong) ? -2'147'483'648.0
                                                             : static_cast<double>(high - low + 1);
    state_ = (state_ * kParkMillerMultiplier) % kParkMillerModulus;
    ++position_;
    const double unit = static_cast<double>(state_) / static_cast<double>(kParkMillerModulus);
    return low + static_cast<std::int64_t>(unit * range);
  }

 private:
  std::int64_t state_;
  std::int64_t position_;
};

}  // namespace fanfold::datagen

// Counter-based random numbers: every stream is a pure function of (seed, domain, index), so any
// row or text-pool segment can be generated alone, on any thread, in any order, and the bytes
// never depend on how work was split. SplitMix64 (Steele, Lea, Flood 2014) as both the key
// derivation and the per-stream generator: fast, passes BigCrush, and has no state beyond 64 bits.
#pragma once

#include <cstdint>

namespace fanfold::datagen {

// Separates the streams drawn from one seed, so that row 5 and text-pool segment 5 are unrelated.
enum class RandomDomain : std::uint64_t {
  kCustomerRow = 0x43555354524f5721ULL,  // "CUSTROW!"
  kTextPool = 0x54455854504f4f4cULL,     // "TEXTPOOL"
};

// The SplitMix64 finaliser: a bijection on 64 bits with full avalanche.
constexpr std::uint64_t Mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// High 64 bits of a 64x64-bit product, without the non-standard __int128.
constexpr std::uint64_t MulHigh64(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
  const std::uint64_t lo_lo = a_lo * b_lo;
  const std::uint64_t hi_lo = a_hi * b_lo;
  const std::uint64_t lo_hi = a_lo * b_hi;
  const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffULL) + lo_hi;
  return a_hi * b_hi + (hi_lo >> 32) + (cross >> 32);
}

class CounterRng {
 public:
  CounterRng(std::uint64_t seed, RandomDomain domain, std::uint64_t index)
      : state_(Mix64(Mix64(seed ^ static_cast<std::uint64_t>(domain)) + Mix64(index + kGamma))) {}

  std::uint64_t Next() {
    state_ += kGamma;
    return Mix64(state_);
  }

  // Uniform in [low, high] (inclusive, low <= high) by Lemire's multiply-shift. Its bias is at most
  // (high - low + 1) / 2^64, far below anything a test of a few billion draws could see, and it
  // needs no rejection loop, so every draw consumes exactly one Next().
  std::int64_t Uniform(std::int64_t low, std::int64_t high) {
    const std::uint64_t span = static_cast<std::uint64_t>(high - low) + 1;
    return low + static_cast<std::int64_t>(MulHigh64(Next(), span));
  }

 private:
  static constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio
  std::uint64_t state_;
};

}  // namespace fanfold::datagen

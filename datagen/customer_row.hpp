// One row of the TPC-H CUSTOMER table (specification clause 4.2.3), formatted byte for byte as
// dbgen writes it: eight '|'-terminated fields and '\n'. Every value of row k is drawn from its own
// counter stream (seed, k), so a row is a pure function of (seed, k, text pool): rows can be
// produced in any order, on any thread, and the file is the same.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "datagen/text_pool.hpp"
#include "storage/result.hpp"

namespace fanfold::datagen {

inline constexpr std::int64_t kCustomerRowsPerScaleFactor = 150'000;
// c_name pads the key to 9 digits; larger keys would widen the column, so stop below that.
inline constexpr std::int64_t kMaxCustomerRows = 999'999'999;

inline constexpr int kNationCount = 25;       // c_nationkey uniform in [0, 24]
inline constexpr int kAddressMinLength = 10;  // c_address v-string [10, 40]
inline constexpr int kAddressMaxLength = 40;
inline constexpr std::int64_t kMinBalanceCents = -99'999;  // c_acctbal in [-999.99, 9999.99]
inline constexpr std::int64_t kMaxBalanceCents = 999'999;
inline constexpr int kCommentMinLength = 29;  // c_comment text [29, 116]
inline constexpr int kCommentMaxLength = 116;

// The 64 symbols of a v-string: digits, both cases, comma and space (the set dbgen draws from).
inline constexpr std::string_view kAddressAlphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, ";
inline constexpr std::array<std::string_view, 5> kMarketSegments = {
    "AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"};

// Rows for a scale factor: round(sf x 150,000), e.g. 0.01 -> 1,500. InvalidArgument when sf is
// not a finite positive number or gives 0 rows or more than kMaxCustomerRows.
storage::Result<std::int64_t> CustomerRowCount(double scale_factor);

class CustomerRowWriter {
 public:
  // `pool` must outlive the writer and be at least kMinTextPoolBytes long.
  CustomerRowWriter(std::uint64_t seed, const TextPool& pool) : seed_(seed), pool_(pool) {}

  // Appends row `custkey` (1-based) including its '\n'.
  void AppendRow(std::int64_t custkey, std::string* out) const;

 private:
  std::uint64_t seed_;
  const TextPool& pool_;
};

}  // namespace fanfold::datagen

// Rows of the TPC-H CUSTOMER table exactly as dbgen 2.14 writes them (`dbgen -T c`, build.c's
// mk_cust and print.c's pr_cust): eight '|'-terminated fields and '\n'. Each random column has
// dbgen's own stream and per-row draw budget, so the streams of any row are known in closed form
// (dbgen_random.hpp) and a run of rows can start at any key, on any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "datagen/text_pool.hpp"
#include "storage/result.hpp"

namespace fanfold::datagen {

inline constexpr std::int64_t kCustomerRowsPerScaleFactor = 150'000;
// dbgen's MAX_SCALE: it warns above it, and 15 billion keys is beyond any use here.
inline constexpr double kMaxScaleFactor = 100'000;

inline constexpr int kNationCount = 25;       // c_nationkey uniform in [0, 24]
inline constexpr int kAddressMinLength = 10;  // c_address: 25 x [0.4, 1.6]
inline constexpr int kAddressMaxLength = 40;
inline constexpr std::int64_t kMinBalanceCents = -99'999;  // c_acctbal in [-999.99, 9999.99]
inline constexpr std::int64_t kMaxBalanceCents = 999'999;
inline constexpr int kCommentMinLength = 29;  // c_comment: 73 x [0.4, 1.6], truncated
inline constexpr int kCommentMaxLength = 116;

// dbgen's alpha_num, in its order (the order is part of the output): digits, lower case, space,
// upper case, comma.
inline constexpr std::string_view kAddressAlphabet =
    "0123456789abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ,";
// dists.dss "msegmnt", in its order, each of weight 1.
inline constexpr std::array<std::string_view, 5> kMarketSegments = {
    "AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"};

// Rows for a scale factor, by dbgen's rule: below 1, floor(1000 x sf) thousandths of 150,000 (at
// least one row: 0.01 -> 1,500, 0.0001 -> 1); from 1 on, the integer part times 150,000 (1.5 ->
// 150,000, as `dbgen -s 1.5` does). InvalidArgument when sf is not a finite positive number or is
// above kMaxScaleFactor.
storage::Result<std::int64_t> CustomerRowCount(double scale_factor);

class CustomerRowWriter {
 public:
  // Seed 1 is dbgen's table. Seed S is the table of the rows dbgen would generate for keys
  // (S - 1) x 10^9 + 1 on, numbered from 1: the same distributions, other values. `pool` must
  // outlive the writer.
  CustomerRowWriter(std::uint64_t seed, const TextPool& pool);

  // Appends rows first..last (1-based keys, inclusive), each with its '\n'.
  void AppendRows(std::int64_t first, std::int64_t last, std::string* out) const;

 private:
  std::int64_t row_offset_;  // rows skipped before key 1, reduced modulo the streams' period
  const TextPool& pool_;
};

}  // namespace fanfold::datagen

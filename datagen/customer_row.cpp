#include "datagen/customer_row.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "datagen/dbgen_random.hpp"

namespace fanfold::datagen {
namespace {

// 16807 is a primitive root modulo 2^31 - 1, so every stream repeats after exactly this many draws.
constexpr std::int64_t kStreamPeriod = kParkMillerModulus - 1;
constexpr std::int64_t kRowsPerSeed = 1'000'000'000;

// One column's stream: dbgen's initial state and the draws it reserves per row (rnd.h's Seed
// table, the same budgets as speed_seed.c's sd_cust).
struct ColumnStream {
  std::int64_t initial;
  std::int64_t draws_per_row;
};
constexpr ColumnStream kAddressStream{881'155'353, 9};  // length + one draw per 5 characters
constexpr ColumnStream kNationStream{1'489'529'863, 1};
constexpr ColumnStream kPhoneStream{1'521'138'112, 3};
constexpr ColumnStream kBalanceStream{298'370'230, 1};
constexpr ColumnStream kSegmentStream{1'140'279'430, 1};
constexpr ColumnStream kCommentStream{1'335'826'707, 2};  // offset, then length

// A column's stream positioned at the start of a row, stepping to the next row's start the way
// dbgen's row_stop does: whatever the row drew, the next row begins draws_per_row further on.
class RowCursor {
 public:
  RowCursor(const ColumnStream& column, std::int64_t rows_before)
      : row_start_(AdvanceParkMiller(column.initial, column.draws_per_row * rows_before)),
        row_step_(AdvanceParkMiller(1, column.draws_per_row)) {}

  DbgenStream Row() const { return DbgenStream(row_start_); }
  void NextRow() { row_start_ = (row_start_ * row_step_) % kParkMillerModulus; }

 private:
  std::int64_t row_start_;
  std::int64_t row_step_;  // 16807^draws_per_row mod 2^31 - 1
};

// Writes the decimal digits of `value` at `at`, at least `width` of them (zero-padded).
char* PutUnsigned(char* at, std::uint64_t value, int width = 1) {
  char digits[20];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count < width)
    digits[count++] = '0';
  while (count > 0)
    *at++ = digits[--count];
  return at;
}

char* PutText(char* at, std::string_view text) {
  std::memcpy(at, text.data(), text.size());
  return at + text.size();
}

// dbgen's a_rnd: a length draw, then one draw per five characters, each character the low six
// bits of the draw, shifted away as used (an arithmetic shift: those draws are negative).
char* PutAddress(char* at, DbgenStream stream) {
  const auto length = stream.Uniform(kAddressMinLength, kAddressMaxLength);
  std::int64_t bits = 0;
  for (std::int64_t i = 0; i < length; ++i) {
    if (i % 5 == 0) bits = stream.Uniform(0, kDbgenMaxLong);
    *at++ = kAddressAlphabet[static_cast<std::size_t>(bits & 63)];
    bits >>= 6;
  }
  return at;
}

// dbgen's gen_phone: country code nation + 10, then three local groups.
char* PutPhone(char* at, std::int64_t nation, DbgenStream stream) {
  const auto area = static_cast<std::uint64_t>(stream.Uniform(100, 999));
  const auto exchange = static_cast<std::uint64_t>(stream.Uniform(100, 999));
  const auto number = static_cast<std::uint64_t>(stream.Uniform(1000, 9999));
  at = PutUnsigned(at, static_cast<std::uint64_t>(nation + 10), 2);
  *at++ = '-';
  at = PutUnsigned(at, area, 3);
  *at++ = '-';
  at = PutUnsigned(at, exchange, 3);
  *at++ = '-';
  return PutUnsigned(at, number, 4);
}

// print.c's money format: "-" for negatives, then dollars and two-digit cents.
char* PutMoney(char* at, std::int64_t cents) {
  if (cents < 0) *at++ = '-';
  const auto magnitude = static_cast<std::uint64_t>(cents < 0 ? -cents : cents);
  at = PutUnsigned(at, magnitude / 100);
  *at++ = '.';
  return PutUnsigned(at, magnitude % 100, 2);
}

// The longest row: 11-digit key (SF 100,000), 20-byte name, 40-byte address, 2-digit nation,
// 15-byte phone, "-999.99" or "9999.99", 10-byte segment, 116-byte comment, 8 separators, '\n'.
constexpr std::size_t kMaxRowBytes = 11 + 20 + 40 + 2 + 15 + 7 + 10 + 116 + 8 + 1;

}  // namespace

storage::Result<std::int64_t> CustomerRowCount(double scale_factor) {
  if (!std::isfinite(scale_factor) || scale_factor <= 0) {
    return storage::Status::InvalidArgument("the scale factor must be a positive number");
  }
  if (scale_factor > kMaxScaleFactor) {
    return storage::Status::InvalidArgument(
        "scale factor too large: dbgen supports at most 100000");
  }
  if (scale_factor >= 1) {
    return static_cast<std::int64_t>(scale_factor) * kCustomerRowsPerScaleFactor;
  }
  // driver.c's arithmetic: the double product truncated to int (0.0015 -> 1 thousandth).
  const auto thousandths = static_cast<std::int64_t>(static_cast<int>(1000 * scale_factor));
  return std::max<std::int64_t>(thousandths * kCustomerRowsPerScaleFactor / 1000, 1);
}

CustomerRowWriter::CustomerRowWriter(std::uint64_t seed, const TextPool& pool)
    : row_offset_(static_cast<std::int64_t>((seed - 1) % kStreamPeriod) *
                  (kRowsPerSeed % kStreamPeriod) % kStreamPeriod),
      pool_(pool) {}

void CustomerRowWriter::AppendRows(std::int64_t first, std::int64_t last, std::string* out) const {
  const std::int64_t rows_before = (row_offset_ + (first - 1) % kStreamPeriod) % kStreamPeriod;
  RowCursor address(kAddressStream, rows_before), nation(kNationStream, rows_before),
      phone(kPhoneStream, rows_before), balance(kBalanceStream, rows_before),
      segment(kSegmentStream, rows_before), comment(kCommentStream, rows_before);
  const std::string_view pool = pool_.text();
  const auto max_offset = static_cast<std::int64_t>(pool.size()) - kCommentMaxLength;
  char row[kMaxRowBytes + 16];

  for (std::int64_t key = first; key <= last; ++key) {
    char* at = PutUnsigned(row, static_cast<std::uint64_t>(key));
    *at++ = '|';
    at = PutText(at, "Customer#");
    at = PutUnsigned(at, static_cast<std::uint64_t>(key), 9);
    *at++ = '|';
    at = PutAddress(at, address.Row());
    *at++ = '|';
    const std::int64_t nation_key = nation.Row().Uniform(0, kNationCount - 1);
    at = PutUnsigned(at, static_cast<std::uint64_t>(nation_key));
    *at++ = '|';
    at = PutPhone(at, nation_key, phone.Row());
    *at++ = '|';
    at = PutMoney(at, balance.Row().Uniform(kMinBalanceCents, kMaxBalanceCents));
    *at++ = '|';
    // pick_str over weights 1,1,1,1,1: a ticket in [1, 5] is the segment's position + 1.
    const auto ticket = segment.Row().Uniform(1, static_cast<std::int64_t>(kMarketSegments.size()));
    at = PutText(at, kMarketSegments[static_cast<std::size_t>(ticket - 1)]);
    *at++ = '|';
    DbgenStream text = comment.Row();
    const std::int64_t offset = text.Uniform(0, max_offset);
    const std::int64_t length = text.Uniform(kCommentMinLength, kCommentMaxLength);
    at = PutText(at,
                 pool.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length)));
    *at++ = '|';
    *at++ = '\n';
    out->append(row, static_cast<std::size_t>(at - row));

    address.NextRow();
    nation.NextRow();
    phone.NextRow();
    balance.NextRow();
    segment.NextRow();
    comment.NextRow();
  }
}

}  // namespace fanfold::datagen

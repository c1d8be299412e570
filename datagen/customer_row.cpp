#include "datagen/customer_row.hpp"

#include <cmath>
#include <cstring>

#include "datagen/counter_rng.hpp"

namespace fanfold::datagen {
namespace {

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

// The longest row: 9-digit key, 18-byte name, 40-byte address, 2-digit nation, 15-byte phone,
// "-999.99" or "9999.99", 10-byte segment, 116-byte comment, 8 separators and the newline.
constexpr std::size_t kMaxRowBytes = 9 + 18 + 40 + 2 + 15 + 7 + 10 + 116 + 8 + 1;

}  // namespace

storage::Result<std::int64_t> CustomerRowCount(double scale_factor) {
  if (!std::isfinite(scale_factor) || scale_factor <= 0) {
    return storage::Status::InvalidArgument("the scale factor must be a positive number");
  }
  const double rows = std::round(scale_factor * static_cast<double>(kCustomerRowsPerScaleFactor));
  if (rows < 1) {
    return storage::Status::InvalidArgument(
        "scale factor too small: it gives no rows (the "
        "smallest is 0.00000667, one row)");
  }
  if (rows > static_cast<double>(kMaxCustomerRows)) {
    return storage::Status::InvalidArgument(
        "scale factor too large: c_name's 9-digit keys allow at most 999,999,999 rows (SF "
        "6666.66)");
  }
  return static_cast<std::int64_t>(rows);
}

void CustomerRowWriter::AppendRow(std::int64_t custkey, std::string* out) const {
  CounterRng rng(seed_, RandomDomain::kCustomerRow, static_cast<std::uint64_t>(custkey));
  char row[kMaxRowBytes + 16];
  char* at = row;
  const auto key = static_cast<std::uint64_t>(custkey);

  at = PutUnsigned(at, key);
  *at++ = '|';
  at = PutText(at, "Customer#");
  at = PutUnsigned(at, key, 9);
  *at++ = '|';

  // 64 symbols = 6 bits each, so one 64-bit draw yields 10 uniform characters.
  const int address_length = static_cast<int>(rng.Uniform(kAddressMinLength, kAddressMaxLength));
  for (int done = 0; done < address_length;) {
    std::uint64_t bits = rng.Next();
    for (int i = 0; i < 10 && done < address_length; ++i, ++done, bits >>= 6) {
      *at++ = kAddressAlphabet[bits & 63];
    }
  }
  *at++ = '|';

  const auto nation = static_cast<std::uint64_t>(rng.Uniform(0, kNationCount - 1));
  at = PutUnsigned(at, nation);
  *at++ = '|';

  // Country code = nation key + 10, then three local groups in [100,999], [100,999], [1000,9999].
  at = PutUnsigned(at, nation + 10);
  *at++ = '-';
  at = PutUnsigned(at, static_cast<std::uint64_t>(rng.Uniform(100, 999)));
  *at++ = '-';
  at = PutUnsigned(at, static_cast<std::uint64_t>(rng.Uniform(100, 999)));
  *at++ = '-';
  at = PutUnsigned(at, static_cast<std::uint64_t>(rng.Uniform(1000, 9999)));
  *at++ = '|';

  // Drawn in whole cents so every value in the range is equally likely and prints exactly.
  const std::int64_t cents = rng.Uniform(kMinBalanceCents, kMaxBalanceCents);
  if (cents < 0) *at++ = '-';
  const auto magnitude = static_cast<std::uint64_t>(cents < 0 ? -cents : cents);
  at = PutUnsigned(at, magnitude / 100);
  *at++ = '.';
  at = PutUnsigned(at, magnitude % 100, 2);
  *at++ = '|';

  at = PutText(at, kMarketSegments[static_cast<std::size_t>(
                       rng.Uniform(0, static_cast<std::int64_t>(kMarketSegments.size()) - 1))]);
  *at++ = '|';

  const std::int64_t comment_length = rng.Uniform(kCommentMinLength, kCommentMaxLength);
  const std::int64_t offset =
      rng.Uniform(0, static_cast<std::int64_t>(pool_.size()) - comment_length);
  at = PutText(at, pool_.text().substr(static_cast<std::size_t>(offset),
                                       static_cast<std::size_t>(comment_length)));
  *at++ = '|';
  *at++ = '\n';
  out->append(row, static_cast<std::size_t>(at - row));
}

}  // namespace fanfold::datagen

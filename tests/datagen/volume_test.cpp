// The datagen tests whose worth is in their data volume (the 300 MiB text pool built twice more,
// 16,500 rows checked field by field), not in code the other tests leave unrun: they run in the
// optimised tree only (11 s in CI's -O1 build); under the sanitizers they took 42 of the unit
// pass's 51 s (UNSANITIZED in CMakeLists.txt).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "customer_line_check.hpp"
#include "datagen/customer_generator.hpp"
#include "datagen/text_pool.hpp"
#include "generate_test_util.hpp"

namespace fanfold::datagen {
namespace {

using testing_util::CheckCustomerLine;
using testing_util::CustomerFields;
using testing_util::Fnv1a64;
using testing_util::ForEachLine;
using testing_util::GenerateToString;

// The parallel build stitches speculative parses together; any thread count must give the
// serial build's bytes.
TEST(TextPoolTest, ParallelBuildsEqualTheSerialOne) {
  const TextPool& shared = testing_util::SharedTextPool();  // built with 2 threads
  const std::uint64_t expected = Fnv1a64(shared.text());
  for (const int threads : {1, 3}) {
    const TextPool pool = TextPool::Build(threads);
    EXPECT_TRUE(pool.text() == shared.text()) << threads << " threads";
    EXPECT_EQ(Fnv1a64(pool.text()), expected);
  }
}

TEST(CustomerGeneratorTest, WritesScaleFactorTimes150000RowsKeyedOneToN) {
  for (const double sf : {0.01, 0.1}) {
    const std::string table = GenerateToString(testing_util::Options(sf, 1, 2));
    std::int64_t expected_key = 1;
    const std::int64_t lines = ForEachLine(table, [&](std::string_view line) {
      CustomerFields fields;
      ASSERT_EQ(CheckCustomerLine(line, &fields), "") << line;
      ASSERT_EQ(fields.key, expected_key++);
    });
    EXPECT_EQ(lines, sf == 0.01 ? 1'500 : 15'000) << sf;
    ASSERT_FALSE(table.empty());
    EXPECT_EQ(table.back(), '\n');
  }
}

}  // namespace
}  // namespace fanfold::datagen

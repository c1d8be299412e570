#include "activities/chunk_aggregator.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "aggregate_test_util.hpp"

namespace fanfold::activities {
namespace {

using testing_util::FixedPieces;
using testing_util::RunChunk;
using testing_util::RunChunks;
using testing_util::RunSinglePass;
using testing_util::WholePieces;

// A small file whose data line i has nation key i, so a partial shows which lines it counted.
// Line kinds: nation >= 0 a data line; -1 an empty line ("" or "\r"). With `long_lines`, lines 3
// and 8 are padded past kShortMaxLine bytes, to be rejected when that is the limit.
struct LabelledFile {
  std::string text;
  std::vector<std::uint64_t> starts;
  std::vector<int> nations;
};

constexpr std::size_t kShortMaxLine = 30;

LabelledFile MakeLabelledFile(bool final_newline, bool long_lines = false) {
  LabelledFile file;
  auto add = [&file](const std::string& line, int nation) {
    file.starts.push_back(file.text.size());
    file.nations.push_back(nation);
    file.text += line;
    file.text += '\n';
  };
  for (int i = 0; i < 10; ++i) {
    const bool padded = long_lines && (i == 3 || i == 8);
    const auto comment = static_cast<std::size_t>(padded ? 25 : i % 4 * 3);
    add("c|n|a|" + std::to_string(i) + "|p|" + std::to_string(i) + ".0" + std::to_string(i) +
            "|s|" + std::string(comment, 'x') + "|",
        i);
    if (i == 4) add("", -1);
    if (i == 7) add("\r", -1);
  }
  if (!final_newline) file.text.pop_back();
  return file;
}

struct Expected {
  std::set<int> nations;
  std::int64_t empty_lines = 0;
  std::int64_t too_long = 0;
  bool done = true;           // done() before Finish when fed one byte at a time
  std::uint64_t done_at = 0;  // position() from which done() holds
};

// Straight from the rule: a chunk owns the lines that start in [begin, end). Fed one byte at a
// time, it is done right after the '\n' of its last owned line; if that line is too long, once
// it has seen max+1 bytes of it and byte end-2; owning none, once it has seen bytes
// begin-1..end-2. A last line without '\n' keeps it waiting for the end of the file.
Expected ExpectedFor(const LabelledFile& file, std::size_t max_line, std::uint64_t begin,
                     std::uint64_t end) {
  Expected expected;
  const std::uint64_t size = file.text.size();
  const auto line_end = [&file, size](std::size_t i) {  // one past the '\n', or the file's end
    return i + 1 < file.starts.size() ? file.starts[i + 1] : size;
  };
  const auto too_long = [&](std::size_t i) {
    const std::uint64_t length = line_end(i) - file.starts[i];
    return length - (file.text[line_end(i) - 1] == '\n' ? 1 : 0) > max_line;
  };
  int last_owned = -1;
  for (std::size_t i = 0; i < file.starts.size(); ++i) {
    if (file.starts[i] < begin || file.starts[i] >= end) continue;
    if (too_long(i)) {
      ++expected.too_long;
    } else if (file.nations[i] >= 0) {
      expected.nations.insert(file.nations[i]);
    } else {
      ++expected.empty_lines;
    }
    last_owned = static_cast<int>(i);
  }
  if (begin == end) {
    expected.done_at = begin;
  } else if (last_owned < 0) {
    expected.done_at = end - 1;
  } else if (too_long(static_cast<std::size_t>(last_owned))) {
    expected.done_at = std::max<std::uint64_t>(file.starts[last_owned] + max_line + 1, end - 1);
  } else {
    const std::uint64_t last_end = line_end(static_cast<std::size_t>(last_owned));
    expected.done = file.text[last_end - 1] == '\n';
    expected.done_at = last_end;
  }
  return expected;
}

// Every chunk [begin, end) of the file, fed one byte at a time: the lines counted and the exact
// byte from which the aggregator says it needs no more are those the ownership rule predicts.
void CheckEveryRange(const LabelledFile& file, std::size_t max_line = kDefaultMaxLineBytes) {
  const std::uint64_t size = file.text.size();
  AggregateOptions options;
  options.max_line_bytes = max_line;
  for (std::uint64_t begin = 0; begin <= size; ++begin) {
    for (std::uint64_t end = begin; end <= size; ++end) {
      SCOPED_TRACE("chunk [" + std::to_string(begin) + "," + std::to_string(end) + ")");
      const Expected expected = ExpectedFor(file, max_line, begin, end);
      auto aggregator = ChunkAggregator::Create({0, begin, end}, size, InputFormat::kTpch, options);
      ASSERT_TRUE(aggregator.ok());
      const ByteRange window = aggregator->read_window();
      ASSERT_EQ(aggregator->position(), window.begin);
      std::uint64_t offset = window.begin;
      while (true) {
        ASSERT_EQ(aggregator->position(), offset);
        ASSERT_EQ(aggregator->done(), expected.done && offset == expected.done_at);
        if (offset == window.end || aggregator->done()) break;
        aggregator->Feed(file.text.data() + offset, 1);
        ++offset;
      }
      ASSERT_EQ(aggregator->done(), expected.done);
      ASSERT_EQ(aggregator->position(), expected.done_at);
      if (expected.done) {
        aggregator->Feed("ignored after done");
        ASSERT_EQ(aggregator->position(), expected.done_at);
      }
      auto partial = aggregator->Finish();
      ASSERT_TRUE(partial.ok()) << partial.status().ToString();
      std::set<int> counted;
      for (const auto& [key, totals] : partial->nations) {
        counted.insert(key);
        ASSERT_EQ(totals.rows, 1);
        ASSERT_TRUE(totals.sum_cents == key * 100 + key);
      }
      ASSERT_EQ(counted, expected.nations);
      ASSERT_EQ(partial->rows, static_cast<std::int64_t>(expected.nations.size()));
      ASSERT_EQ(partial->empty_lines, expected.empty_lines);
      ASSERT_EQ(partial->reject(RejectReason::kLineTooLong).count, expected.too_long);
      ASSERT_EQ(partial->rejected_rows(), expected.too_long);
      ASSERT_EQ(partial->bytes_read, expected.done_at - window.begin);
      // The same chunk fed whole gives the same totals.
      const ChunkPartial whole =
          RunChunk(file.text, {0, begin, end}, InputFormat::kTpch, options, WholePieces());
      ASSERT_TRUE(SameTotals(whole, *partial));
    }
  }
}

TEST(ChunkAggregatorTest, EveryRangeOwnsExactlyTheLinesStartingInIt) {
  CheckEveryRange(MakeLabelledFile(/*final_newline=*/true));
}

TEST(ChunkAggregatorTest, EveryRangeOwnsExactlyTheLinesStartingInItWithoutFinalNewline) {
  CheckEveryRange(MakeLabelledFile(/*final_newline=*/false));
}

TEST(ChunkAggregatorTest, EveryRangeWithTooLongLines) {
  CheckEveryRange(MakeLabelledFile(/*final_newline=*/true, /*long_lines=*/true), kShortMaxLine);
  CheckEveryRange(MakeLabelledFile(/*final_newline=*/false, /*long_lines=*/true), kShortMaxLine);
}

TEST(ChunkAggregatorTest, LineStartingExactlyAtBeginIsOwnedIffPreviousByteIsNewline) {
  const std::string file = "a|b|c|1|e|1.00|g|h|\na|b|c|2|e|2.00|g|h|\n";
  const std::uint64_t second = file.find('\n') + 1;  // 20
  // [20, size): byte 19 is '\n', so the line at 20 is ours.
  ChunkPartial from_second =
      RunChunk(file, {1, second, file.size()}, InputFormat::kTpch, {}, WholePieces());
  EXPECT_EQ(from_second.rows, 1);
  EXPECT_EQ(from_second.nations.count(2), 1u);
  // [19, size): byte 18 is '|', the '\n' at 19 ends someone else's line; the line at 20 is ours.
  ChunkPartial from_newline =
      RunChunk(file, {1, second - 1, file.size()}, InputFormat::kTpch, {}, WholePieces());
  EXPECT_EQ(from_newline.rows, 1);
  EXPECT_EQ(from_newline.nations.count(2), 1u);
  // [21, size): the line at 20 started before us.
  ChunkPartial after =
      RunChunk(file, {1, second + 1, file.size()}, InputFormat::kTpch, {}, WholePieces());
  EXPECT_EQ(after.rows, 0);
  // [0, 20) owns line 1 only; [0, 21) owns both (line 2 starts at 20 < 21).
  EXPECT_EQ(RunChunk(file, {0, 0, second}, InputFormat::kTpch, {}, WholePieces()).rows, 1);
  EXPECT_EQ(RunChunk(file, {0, 0, second + 1}, InputFormat::kTpch, {}, WholePieces()).rows, 2);
}

TEST(ChunkAggregatorTest, FormatMustBeGivenToChunksThatCannotSeeLineOne) {
  const std::string file = "1,a,b,3,p,1.50,s,c\n2,a,b,4,p,2.50,s,c\n";
  auto later = ChunkAggregator::Create({1, 5, file.size()}, file.size(), InputFormat::kAuto);
  ASSERT_FALSE(later.ok());
  EXPECT_TRUE(later.status().IsInvalidArgument());

  const ChunkPartial detected = RunSinglePass(file, InputFormat::kAuto);
  EXPECT_EQ(detected.format, InputFormat::kCsv);
  EXPECT_EQ(detected.rows, 2);
  // Forcing the wrong format is honoured, and every line is rejected for its structure.
  const ChunkPartial forced = RunSinglePass(file, InputFormat::kTpch);
  EXPECT_EQ(forced.format, InputFormat::kTpch);
  EXPECT_EQ(forced.rows, 0);
  EXPECT_EQ(forced.reject(RejectReason::kFieldCount).count, 2);
  EXPECT_EQ(forced.reject(RejectReason::kFieldCount).first_offsets,
            (std::vector<std::uint64_t>{0, 19}));
}

TEST(ChunkAggregatorTest, EmptyFileAndEmptyChunks) {
  const ChunkPartial empty_auto = RunSinglePass("", InputFormat::kAuto);
  EXPECT_EQ(empty_auto, ChunkPartial{});  // nothing read, format left undetermined
  const ChunkPartial empty_csv = RunSinglePass("", InputFormat::kCsv);
  EXPECT_EQ(empty_csv.format, InputFormat::kCsv);
  EXPECT_EQ(empty_csv.rows, 0);
  auto aggregator = ChunkAggregator::Create({3, 7, 7}, 10, InputFormat::kTpch);
  ASSERT_TRUE(aggregator.ok());
  EXPECT_TRUE(aggregator->done());
  EXPECT_EQ(aggregator->read_window().size(), 0u);
  auto partial = aggregator->Finish();
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->bytes_read, 0u);
}

TEST(ChunkAggregatorTest, HeaderOnlyOnTheFirstLineOfTheFile) {
  const std::string header =
      "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,c_mktsegment,c_comment\n";
  const std::string row = "1,a,b,3,p,1.50,s,c\n";
  const ChunkPartial with_header = RunSinglePass(header + row + row, InputFormat::kAuto);
  EXPECT_TRUE(with_header.header_skipped);
  EXPECT_EQ(with_header.format, InputFormat::kCsv);
  EXPECT_EQ(with_header.rows, 2);
  EXPECT_EQ(with_header.rejected_rows(), 0);

  // Anywhere else it is just a line whose nation key is not a number.
  const ChunkPartial late_header = RunSinglePass(row + header + row, InputFormat::kAuto);
  EXPECT_FALSE(late_header.header_skipped);
  EXPECT_EQ(late_header.rows, 2);
  EXPECT_EQ(late_header.reject(RejectReason::kNationKeyInvalid).first_offsets,
            (std::vector<std::uint64_t>{row.size()}));
  const ChunkPartial after_blank = RunSinglePass("\n" + header + row, InputFormat::kCsv);
  EXPECT_FALSE(after_blank.header_skipped);
  EXPECT_EQ(after_blank.empty_lines, 1);
  EXPECT_EQ(after_blank.reject(RejectReason::kNationKeyInvalid).count, 1);

  // Headers are recognised in TPC-H layout too, and with CRLF.
  const ChunkPartial tpch_header = RunSinglePass(
      "k|n|a|c_nationkey|p|c_acctbal|s|c|\r\nk|n|a|1|p|1.00|s|c|\r\n", InputFormat::kAuto);
  EXPECT_TRUE(tpch_header.header_skipped);
  EXPECT_EQ(tpch_header.format, InputFormat::kTpch);
  EXPECT_EQ(tpch_header.rows, 1);
}

TEST(ChunkAggregatorTest, ByteOrderMarkOnTheFirstLineIsIgnored) {
  const std::string bom = "\xEF\xBB\xBF";
  const ChunkPartial csv = RunSinglePass(
      bom +
          "\"c_custkey\",c_name,c_address,c_nationkey,c_phone,c_acctbal,c_mktsegment,c_comment"
          "\r\n\"1\",a,b,3,p,1.50,s,c\r\n",
      InputFormat::kAuto);
  EXPECT_EQ(csv.format, InputFormat::kCsv);
  EXPECT_TRUE(csv.header_skipped);
  EXPECT_EQ(csv.rows, 1);
  EXPECT_EQ(csv.rejected_rows(), 0);
  const ChunkPartial tpch = RunSinglePass(bom + "1|a|b|3|p|1.50|s|c|\n", InputFormat::kAuto);
  EXPECT_EQ(tpch.format, InputFormat::kTpch);
  EXPECT_EQ(tpch.rows, 1);
}

TEST(ChunkAggregatorTest, LineEndingsEmptyLinesAndUnterminatedLastLine) {
  const std::string file =
      "a|b|c|1|e|1.00|g|h|\r\n\r\n\na|b|c|2|e|-2.50|g|h|\n\na|b|c|2|e|0.01|g|h|";
  const ChunkPartial partial = RunSinglePass(file, InputFormat::kAuto);
  EXPECT_EQ(partial.rows, 3);
  EXPECT_EQ(partial.empty_lines, 3);
  EXPECT_EQ(partial.rejected_rows(), 0);
  EXPECT_TRUE(partial.nations.at(2).sum_cents == -249);
  EXPECT_EQ(partial.nations.at(2).rows, 2);
  // A lone '\r' at the very end is an empty last line; a lone '\n' ends the previous one.
  EXPECT_EQ(RunSinglePass("a|b|c|1|e|1|g|h|\n\r", InputFormat::kTpch).empty_lines, 1);
  EXPECT_EQ(RunSinglePass("a|b|c|1|e|1|g|h|\n", InputFormat::kTpch).empty_lines, 0);
  // Only one '\r' belongs to the terminator.
  EXPECT_EQ(RunSinglePass("a|b|c|1|e|1|g|h|\r\r\n", InputFormat::kTpch)
                .reject(RejectReason::kFieldCount)
                .count,
            1);
}

TEST(ChunkAggregatorTest, LongLinesAreRejectedAtTheConfiguredLimit) {
  AggregateOptions options;
  options.max_line_bytes = 30;
  const std::string ok30 = "a|b|c|1|e|1.00|g|" + std::string(12, 'x') + "|";    // 30 bytes
  const std::string long31 = "a|b|c|2|e|2.00|g|" + std::string(13, 'x') + "|";  // 31 bytes
  const std::string crlf30 = "a|b|c|3|e|3.00|g|" + std::string(11, 'x') + "|\r";
  const std::string crlf31 = "a|b|c|4|e|4.00|g|" + std::string(12, 'x') + "|\r";
  ASSERT_EQ(ok30.size(), 30u);
  ASSERT_EQ(long31.size(), 31u);
  const std::string huge(1000, 'z');
  const std::string file = ok30 + "\n" + long31 + "\n" + crlf30 + "\n" + crlf31 + "\n" + huge +
                           "\n" + ok30 + "\n" + huge;
  const ChunkPartial single = RunSinglePass(file, InputFormat::kTpch, options);
  EXPECT_EQ(single.rows, 3);
  EXPECT_EQ(single.nations.at(1).rows, 2);
  EXPECT_EQ(single.nations.at(3).rows, 1);
  const RejectTally& too_long = single.reject(RejectReason::kLineTooLong);
  EXPECT_EQ(too_long.count, 4);
  const std::uint64_t at_long31 = 31;
  const std::uint64_t at_crlf31 = at_long31 + 32 + 31;
  const std::uint64_t at_huge = at_crlf31 + 32;
  const std::uint64_t at_last_huge = at_huge + 1001 + 31;
  EXPECT_EQ(too_long.first_offsets,
            (std::vector<std::uint64_t>{at_long31, at_crlf31, at_huge, at_last_huge}));
  // Every chunking, fed in every piece size up to 40, agrees.
  for (std::uint32_t count = 1; count <= 40; ++count) {
    auto plan = PlanChunks(file.size(), count);
    ASSERT_TRUE(plan.ok());
    for (const std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{31}, file.size()}) {
      const ChunkPartial merged =
          RunChunks(file, plan->chunks, InputFormat::kTpch, options, FixedPieces(piece));
      ASSERT_TRUE(SameTotals(merged, single)) << count << " chunks, pieces of " << piece;
    }
  }
}

TEST(ChunkAggregatorTest, TooLongFirstLineResolvesAutoToTheFallbackFormat) {
  AggregateOptions options;
  options.max_line_bytes = 20;
  const std::string file = "1,a,b,3,p,1.50,s,c,xxxxxxxxxxxxxx\n1,a,b,3,p,1.50,s,c\n";
  const ChunkPartial partial = RunSinglePass(file, InputFormat::kAuto, options);
  EXPECT_EQ(partial.format, DetectInputFormat(file, options.max_line_bytes));
  EXPECT_EQ(partial.format, kFallbackInputFormat);
  EXPECT_EQ(partial.reject(RejectReason::kLineTooLong).count, 1);
  EXPECT_EQ(partial.reject(RejectReason::kFieldCount).count, 1);
}

TEST(ChunkAggregatorTest, RejectsAreCountedByReasonWithTheFirstOffsets) {
  std::string file;
  std::vector<std::uint64_t> bad_balance_offsets;
  for (int i = 0; i < 12; ++i) {
    file += "a|b|c|1|e|1.00|g|h|\n";
    bad_balance_offsets.push_back(file.size());
    file += "a|b|c|1|e|1.001|g|h|\n";
  }
  file += "a|b|c|25|e|1.00|g|h|\n";
  AggregateOptions options;
  options.reject_samples = 5;
  const ChunkPartial partial = RunSinglePass(file, InputFormat::kTpch, options);
  EXPECT_EQ(partial.rows, 12);
  EXPECT_EQ(partial.reject(RejectReason::kBalanceInvalid).count, 12);
  EXPECT_EQ(
      partial.reject(RejectReason::kBalanceInvalid).first_offsets,
      std::vector<std::uint64_t>(bad_balance_offsets.begin(), bad_balance_offsets.begin() + 5));
  EXPECT_EQ(partial.reject(RejectReason::kNationKeyOutOfRange).count, 1);
  EXPECT_EQ(partial.rejected_rows(), 13);
  options.reject_samples = 0;
  EXPECT_TRUE(RunSinglePass(file, InputFormat::kTpch, options)
                  .reject(RejectReason::kBalanceInvalid)
                  .first_offsets.empty());
}

TEST(ChunkAggregatorTest, CustomNationKeyRange) {
  AggregateOptions options;
  options.nation_keys = {100, 102};
  const ChunkPartial partial = RunSinglePass(
      "a|b|c|100|e|1|g|h|\na|b|c|102|e|2|g|h|\na|b|c|99|e|1|g|h|\na|b|c|103|e|1|g|h|\n",
      InputFormat::kTpch, options);
  EXPECT_EQ(partial.rows, 2);
  EXPECT_EQ(partial.nations.size(), 2u);
  EXPECT_TRUE(partial.nations.at(102).sum_cents == 200);
  EXPECT_EQ(partial.reject(RejectReason::kNationKeyOutOfRange).count, 2);
}

TEST(ChunkAggregatorTest, InputThatStopsShortIsAnError) {
  const std::string file = "a|b|c|1|e|1.00|g|h|\na|b|c|2|e|2.00|g|h|\n";
  auto aggregator = ChunkAggregator::Create({0, 0, 25}, file.size(), InputFormat::kTpch);
  ASSERT_TRUE(aggregator.ok());
  aggregator->Feed(file.data(), 30);  // the line crossing 25 ends at 39
  EXPECT_FALSE(aggregator->done());
  auto partial = aggregator->Finish();
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(partial.status().code(), storage::StatusCode::kIoError);
  EXPECT_NE(partial.status().message().find("byte 30"), std::string::npos);
  EXPECT_TRUE(aggregator->Finish().status().IsInvalidArgument());  // second call
}

TEST(ChunkAggregatorTest, MoreBytesThanTheFileHoldsIsAnError) {
  const std::string bytes = "a|b|c|1|e|1.00|g|h|";  // says 10 bytes, has 19 without a newline
  auto aggregator = ChunkAggregator::Create({0, 0, 10}, 10, InputFormat::kTpch);
  ASSERT_TRUE(aggregator.ok());
  aggregator->Feed(bytes);
  auto partial = aggregator->Finish();
  ASSERT_FALSE(partial.ok());
  EXPECT_TRUE(partial.status().IsInvalidArgument());
}

TEST(ChunkAggregatorTest, InvalidArgumentsAreRefused) {
  const auto create = [](const ChunkRange& chunk, std::uint64_t size, const AggregateOptions& o) {
    return ChunkAggregator::Create(chunk, size, InputFormat::kTpch, o).status();
  };
  EXPECT_TRUE(create({0, 5, 4}, 10, {}).IsInvalidArgument());
  EXPECT_TRUE(create({0, 0, 11}, 10, {}).IsInvalidArgument());
  AggregateOptions options;
  options.nation_keys = {-1, 24};
  EXPECT_TRUE(create({0, 0, 10}, 10, options).IsInvalidArgument());
  options.nation_keys = {5, 4};
  EXPECT_TRUE(create({0, 0, 10}, 10, options).IsInvalidArgument());
  options.nation_keys = {0, kMaxNationKeySpan};
  EXPECT_TRUE(create({0, 0, 10}, 10, options).IsInvalidArgument());
  options.nation_keys = {1000, 1000 + kMaxNationKeySpan - 1};
  EXPECT_TRUE(create({0, 0, 10}, 10, options).ok());
  options = {};
  options.max_line_bytes = 0;
  EXPECT_TRUE(create({0, 0, 10}, 10, options).IsInvalidArgument());
  options.max_line_bytes = kMaxMaxLineBytes + 1;
  EXPECT_TRUE(create({0, 0, 10}, 10, options).IsInvalidArgument());
  options = {};
  options.reject_samples = 1001;
  EXPECT_TRUE(create({0, 0, 10}, 10, options).IsInvalidArgument());
}

TEST(ChunkAggregatorTest, InMemoryHelperMatchesStreaming) {
  const std::string file = "a|b|c|1|e|1.00|g|h|\na|b|c|2|e|2.00|g|h|\na|b|c|3|e|3.00|g|h|\n";
  auto partial = AggregateChunkInMemory(file, {1, 20, 40}, InputFormat::kTpch);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(*partial, RunChunk(file, {1, 20, 40}, InputFormat::kTpch, {}, WholePieces()));
  EXPECT_EQ(partial->rows, 1);
  EXPECT_EQ(partial->nations.count(2), 1u);
  EXPECT_FALSE(AggregateChunkInMemory(file, {1, 20, 40}, InputFormat::kAuto).ok());
}

}  // namespace
}  // namespace fanfold::activities

// fanfold split's engine on real files in a scratch directory: contiguous parts concatenate back
// to the input, round-robin parts interleave back to it (and equal GNU `split -n r/N` byte for
// byte where that tool exists), line counts differ by at most one, lines are never broken, and
// every refusal is a clear error that leaves no part behind.
#include "datagen/line_splitter.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fanfold::datagen {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::vector<std::string> Lines(const std::string& text) {  // each with its '\n', if it has one
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t end = newline == std::string::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

// ~3 MB over several 1 MiB read chunks: random lengths, empty lines, one line longer than a chunk,
// and a last line without '\n'.
std::string SampleText() {
  std::mt19937 rng(12345);
  std::string text;
  int line = 0;
  while (text.size() < (std::size_t{3} << 20)) {
    const int length = line % 97 == 5 ? 0 : static_cast<int>(rng() % 300);
    text += std::to_string(line++) + "|";
    text.append(static_cast<std::size_t>(length), static_cast<char>('a' + line % 26));
    if (line == 3'000) text.append(std::size_t{1} << 21, 'L');
    text += '\n';
  }
  text += "last line without newline|";
  return text;
}

class LineSplitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fanfold-split-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Input(const std::string& bytes, const std::string& name = "customer.tbl") {
    WriteFile(dir_ / name, bytes);
    return dir_ / name;
  }

  SplitStats Split(const fs::path& input, int parts, bool round_robin) {
    SplitOptions options;
    options.parts = parts;
    options.round_robin = round_robin;
    options.output_dir = (dir_ / "out").string();
    auto stats = SplitFile(input.string(), options);
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    return stats.ok() ? *stats : SplitStats{};
  }

  void ExpectNoPartsLeft() {
    if (!fs::exists(dir_ / "out")) return;
    for (const auto& entry : fs::directory_iterator(dir_ / "out")) {
      ADD_FAILURE() << "left behind: " << entry.path();
    }
  }

  fs::path dir_;
};

// Line counts of the parts differ by at most one and add up; no part ends mid-line except the one
// holding an unterminated last line.
void ExpectBalanced(const SplitStats& stats, const std::string& input) {
  std::int64_t total = 0, smallest = INT64_MAX, largest = 0;
  int unterminated = 0;
  for (const auto& part : stats.parts) {
    const std::string bytes = ReadFile(part.path);
    EXPECT_EQ(bytes.size(), part.bytes) << part.path;
    EXPECT_EQ(static_cast<std::int64_t>(Lines(bytes).size()), part.lines) << part.path;
    if (!bytes.empty() && bytes.back() != '\n') ++unterminated;
    total += part.lines;
    smallest = std::min(smallest, part.lines);
    largest = std::max(largest, part.lines);
  }
  EXPECT_EQ(total, static_cast<std::int64_t>(Lines(input).size()));
  EXPECT_EQ(stats.lines, total);
  EXPECT_EQ(stats.bytes, input.size());
  EXPECT_LE(largest - smallest, 1);
  EXPECT_EQ(unterminated, !input.empty() && input.back() != '\n' ? 1 : 0);
}

TEST(PartFileNameTest, PadsTheOneBasedIndexToFiveDigits) {
  EXPECT_EQ(PartFileName("customer", 1, ".tbl"), "customer-00001.tbl");
  EXPECT_EQ(PartFileName("x", 1000, ""), "x-01000");
}

TEST_F(LineSplitterTest, ContiguousPartsConcatenateToTheInput) {
  const std::string text = SampleText();
  const fs::path input = Input(text);
  for (const int parts : {1, 2, 3, 7}) {
    const SplitStats stats = Split(input, parts, false);
    ASSERT_EQ(stats.parts.size(), static_cast<std::size_t>(parts));
    std::string joined;
    for (int i = 0; i < parts; ++i) {
      const auto& part = stats.parts[static_cast<std::size_t>(i)];
      EXPECT_EQ(fs::path(part.path).filename(), PartFileName("customer", i + 1, ".tbl"));
      joined += ReadFile(part.path);
    }
    EXPECT_TRUE(joined == text) << parts << " parts";
    ExpectBalanced(stats, text);
    // The first lines % parts parts hold the extra line.
    EXPECT_GE(stats.parts.front().lines, stats.parts.back().lines);
  }
}

TEST_F(LineSplitterTest, RoundRobinPartsInterleaveToTheInput) {
  const std::string text = SampleText();
  const fs::path input = Input(text);
  for (const int parts : {1, 2, 5}) {
    const SplitStats stats = Split(input, parts, true);
    ASSERT_EQ(stats.parts.size(), static_cast<std::size_t>(parts));
    std::vector<std::vector<std::string>> part_lines;
    for (const auto& part : stats.parts)
      part_lines.push_back(Lines(ReadFile(part.path)));
    std::string interleaved;
    for (std::size_t i = 0;; ++i) {
      const auto& lines = part_lines[i % part_lines.size()];
      const std::size_t row = i / part_lines.size();
      if (row >= lines.size()) break;
      interleaved += lines[row];
    }
    EXPECT_TRUE(interleaved == text) << parts << " parts";
    ExpectBalanced(stats, text);
  }
}

TEST_F(LineSplitterTest, RoundRobinEqualsGnuSplitWhereAvailable) {
  if (std::system("split --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no GNU split";
  const std::string text = SampleText();
  const fs::path input = Input(text);
  const SplitStats stats = Split(input, 4, true);
  const std::string command =
      "cd '" + dir_.string() + "' && split --number=r/4 -d -a 1 '" + input.string() + "' gnu-";
  ASSERT_EQ(std::system(command.c_str()), 0);
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(ReadFile(stats.parts[static_cast<std::size_t>(i)].path) ==
                ReadFile(dir_ / ("gnu-" + std::to_string(i))))
        << "part " << i + 1;
  }
}

TEST_F(LineSplitterTest, MorePartsThanLinesLeavesTheRestEmpty) {
  const fs::path input = Input("a\nb\nc");
  for (const bool round_robin : {false, true}) {
    const SplitStats stats = Split(input, 5, round_robin);
    ASSERT_EQ(stats.parts.size(), 5u);
    EXPECT_EQ(ReadFile(stats.parts[0].path), "a\n");
    EXPECT_EQ(ReadFile(stats.parts[1].path), "b\n");
    EXPECT_EQ(ReadFile(stats.parts[2].path), "c");
    EXPECT_EQ(ReadFile(stats.parts[3].path), "");
    EXPECT_EQ(ReadFile(stats.parts[4].path), "");
    EXPECT_EQ(stats.lines, 3);
  }
}

TEST_F(LineSplitterTest, EmptyInputGivesEmptyParts) {
  const SplitStats stats = Split(Input(""), 3, false);
  ASSERT_EQ(stats.parts.size(), 3u);
  for (const auto& part : stats.parts)
    EXPECT_EQ(fs::file_size(part.path), 0u);
  EXPECT_EQ(stats.lines, 0);
}

TEST_F(LineSplitterTest, PrefixAndExtensionNameTheParts) {
  SplitOptions options;
  options.parts = 2;
  options.output_dir = (dir_ / "named").string();
  options.prefix = "piece";
  auto stats = SplitFile(Input("1\n2\n3\n", "data.csv").string(), options);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->parts[0].path, (dir_ / "named" / "piece-00001.csv").string());
  EXPECT_EQ(ReadFile(stats->parts[0].path), "1\n2\n");
  EXPECT_EQ(ReadFile(stats->parts[1].path), "3\n");

  options.prefix = "";
  stats = SplitFile(Input("x\n", "noext").string(), options);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->parts[1].path, (dir_ / "named" / "noext-00002").string());
  EXPECT_FALSE(fs::exists(dir_ / "named" / "noext-00002.tmp"));
}

TEST_F(LineSplitterTest, ReplacesPartsOfAnEarlierRun) {
  const fs::path input = Input("1\n2\n");
  Split(Input("old\nold\nold\nold\n", "other.tbl"), 2, false);
  fs::rename(dir_ / "out" / "other-00001.tbl", dir_ / "out" / "customer-00001.tbl");
  const SplitStats stats = Split(input, 2, false);
  EXPECT_EQ(ReadFile(stats.parts[0].path), "1\n");
}

TEST_F(LineSplitterTest, RefusesABadNumberOfParts) {
  const fs::path input = Input("a\n");
  for (const int parts : {0, -1, kMaxSplitParts + 1}) {
    SplitOptions options;
    options.parts = parts;
    options.output_dir = (dir_ / "out").string();
    const auto stats = SplitFile(input.string(), options);
    ASSERT_FALSE(stats.ok());
    EXPECT_TRUE(stats.status().IsInvalidArgument());
    EXPECT_NE(stats.status().message().find("between 1 and 1000"), std::string::npos);
  }
  ExpectNoPartsLeft();
}

TEST_F(LineSplitterTest, RefusesAMissingInput) {
  SplitOptions options;
  options.output_dir = (dir_ / "out").string();
  const auto stats = SplitFile((dir_ / "missing.tbl").string(), options);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), storage::StatusCode::kIoError);
  EXPECT_NE(stats.status().message().find("missing.tbl"), std::string::npos);
  EXPECT_NE(stats.status().message().find("No such file"), std::string::npos);
  ExpectNoPartsLeft();
}

TEST_F(LineSplitterTest, RefusesADirectoryAsInput) {
  SplitOptions options;
  options.output_dir = (dir_ / "out").string();
  const auto stats = SplitFile(dir_.string(), options);
  ASSERT_FALSE(stats.ok());
  EXPECT_NE(stats.status().message().find("not a regular file"), std::string::npos);
}

TEST_F(LineSplitterTest, RefusesAnOutputDirectoryThatCannotBeWritten) {
  const fs::path input = Input("a\nb\n");
  WriteFile(dir_ / "plain-file", "x");
  for (const fs::path& bad : {dir_ / "plain-file", dir_ / "plain-file" / "sub"}) {
    SplitOptions options;
    options.output_dir = bad.string();
    const auto stats = SplitFile(input.string(), options);
    ASSERT_FALSE(stats.ok()) << bad;
    EXPECT_EQ(stats.status().code(), storage::StatusCode::kIoError);
    EXPECT_NE(stats.status().message().find(bad.string()), std::string::npos)
        << stats.status().message();
  }
}

TEST_F(LineSplitterTest, RefusesAReadOnlyOutputDirectory) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes through directory permissions";
  const fs::path input = Input("a\nb\n");
  fs::create_directories(dir_ / "read-only");
  fs::permissions(dir_ / "read-only", fs::perms::owner_read | fs::perms::owner_exec);
  SplitOptions options;
  options.output_dir = (dir_ / "read-only").string();
  const auto stats = SplitFile(input.string(), options);
  fs::permissions(dir_ / "read-only", fs::perms::owner_all);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), storage::StatusCode::kIoError);
  EXPECT_NE(stats.status().message().find("Permission denied"), std::string::npos);
}

TEST_F(LineSplitterTest, RefusesToOverwriteTheInput) {
  WriteFile(dir_ / "x-00001.tbl", "a\nb\n");
  SplitOptions options;
  options.output_dir = dir_.string();
  options.prefix = "x";
  const auto stats = SplitFile((dir_ / "x-00001.tbl").string(), options);
  ASSERT_FALSE(stats.ok());
  EXPECT_TRUE(stats.status().IsInvalidArgument());
  EXPECT_EQ(ReadFile(dir_ / "x-00001.tbl"), "a\nb\n");
}

}  // namespace
}  // namespace fanfold::datagen

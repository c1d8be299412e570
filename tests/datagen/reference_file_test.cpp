// The generator against real dbgen output: the first 1,000 lines of the TPC-H SF 1 customer file
// must pass the same per-column checker as generated rows (so the checker, and with it the
// generator, encodes dbgen's rules and vocabulary, not our guesses), and the two must have the
// same field shapes and comment word statistics within loose bounds. Skipped when the file,
// which lives beside the source tree in shared/, is absent.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "customer_line_check.hpp"
#include "datagen/customer_generator.hpp"
#include "generate_test_util.hpp"

namespace fanfold::datagen {
namespace {

using testing_util::CheckCustomerLine;
using testing_util::CustomerFields;
using testing_util::ForEachLine;

const std::string kReferencePath =
    std::string(FANFOLD_SOURCE_DIR) + "/../shared/data/tpch/customer-sf1.tbl.xz";

std::vector<std::string> ReferenceHead(int lines) {
  std::vector<std::string> out;
  const std::string command =
      "xz -dc '" + kReferencePath + "' 2>/dev/null | head -n " + std::to_string(lines);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::string text;
  char buffer[65536];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    text.append(buffer, got);
  pclose(pipe);  // xz may die of SIGPIPE once head has enough: not an error
  ForEachLine(text, [&out](std::string_view line) { out.emplace_back(line); });
  return out;
}

// Shapes and statistics of a set of lines, comparable between files of different sizes.
struct Profile {
  std::size_t rows = 0;
  std::size_t min_address = 1000, max_address = 0;
  std::size_t min_comment = 1000, max_comment = 0;
  double comment_bytes = 0;
  double address_bytes = 0;
  std::map<std::string, double> word_per_comment;  // occurrences / rows
  double sentence_ends_per_comment = 0;
  std::string error;
};

Profile ProfileOf(const std::vector<std::string>& lines) {
  static const std::vector<std::string> kWords = {"packages",  "requests",  "accounts", "deposits",
                                                  "furiously", "carefully", "regular",  "the"};
  Profile profile;
  for (const auto& line : lines) {
    CustomerFields fields;
    const std::string error = CheckCustomerLine(line, &fields);
    if (!error.empty()) {
      profile.error = error + " in: " + line;
      return profile;
    }
    ++profile.rows;
    profile.min_address = std::min(profile.min_address, fields.address.size());
    profile.max_address = std::max(profile.max_address, fields.address.size());
    profile.min_comment = std::min(profile.min_comment, fields.comment.size());
    profile.max_comment = std::max(profile.max_comment, fields.comment.size());
    profile.comment_bytes += static_cast<double>(fields.comment.size());
    profile.address_bytes += static_cast<double>(fields.address.size());
    const std::string comment = " " + std::string(fields.comment) + " ";
    for (const auto& word : kWords) {
      for (std::size_t at = comment.find(" " + word); at != std::string::npos;
           at = comment.find(" " + word, at + 1)) {
        profile.word_per_comment[word] += 1;
      }
    }
    for (const char c : comment)
      profile.sentence_ends_per_comment += c == '.';
  }
  const double rows = static_cast<double>(profile.rows);
  for (auto& [word, count] : profile.word_per_comment)
    count /= rows;
  profile.sentence_ends_per_comment /= rows;
  profile.comment_bytes /= rows;
  profile.address_bytes /= rows;
  return profile;
}

class ReferenceFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kReferencePath)) {
      GTEST_SKIP() << kReferencePath << " not present";
    }
    reference_ = ReferenceHead(1000);
    ASSERT_EQ(reference_.size(), 1000u) << "could not read " << kReferencePath << " with xz";
  }
  std::vector<std::string> reference_;
};

TEST_F(ReferenceFileTest, RealDbgenRowsPassTheSameChecksAsGeneratedOnes) {
  for (std::size_t i = 0; i < reference_.size(); ++i) {
    CustomerFields fields;
    ASSERT_EQ(CheckCustomerLine(reference_[i], &fields), "") << reference_[i];
    EXPECT_EQ(fields.key, static_cast<std::int64_t>(i + 1));
  }
}

TEST_F(ReferenceFileTest, GeneratedRowsHaveTheReferenceShapesAndWordStatistics) {
  GenerateOptions options;
  options.scale_factor = 0.01;
  options.threads = 2;
  const std::string generated_text = testing_util::GenerateToString(options);
  std::vector<std::string> generated;
  ForEachLine(generated_text, [&generated](std::string_view line) {
    if (generated.size() < 1000) generated.emplace_back(line);
  });
  const Profile real = ProfileOf(reference_);
  const Profile ours = ProfileOf(generated);
  ASSERT_EQ(real.error, "");
  ASSERT_EQ(ours.error, "");
  // 1,000 uniform draws over 31 (address) and 88 (comment) lengths reach both ends.
  EXPECT_EQ(ours.min_address, real.min_address);
  EXPECT_EQ(ours.max_address, real.max_address);
  EXPECT_LE(ours.min_comment, 31u);
  EXPECT_GE(ours.max_comment, 114u);
  EXPECT_NEAR(ours.address_bytes, real.address_bytes, 1.5);  // both ~25
  EXPECT_NEAR(ours.comment_bytes, real.comment_bytes, 4.0);  // both ~72.5
  // The grammar's weights show in word frequencies: within 25% of dbgen's on 1,000 comments.
  for (const auto& [word, rate] : real.word_per_comment) {
    const double mine = ours.word_per_comment.count(word) ? ours.word_per_comment.at(word) : 0;
    EXPECT_NEAR(mine, rate, 0.25 * rate) << word << ": dbgen " << rate << ", ours " << mine;
  }
  EXPECT_NEAR(ours.sentence_ends_per_comment, real.sentence_ends_per_comment,
              0.25 * real.sentence_ends_per_comment);
}

}  // namespace
}  // namespace fanfold::datagen

// `fanfold gen` and `fanfold split` as the binary runs them (arguments parsed against the
// command's options, then run): outputs, and the exit code of every refusal. Also the "-o"
// one-letter alias both commands rely on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "datagen/customer_generator.hpp"
#include "generate_test_util.hpp"

namespace fanfold::cli {
namespace {

namespace fs = std::filesystem;

int RunCommand(const Command& command, const std::vector<std::string>& args) {
  auto parsed = Arguments::Parse(args, command.options);
  if (!parsed.ok()) return kExitUsage;  // what main() does
  return command.run(*parsed);
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class CliCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fanfold-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST(ShortOptionTest, DashLetterIsTheDeclaredAlias) {
  const std::vector<OptionSpec> specs = {{"output", true, "file", "FILE", 'o'},
                                         {"verbose", false, "talk", "VALUE", 'v'}};
  auto parsed = Arguments::Parse({"-o", "-", "-v", "in.tbl", "-"}, specs);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->ValueOr("output", ""), "-");
  EXPECT_TRUE(parsed->Has("verbose"));
  EXPECT_EQ(parsed->positionals(), (std::vector<std::string>{"in.tbl", "-"}));
  EXPECT_FALSE(Arguments::Parse({"-x"}, specs).ok());
  EXPECT_FALSE(Arguments::Parse({"-o"}, specs).ok());   // needs a value
  EXPECT_FALSE(Arguments::Parse({"-ov"}, specs).ok());  // no bundling
  parsed = Arguments::Parse({"--", "-o"}, specs);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->positionals(), std::vector<std::string>{"-o"});
  EXPECT_NE(FormatOptions(specs).find("  -o, --output FILE"), std::string::npos);
}

TEST_F(CliCommandsTest, GenWritesTheLibrarysBytesForTheSeed) {
  datagen::testing_util::SharedTextPool();  // built once for the command and the comparison
  ASSERT_EQ(RunCommand(GenCommand(),
                       {"--sf", "0.01", "--seed", "3", "--threads", "2", "-o", Path("c.tbl")}),
            kExitOk);
  datagen::GenerateOptions options;
  options.scale_factor = 0.01;
  options.seed = 3;
  EXPECT_TRUE(Read(Path("c.tbl")) == datagen::testing_util::GenerateToString(options));
  EXPECT_FALSE(fs::exists(Path("c.tbl.tmp")));
}

TEST_F(CliCommandsTest, GenRefusesBadArgumentsWithUsageExit) {
  const std::string out = Path("c.tbl");
  EXPECT_EQ(RunCommand(GenCommand(), {"-o", out}), kExitUsage);    // no --sf
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "1"}), kExitUsage);  // no -o
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "abc", "-o", out}), kExitUsage);
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "1x", "-o", out}), kExitUsage);
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "0", "-o", out}), kExitUsage);
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "-1", "-o", out}), kExitUsage);
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "nan", "-o", out}), kExitUsage);
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "100001", "-o", out}), kExitUsage);
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "1", "--threads", "0", "-o", out}), kExitUsage);
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "1", "--seed", "-5", "-o", out}), kExitUsage);
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "1", "--seed", "0", "-o", out}), kExitUsage);
  // The pool is dbgen's 300 MiB, not a choice any more.
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "1", "--text-pool-mb", "16", "-o", out}), kExitUsage);
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "1", "-o", out, "extra"}), kExitUsage);
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(CliCommandsTest, GenIntoAnUnwritablePlaceFailsAndLeavesNothing) {
  EXPECT_EQ(RunCommand(GenCommand(), {"--sf", "0.001", "-o", Path("missing/c.tbl")}), kExitFailure);
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(CliCommandsTest, SplitWritesPartsAndRefusesWithTheProjectsExitCodes) {
  std::ofstream(Path("c.tbl")) << "1\n2\n3\n4\n5";
  ASSERT_EQ(RunCommand(SplitCommand(), {Path("c.tbl"), "--parts", "2", "-o", Path("out")}),
            kExitOk);
  EXPECT_EQ(Read(Path("out/c-00001.tbl")), "1\n2\n3\n");
  EXPECT_EQ(Read(Path("out/c-00002.tbl")), "4\n5");
  ASSERT_EQ(RunCommand(SplitCommand(), {Path("c.tbl"), "--parts", "2", "--round-robin", "--prefix",
                                        "rr", "-o", Path("out")}),
            kExitOk);
  EXPECT_EQ(Read(Path("out/rr-00001.tbl")), "1\n3\n5");
  EXPECT_EQ(Read(Path("out/rr-00002.tbl")), "2\n4\n");

  EXPECT_EQ(RunCommand(SplitCommand(), {Path("c.tbl"), "--parts", "0"}), kExitUsage);
  EXPECT_EQ(RunCommand(SplitCommand(), {Path("c.tbl"), "--parts", "1001"}), kExitUsage);
  EXPECT_EQ(RunCommand(SplitCommand(), {Path("c.tbl"), "--parts", "two"}), kExitUsage);
  EXPECT_EQ(RunCommand(SplitCommand(), {Path("c.tbl")}), kExitUsage);   // no --parts
  EXPECT_EQ(RunCommand(SplitCommand(), {"--parts", "2"}), kExitUsage);  // no FILE
  EXPECT_EQ(RunCommand(SplitCommand(), {Path("missing.tbl"), "--parts", "2", "-o", Path("out2")}),
            kExitFailure);
  EXPECT_EQ(RunCommand(SplitCommand(), {Path("c.tbl"), "--parts", "2", "-o", Path("c.tbl/sub")}),
            kExitFailure);
  EXPECT_FALSE(fs::exists(Path("out2")) && !fs::is_empty(Path("out2")));
}

}  // namespace
}  // namespace fanfold::cli

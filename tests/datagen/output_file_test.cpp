// OutputFile: a file is visible under its name only after Commit, and an abandoned one leaves
// nothing behind.
#include "datagen/output_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fanfold::datagen {
namespace {

namespace fs = std::filesystem;

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fanfold-output-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  fs::path dir_;
};

TEST_F(OutputFileTest, AppearsUnderItsNameOnlyWhenCommitted) {
  const fs::path path = dir_ / "table.tbl";
  auto file = OutputFile::Create(path.string(), 4);  // tiny buffer: mixes buffered and direct
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  for (const char* piece : {"ab", "c", "defghij", "k", "", "lmnop"}) {
    ASSERT_TRUE((*file)->Write(piece).ok());
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::exists(dir_ / "table.tbl.tmp"));
  ASSERT_TRUE((*file)->Commit().ok());
  EXPECT_EQ(Read(path), "abcdefghijklmnop");
  EXPECT_FALSE(fs::exists(dir_ / "table.tbl.tmp"));
  EXPECT_FALSE((*file)->Write("more").ok());
}

TEST_F(OutputFileTest, ReplacesAnExistingFileAtomically) {
  const fs::path path = dir_ / "table.tbl";
  std::ofstream(path) << "old contents";
  auto file = OutputFile::Create(path.string());
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Write("new").ok());
  EXPECT_EQ(Read(path), "old contents");
  ASSERT_TRUE((*file)->Commit().ok());
  EXPECT_EQ(Read(path), "new");
}

TEST_F(OutputFileTest, AnAbandonedFileLeavesNothing) {
  const fs::path path = dir_ / "table.tbl";
  {
    auto file = OutputFile::Create(path.string());
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Write("partial").ok());
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

// Renaming a temporary over /dev/null would replace the device node; a FIFO stands in for any
// such path here.
TEST_F(OutputFileTest, WritesStraightIntoAnExistingNonRegularFile) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    received = out.str();
  });
  {
    auto file = OutputFile::Create(fifo.string());
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE((*file)->Write("through the pipe").ok());
    ASSERT_TRUE((*file)->Commit().ok());
  }
  reader.join();
  EXPECT_EQ(received, "through the pipe");
  EXPECT_EQ(fs::status(fifo).type(), fs::file_type::fifo);
  EXPECT_FALSE(fs::exists(dir_ / "pipe.tmp"));
}

TEST_F(OutputFileTest, ThroughASymbolicLinkReplacesTheTargetAndKeepsTheLink) {
  std::ofstream(dir_ / "real.tbl") << "old";
  fs::create_symlink(dir_ / "real.tbl", dir_ / "link.tbl");
  auto file = OutputFile::Create((dir_ / "link.tbl").string());
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Write("new").ok());
  ASSERT_TRUE((*file)->Commit().ok());
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.tbl"));
  EXPECT_EQ(Read(dir_ / "real.tbl"), "new");
}

TEST_F(OutputFileTest, RefusesADirectory) {
  const auto file = OutputFile::Create(dir_.string());
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("is a directory"), std::string::npos);
}

TEST_F(OutputFileTest, AnUnwritablePathIsAnIoErrorNamingIt) {
  const auto file = OutputFile::Create((dir_ / "no-such-dir" / "table.tbl").string());
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), storage::StatusCode::kIoError);
  EXPECT_NE(file.status().message().find("no-such-dir/table.tbl.tmp"), std::string::npos);
  EXPECT_TRUE(OutputFile::Create("").status().IsInvalidArgument());
}

}  // namespace
}  // namespace fanfold::datagen

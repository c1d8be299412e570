// Random ids: well-formed version 4 UUIDs, distinct across threads, and distinct between a
// process and a child it forks (a generator seeded once per thread would hand the child a copy
// of its state, and both would produce the same ids from there).
#include "storage/random_id.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace fanfold::storage {
namespace {

bool IsVersion4Uuid(const std::string& id) {
  static const std::regex kV4(
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_match(id, kV4);
}

TEST(RandomIdTest, IdsAreVersion4UuidsWithEveryRandomBitUsed) {
  std::string reached_top(36, '0');
  for (int i = 0; i < 2000; ++i) {
    const std::string id = NewUuid();
    ASSERT_TRUE(IsVersion4Uuid(id)) << id;
    for (std::size_t k = 0; k < id.size(); ++k)
      if (id[k] == 'f' || id[k] == 'b') reached_top[k] = 'x';
  }
  // Each random hex digit reached its top values somewhere in 2,000 ids (the fixed version digit
  // never does): no digit is stuck, as one would be with a short or truncated seed mask.
  for (std::size_t k = 0; k < reached_top.size(); ++k) {
    if (k == 8 || k == 13 || k == 18 || k == 23 || k == 14) continue;
    EXPECT_EQ(reached_top[k], 'x') << "digit " << k;
  }
}

TEST(RandomIdTest, ThreadsNeverShareAnId) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5000;
  std::mutex mutex;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < kPerThread; ++i)
        mine.push_back(NewUuid());
      std::lock_guard<std::mutex> lock(mutex);
      ids.insert(mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(RandomIdTest, AForkedChildNeverRepeatsItsParentsIds) {
  constexpr int kCount = 64;
  (void)NewUuid();  // the parent has made ids before it forks, as a worker would have
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_ends[0]);
    std::string out;
    for (int i = 0; i < kCount; ++i)
      out += NewUuid();
    const bool written =
        write(pipe_ends[1], out.data(), out.size()) == static_cast<ssize_t>(out.size());
    _exit(written ? 0 : 1);
  }
  close(pipe_ends[1]);
  std::set<std::string> ids;
  for (int i = 0; i < kCount; ++i)
    ids.insert(NewUuid());
  std::string from_child;
  char buffer[4096];
  for (ssize_t got; (got = read(pipe_ends[0], buffer, sizeof buffer)) > 0;)
    from_child.append(buffer, static_cast<std::size_t>(got));
  close(pipe_ends[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(from_child.size(), static_cast<std::size_t>(36 * kCount));
  for (int i = 0; i < kCount; ++i) {
    const std::string id = from_child.substr(static_cast<std::size_t>(36 * i), 36);
    EXPECT_TRUE(IsVersion4Uuid(id)) << id;
    EXPECT_TRUE(ids.insert(id).second) << "the child repeated the parent's id " << id;
  }
}

}  // namespace
}  // namespace fanfold::storage

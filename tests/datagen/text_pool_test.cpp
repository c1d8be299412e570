// The pseudo-text grammar and pool: sentence structure, vocabulary, and a pool that depends on the
// seed and size only, not on the number of threads that built it.
#include "datagen/text_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>

#include "customer_line_check.hpp"
#include "datagen/counter_rng.hpp"
#include "datagen/text_grammar.hpp"

namespace fanfold::datagen {
namespace {

TEST(CounterRngTest, StreamsArePureFunctionsOfSeedDomainAndIndex) {
  CounterRng a(1, RandomDomain::kCustomerRow, 5), b(1, RandomDomain::kCustomerRow, 5);
  CounterRng other_index(1, RandomDomain::kCustomerRow, 6);
  CounterRng other_domain(1, RandomDomain::kTextPool, 5);
  CounterRng other_seed(2, RandomDomain::kCustomerRow, 5);
  const std::uint64_t first = a.Next();
  EXPECT_EQ(first, b.Next());
  EXPECT_NE(first, other_index.Next());
  EXPECT_NE(first, other_domain.Next());
  EXPECT_NE(first, other_seed.Next());
}

TEST(CounterRngTest, UniformCoversItsClosedRangeEvenly) {
  CounterRng rng(9, RandomDomain::kCustomerRow, 0);
  std::array<int, 7> counts{};
  for (int i = 0; i < 70'000; ++i) {
    const std::int64_t value = rng.Uniform(-3, 3);
    ASSERT_GE(value, -3);
    ASSERT_LE(value, 3);
    ++counts[static_cast<std::size_t>(value + 3)];
  }
  for (const int count : counts)
    EXPECT_NEAR(count, 10'000, 500);
  EXPECT_EQ(rng.Uniform(4, 4), 4);
}

TEST(CounterRngTest, MulHighMatchesTheFullProduct) {
  EXPECT_EQ(MulHigh64(~0ULL, ~0ULL), ~0ULL - 1);
  EXPECT_EQ(MulHigh64(1ULL << 32, 1ULL << 32), 1u);
  EXPECT_EQ(MulHigh64(0x123456789abcdef0ULL, 16), 0x1u);
  EXPECT_EQ(MulHigh64(0xffffffffULL, 0xffffffffULL), 0u);
}

TEST(TextGrammarTest, SentencesUseOnlyGrammarWordsAndEndWithATerminator) {
  CounterRng rng(3, RandomDomain::kTextPool, 0);
  int with_comma = 0, with_the = 0;
  for (int i = 0; i < 2'000; ++i) {
    std::string sentence;
    AppendSentence(rng, &sentence);
    ASSERT_FALSE(sentence.empty());
    EXPECT_NE(sentence.front(), ' ');
    EXPECT_EQ(sentence.find("  "), std::string::npos) << sentence;
    const char last = sentence.back();
    ASSERT_TRUE(std::string_view(".;:?!-").find(last) != std::string_view::npos) << sentence;
    if (last == '-') {
      EXPECT_EQ(sentence.substr(sentence.size() - 2), "--");
    }
    // Bracket with dummies so that every real word is an inner, checked token.
    EXPECT_EQ(testing_util::FirstUnknownCommentWord("x " + sentence + " x"), "") << sentence;
    with_comma += sentence.find(", ") != std::string::npos;
    with_the += sentence.find(" the ") != std::string::npos;
  }
  // "J, J N" is 10 of 90 noun phrases; prepositional phrases appear in 5 of 11 sentence forms.
  EXPECT_GT(with_comma, 200);
  EXPECT_GT(with_the, 600);
}

TEST(TextGrammarTest, VocabularyHoldsSplitMultiWordEntries) {
  const auto& words = GrammarVocabulary();
  for (const char* word : {"pinto", "beans", "according", "the", "Tiresias", "x-ray", "whithout"}) {
    EXPECT_TRUE(std::binary_search(words.begin(), words.end(), std::string_view(word))) << word;
  }
  EXPECT_FALSE(std::binary_search(words.begin(), words.end(), std::string_view("pinto beans")));
}

TEST(TextPoolTest, SameSeedAndSizeGiveTheSameTextWhateverTheThreads) {
  const std::size_t size = (std::size_t{3} << 20) + 12'345;  // four segments, the last partial
  const TextPool one = TextPool::Build(5, size, 1);
  const TextPool three = TextPool::Build(5, size, 3);
  ASSERT_EQ(one.size(), size);
  EXPECT_EQ(one.text(), three.text());
  EXPECT_NE(one.text(), TextPool::Build(6, size, 1).text());
  // Whole sentences joined by single spaces, across segment boundaries too.
  EXPECT_EQ(one.text().find("  "), std::string_view::npos);
  EXPECT_EQ(testing_util::FirstUnknownCommentWord(one.text()), "");
}

TEST(TextPoolTest, TinyPoolsAreRaisedToTheMinimum) {
  EXPECT_EQ(TextPool::Build(1, 10, 1).size(), kMinTextPoolBytes);
}

}  // namespace
}  // namespace fanfold::datagen

// dbgen's random streams, its pseudo-text grammar and its 300 MiB text pool. The pins below were
// taken from an independent re-implementation that reproduces dbgen's SF 1 customer file byte for
// byte (md5 b662b705bc3ac183c1942367cf522e42), so they are dbgen's values, not ours.
#include "datagen/text_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "customer_line_check.hpp"
#include "datagen/dbgen_random.hpp"
#include "datagen/text_grammar.hpp"
#include "generate_test_util.hpp"

namespace fanfold::datagen {
namespace {

// Park and Miller's own check (CACM 1988): from 1, the 10,000th value is 1,043,618,065.
TEST(DbgenStreamTest, IsTheMinimalStandardGenerator) {
  DbgenStream stream(1);
  for (int i = 0; i < 10'000; ++i)
    stream.Uniform(1, 10);
  EXPECT_EQ(stream.state(), 1'043'618'065);
  EXPECT_EQ(stream.position(), 10'000);
  EXPECT_EQ(AdvanceParkMiller(1, 10'000), 1'043'618'065);
}

TEST(DbgenStreamTest, SkippingAheadEqualsDrawing) {
  for (const std::int64_t draws : {0, 1, 2, 9, 1'000, 123'457}) {
    DbgenStream drawn(881'155'353), skipped(881'155'353);
    for (std::int64_t i = 0; i < draws; ++i)
      drawn.Uniform(0, 99);
    skipped.Advance(draws);
    EXPECT_EQ(drawn.state(), skipped.state()) << draws;
    EXPECT_EQ(drawn.position(), skipped.position()) << draws;
  }
  EXPECT_EQ(AdvanceParkMiller(5, -3), 5);  // dbgen's NthElement ignores a negative count
}

TEST(DbgenStreamTest, UniformScalesThroughADoubleAndCoversItsRange) {
  DbgenStream stream(298'370'230);  // c_acctbal's stream: the first balance of SF 1 is 711.56
  EXPECT_EQ(stream.Uniform(-99'999, 999'999), 71'156);
  int seen_low = 0, seen_high = 0;
  for (int i = 0; i < 20'000; ++i) {
    const auto value = stream.Uniform(1, 5);
    ASSERT_GE(value, 1);
    ASSERT_LE(value, 5);
    seen_low += value == 1;
    seen_high += value == 5;
  }
  EXPECT_GT(seen_low, 3'500);
  EXPECT_GT(seen_high, 3'500);
}

// dbgen computes the range of [0, MAX_LONG] in 32-bit ints, where it wraps to -2^31: such draws
// are never positive. Address characters come from their low bits, so this is part of the output.
TEST(DbgenStreamTest, FullRangeDrawsAreNonPositiveAsInDbgen) {
  DbgenStream stream(881'155'353);
  stream.Uniform(10, 40);
  for (int i = 0; i < 1'000; ++i)
    ASSERT_LE(stream.Uniform(0, kDbgenMaxLong), 0);
}

TEST(TextGrammarTest, SentencesUseOnlyGrammarWordsAndEndWithATerminator) {
  DbgenStream stream(kTextPoolStreamSeed);
  int with_comma = 0, with_the = 0;
  for (int i = 0; i < 2'000; ++i) {
    std::string sentence;
    AppendSentence(stream, &sentence);
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

TEST(TextGrammarTest, TheTextStreamStartsWithDbgensFirstSentences) {
  DbgenStream stream(kTextPoolStreamSeed);
  std::string text;
  AppendSentence(stream, &text);
  AppendSentence(stream, &text);
  EXPECT_EQ(text,
            "furiously special foxes haggle furiously blithely ironic deposits. slyly final "
            "theodolites boost slyly even asymptotes.");
}

TEST(TextGrammarTest, VocabularyHoldsSplitMultiWordEntries) {
  const auto& words = GrammarVocabulary();
  for (const char* word : {"pinto", "beans", "according", "the", "Tiresias", "x-ray", "whithout"}) {
    EXPECT_TRUE(std::binary_search(words.begin(), words.end(), std::string_view(word))) << word;
  }
  EXPECT_FALSE(std::binary_search(words.begin(), words.end(), std::string_view("pinto beans")));
}

TEST(TextPoolTest, IsDbgensPoolByteForByte) {
  const TextPool& pool = testing_util::SharedTextPool();
  ASSERT_EQ(pool.size(), kTextPoolBytes);
  EXPECT_TRUE(pool.text().starts_with(
      "furiously special foxes haggle furiously blithely ironic deposits. slyly final "
      "theodolites boost slyly even asymptotes. "));
  // The last sentence is cut at the size, mid-word.
  EXPECT_EQ(pool.text().substr(kTextPoolBytes - 40), "re carefully against the busy, express s");
  EXPECT_EQ(testing_util::Fnv1a64(pool.text()), 0x23e238f5b382ed55ULL);
  // dbgen's serial build ends its last sentence after exactly this many draws.
  EXPECT_EQ(AdvanceParkMiller(kTextPoolStreamSeed, 63'888'645), 161'738'484);
}

TEST(TextPoolTest, AcquireSharesThePoolWhileItIsHeld) {
  const auto one = TextPool::Acquire(2);
  const auto two = TextPool::Acquire(1);
  EXPECT_EQ(one.get(), two.get());
  EXPECT_EQ(one.get(), &testing_util::SharedTextPool());
}

}  // namespace
}  // namespace fanfold::datagen

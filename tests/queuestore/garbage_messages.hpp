// What every test of a queue fanfold reads puts on it: messages no consumer can decode or parse
// (invalid UTF-8, text that is not JSON, a valid message cut in half, JSON of the wrong shape, an
// empty message, and the largest message a queue holds, of random bytes), and the check that the
// poison queue then holds exactly those, each with a reason.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "queuestore/poison_envelope.hpp"
#include "queuestore/queue_client.hpp"
#include "queuestore/queue_options.hpp"

namespace fanfold::queuestore::test {

struct Garbage {
  std::string kind;
  std::string content;
};

// `valid` is a real message of the queue's kind: its first half is the truncated-JSON case.
inline std::vector<Garbage> GarbageFor(const std::string& valid) {
  std::mt19937_64 random(20240612);                         // fixed: the same bytes every run
  std::string random_bytes(kMaxMessageContentBytes, '\0');  // 64 KiB once Base64-encoded
  for (char& byte : random_bytes)
    byte = static_cast<char>(random() & 0xFF);
  return {
      {"invalid-utf8", "\xFF\xFE{\"id\": \"\xC3\x28\"}\x80"},
      {"not-json", "this is not { json"},
      {"truncated-json", valid.substr(0, valid.size() / 2)},
      {"wrong-shape", R"({"id": 7, "tasks": "none", "events": {}})"},
      {"empty", ""},
      {"random-64k", random_bytes},
  };
}

// Puts every garbage message on `queue`, failing the test if one cannot be put.
inline void PutGarbage(const QueueClient& queue, const std::vector<Garbage>& garbage) {
  for (const auto& message : garbage) {
    const auto put = queue.PutMessage(message.content);
    ASSERT_TRUE(put.ok()) << message.kind << ": " << put.status().ToString();
  }
}

// The poison queue's envelopes (at most 32 are looked at).
inline std::vector<PoisonedMessage> PoisonEnvelopes(const QueueClient& poison) {
  PeekMessagesOptions peek;
  peek.max_messages = kMaxMessagesPerRequest;
  auto peeked = poison.PeekMessages(peek);
  EXPECT_TRUE(peeked.ok()) << peeked.status().ToString();
  std::vector<PoisonedMessage> envelopes;
  if (!peeked.ok()) return envelopes;
  for (const auto& message : *peeked) {
    auto envelope = ParsePoisonEnvelope(message.content);
    EXPECT_TRUE(envelope.ok()) << envelope.status().ToString();
    if (envelope.ok()) envelopes.push_back(std::move(envelope).value());
  }
  return envelopes;
}

// The poison queue holds exactly `garbage` once for each queue of `queues`, and nothing else:
// each with its source queue, a reason, its full length, and its bytes (a prefix of them when
// the envelope had to cut the copy, which it then says).
inline void ExpectPoisonHoldsExactly(const QueueClient& poison,
                                     const std::map<std::string, std::vector<Garbage>>& queues) {
  std::multimap<std::pair<std::string, std::uint64_t>, const Garbage*> expected;
  size_t total = 0;
  for (const auto& [queue, garbage] : queues) {
    for (const auto& message : garbage) {
      expected.emplace(std::make_pair(queue, message.content.size()), &message);
      ++total;
    }
  }
  const auto envelopes = PoisonEnvelopes(poison);
  EXPECT_EQ(envelopes.size(), total);
  for (const auto& envelope : envelopes) {
    EXPECT_FALSE(envelope.reason.empty()) << envelope.from;
    const auto range = expected.equal_range(std::make_pair(envelope.from, envelope.bytes));
    auto match = range.first;
    for (; match != range.second; ++match) {
      const std::string& original = match->second->content;
      if (envelope.truncated
              ? original.compare(0, envelope.content.size(), envelope.content) == 0 &&
                    envelope.content.size() < original.size()
              : envelope.content == original) {
        break;
      }
    }
    if (match == range.second) {
      ADD_FAILURE() << "unexpected poison envelope from " << envelope.from << " (" << envelope.bytes
                    << " bytes, reason: " << envelope.reason << ")";
      continue;
    }
    expected.erase(match);
  }
  for (const auto& [key, garbage] : expected)
    ADD_FAILURE() << "not poisoned: " << garbage->kind << " from " << key.first;
}

}  // namespace fanfold::queuestore::test

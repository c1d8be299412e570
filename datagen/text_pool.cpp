#include "datagen/text_pool.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "datagen/dbgen_random.hpp"
#include "datagen/text_grammar.hpp"

namespace fanfold::datagen {
namespace {

// Parallel build. A sentence takes a variable number of draws, so where sentence n starts is only
// known by parsing everything before it. Chunk i therefore parses speculatively from draw
// i x kChunkDraws as if a sentence started there. Chunk i - 1, having passed that draw, keeps
// going until one of its own sentence starts is also one of chunk i's (it replays chunk i's first
// sentences to see where they start): from that draw on the two parses are the same, so the pool
// is chunk i - 1 up to there and chunk i from there. The parses meet after a few sentences (their
// starts are two renewal processes over the same draws), and however late they meet the result
// is exact: correctness never depends on the meeting, only the time does.

// Draws of dbgen's serial build up to the end of the sentence that crosses kTextPoolBytes
// (measured; if it were short, the last chunk just carries on serially).
constexpr std::int64_t kTextPoolDraws = 63'888'645;
// More chunks than threads, so that threads finishing early take another.
constexpr int kChunks = 16;
constexpr std::int64_t kChunkDraws = (kTextPoolDraws + kChunks - 1) / kChunks;

struct Chunk {
  std::string text;       // whole sentences joined by single spaces
  DbgenStream end{0, 0};  // the stream after the chunk's last sentence
  // Where this chunk's parse met the next chunk's, and the byte in the next chunk's text where
  // the sentence starting there begins.
  std::int64_t meets_next_at = 0;
  std::size_t next_skip = 0;
};

DbgenStream StreamAt(std::int64_t position) {
  return DbgenStream(AdvanceParkMiller(kTextPoolStreamSeed, position), position);
}

// Parses from `stream` until a sentence starts at or past `stop`, then on until one of its
// sentence starts is also a sentence start of the parse that begins at `stop` (which it replays
// without keeping the text, only the byte offsets).
void ParseChunk(DbgenStream stream, std::int64_t stop, Chunk* chunk) {
  while (stream.position() < stop)
    AppendSentence(stream, &chunk->text);
  DbgenStream next = StreamAt(stop);
  std::size_t next_offset = 0;
  std::string sentence;
  while (stream.position() != next.position()) {
    if (stream.position() < next.position()) {
      AppendSentence(stream, &chunk->text);
    } else {
      sentence.clear();
      AppendSentence(next, &sentence);
      next_offset += sentence.size() + 1;  // its separating space
    }
  }
  chunk->end = stream;
  chunk->meets_next_at = stream.position();
  chunk->next_skip = next_offset;
}

std::string BuildSerially(DbgenStream stream, std::string text) {
  // dbgen appends "sentence " while it fits and then the head of the last sentence: the first
  // kTextPoolBytes bytes of "s1 s2 s3 ...".
  while (text.size() < kTextPoolBytes)
    AppendSentence(stream, &text);
  text.resize(kTextPoolBytes);
  return text;
}

// Reserved once at about its final size: growing by doubling would copy and page-fault each chunk
// several times over, which costs more than the parallelism gains.
std::string EmptyText(std::size_t bytes) {
  std::string text;
  text.reserve(bytes + 4096);  // untouched pages cost no memory
  return text;
}

std::string BuildInParallel(int threads) {
  std::vector<Chunk> chunks(kChunks);
  chunks[0].text = EmptyText(kTextPoolBytes);  // becomes the pool
  for (std::size_t i = 1; i < chunks.size(); ++i)
    chunks[i].text = EmptyText(kTextPoolBytes / kChunks * 21 / 20);
  std::atomic<int> next_chunk{0};
  const auto work = [&] {
    for (int i = next_chunk++; i < kChunks; i = next_chunk++) {
      Chunk& chunk = chunks[static_cast<std::size_t>(i)];
      DbgenStream stream = StreamAt(i * kChunkDraws);
      if (i + 1 < kChunks) {
        ParseChunk(stream, (i + 1) * kChunkDraws, &chunk);
        continue;
      }
      while (stream.position() < kTextPoolDraws)
        AppendSentence(stream, &chunk.text);
      chunk.end = stream;
    }
  };
  std::vector<std::thread> helpers;
  for (int i = 1; i < threads; ++i)
    helpers.emplace_back(work);
  work();
  for (auto& thread : helpers)
    thread.join();

  // A chunk whose successor's parse only met it at or after the successor's end would leave a
  // gap: never seen (they meet within a few sentences of a 4-million-draw chunk), but then the
  // serial build is the answer.
  for (std::size_t i = 1; i < chunks.size(); ++i) {
    if (chunks[i - 1].meets_next_at >= chunks[i].end.position()) {
      return BuildSerially(DbgenStream(kTextPoolStreamSeed), EmptyText(kTextPoolBytes));
    }
  }
  std::string text = std::move(chunks[0].text);
  for (std::size_t i = 1; i < chunks.size() && text.size() < kTextPoolBytes; ++i) {
    text.push_back(' ');
    text.append(chunks[i].text, chunks[i - 1].next_skip);
    std::string().swap(chunks[i].text);
  }
  return BuildSerially(chunks.back().end, std::move(text));
}

}  // namespace

TextPool TextPool::Build(int threads) {
  if (threads <= 1)
    return TextPool(BuildSerially(DbgenStream(kTextPoolStreamSeed), EmptyText(kTextPoolBytes)));
  return TextPool(BuildInParallel(threads));
}

std::shared_ptr<const TextPool> TextPool::Acquire(int threads) {
  static std::mutex mutex;
  static std::weak_ptr<const TextPool> current;
  std::lock_guard lock(mutex);
  if (auto pool = current.lock()) return pool;
  auto pool = std::make_shared<const TextPool>(Build(threads));
  current = pool;
  return pool;
}

}  // namespace fanfold::datagen

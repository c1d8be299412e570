#include "datagen/text_pool.hpp"

#include <mutex>
#include <utility>

#include "datagen/dbgen_random.hpp"
#include "datagen/text_grammar.hpp"

namespace fanfold::datagen {

TextPool TextPool::Build(int /*threads*/) {
  DbgenStream stream(kTextPoolStreamSeed);
  std::string text;
  text.reserve(kTextPoolBytes + 1024);
  // dbgen appends "sentence " while it fits and then the head of the last sentence, which is
  // the first kTextPoolBytes bytes of "s1 s2 s3 ...".
  while (text.size() < kTextPoolBytes)
    AppendSentence(stream, &text);
  text.resize(kTextPoolBytes);
  return TextPool(std::move(text));
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

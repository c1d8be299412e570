#include "datagen/text_grammar.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>

namespace fanfold::datagen {
namespace {

struct Weighted {
  std::string_view text;
  int weight;
};

// A weighted list of dists.dss, chosen from with one draw as dbgen's pick_str does: a ticket
// uniform in [1, sum of weights] selects the first entry whose running total reaches it. A table
// from ticket to entry (a few hundred bytes per list) makes that O(1) instead of dbgen's scan;
// building the 300 MiB text pool is nothing but picks.
class Choice {
 public:
  Choice(std::initializer_list<Weighted> entries) : entries_(entries) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      tickets_.insert(tickets_.end(), static_cast<std::size_t>(entries_[i].weight),
                      static_cast<std::uint8_t>(i));
    }
  }

  std::string_view Pick(DbgenStream& stream) const {
    const auto ticket = stream.Uniform(1, static_cast<std::int64_t>(tickets_.size()));
    return entries_[tickets_[static_cast<std::size_t>(ticket - 1)]].text;
  }

  const std::vector<Weighted>& entries() const { return entries_; }

 private:
  std::vector<Weighted> entries_;  // at most 255: tickets hold one-byte indexes
  std::vector<std::uint8_t> tickets_;
};

// The lists below are dists.dss of dbgen 2.14 (nouns, verbs, adjectives, adverbs, prepositions,
// auxillaries, terminators, np, vp, grammar), entries and weights in the file's order: a pick
// depends on the order, so it is part of the output. Source and licence: datagen/README.md.
const Choice& Nouns() {
  static const Choice choice = {
      {"packages", 40},     {"requests", 40},     {"accounts", 40},    {"deposits", 40},
      {"foxes", 20},        {"ideas", 20},        {"theodolites", 20}, {"pinto beans", 20},
      {"instructions", 20}, {"dependencies", 10}, {"excuses", 10},     {"platelets", 10},
      {"asymptotes", 10},   {"courts", 5},        {"dolphins", 5},     {"multipliers", 1},
      {"sauternes", 1},     {"warthogs", 1},      {"frets", 1},        {"dinos", 1},
      {"attainments", 1},   {"somas", 1},         {"Tiresias", 1},     {"patterns", 1},
      {"forges", 1},        {"braids", 1},        {"frays", 1},        {"warhorses", 1},
      {"dugouts", 1},       {"notornis", 1},      {"epitaphs", 1},     {"pearls", 1},
      {"tithes", 1},        {"waters", 1},        {"orbits", 1},       {"gifts", 1},
      {"sheaves", 1},       {"depths", 1},        {"sentiments", 1},   {"decoys", 1},
      {"realms", 1},        {"pains", 1},         {"grouches", 1},     {"escapades", 1},
      {"hockey players", 1}};
  return choice;
}

const Choice& Verbs() {
  static const Choice choice = {
      {"sleep", 20},    {"wake", 20},    {"are", 20},   {"cajole", 20}, {"haggle", 20},
      {"nag", 10},      {"use", 10},     {"boost", 10}, {"affix", 5},   {"detect", 5},
      {"integrate", 5}, {"maintain", 1}, {"nod", 1},    {"was", 1},     {"lose", 1},
      {"sublate", 1},   {"solve", 1},    {"thrash", 1}, {"promise", 1}, {"engage", 1},
      {"hinder", 1},    {"print", 1},    {"x-ray", 1},  {"breach", 1},  {"eat", 1},
      {"grow", 1},      {"impress", 1},  {"mold", 1},   {"poach", 1},   {"serve", 1},
      {"run", 1},       {"dazzle", 1},   {"snooze", 1}, {"doze", 1},    {"unwind", 1},
      {"kindle", 1},    {"play", 1},     {"hang", 1},   {"believe", 1}, {"doubt", 1}};
  return choice;
}

const Choice& Adjectives() {
  static const Choice choice = {
      {"special", 20}, {"pending", 20}, {"unusual", 20}, {"express", 20}, {"furious", 1},
      {"sly", 1},      {"careful", 1},  {"blithe", 1},   {"quick", 1},    {"fluffy", 1},
      {"slow", 1},     {"quiet", 1},    {"ruthless", 1}, {"thin", 1},     {"close", 1},
      {"dogged", 1},   {"daring", 1},   {"brave", 1},    {"stealthy", 1}, {"permanent", 1},
      {"enticing", 1}, {"idle", 1},     {"busy", 1},     {"regular", 50}, {"final", 40},
      {"ironic", 40},  {"even", 30},    {"bold", 20},    {"silent", 10}};
  return choice;
}

const Choice& Adverbs() {
  static const Choice choice = {
      {"sometimes", 1},  {"always", 1},     {"never", 1},       {"furiously", 50},
      {"slyly", 50},     {"carefully", 50}, {"blithely", 40},   {"quickly", 30},
      {"fluffily", 20},  {"slowly", 1},     {"quietly", 1},     {"ruthlessly", 1},
      {"thinly", 1},     {"closely", 1},    {"doggedly", 1},    {"daringly", 1},
      {"bravely", 1},    {"stealthily", 1}, {"permanently", 1}, {"enticingly", 1},
      {"idly", 1},       {"busily", 1},     {"regularly", 1},   {"finally", 1},
      {"ironically", 1}, {"evenly", 1},     {"boldly", 1},      {"silently", 1}};
  return choice;
}

// Packed by hand (clang-format would put one entry per line). "whithout" is spelled as in the
// specification's list, so that comments match dbgen's word for word.
// clang-format off
const Choice& Prepositions() {
  static const Choice choice = {
      {"about", 50}, {"above", 50}, {"according to", 50}, {"across", 50}, {"after", 50},
      {"against", 40}, {"along", 40}, {"alongside of", 30}, {"among", 30}, {"around", 20},
      {"at", 10}, {"atop", 1}, {"before", 1}, {"behind", 1}, {"beneath", 1}, {"beside", 1},
      {"besides", 1}, {"between", 1}, {"beyond", 1}, {"by", 1}, {"despite", 1}, {"during", 1},
      {"except", 1}, {"for", 1}, {"from", 1}, {"in place of", 1}, {"inside", 1},
      {"instead of", 1}, {"into", 1}, {"near", 1}, {"of", 1}, {"on", 1}, {"outside", 1},
      {"over", 1}, {"past", 1}, {"since", 1}, {"through", 1}, {"throughout", 1}, {"to", 1},
      {"toward", 1}, {"under", 1}, {"until", 1}, {"up", 1}, {"upon", 1}, {"whithout", 1},
      {"with", 1}, {"within", 1}};
  return choice;
}
// clang-format on

// clang-format off
const Choice& Auxiliaries() {
  static const Choice choice = {
      {"do", 1}, {"may", 1}, {"might", 1}, {"shall", 1}, {"will", 1}, {"would", 1}, {"can", 1},
      {"could", 1}, {"should", 1}, {"ought to", 1}, {"must", 1}, {"will have to", 1},
      {"shall have to", 1}, {"could have to", 1}, {"should have to", 1}, {"must have to", 1},
      {"need to", 1}, {"try to", 1}};
  return choice;
}
// clang-format on

const Choice& Terminators() {
  static const Choice choice = {{".", 50}, {";", 1}, {":", 1}, {"?", 1}, {"!", 1}, {"--", 1}};
  return choice;
}

// Second-level forms, one letter per part: N noun, J adjective, D adverb, V verb, X auxiliary.
// In "J, J N" the comma is glued to the first adjective, as the specification writes it.
const Choice& NounPhrases() {
  static const Choice choice = {{"N", 10}, {"J N", 20}, {"J, J N", 10}, {"D J N", 50}};
  return choice;
}

const Choice& VerbPhrases() {
  static const Choice choice = {{"V", 30}, {"X V", 1}, {"V D", 40}, {"X V D", 1}};
  return choice;
}

// First-level forms: N noun phrase, V verb phrase, P prepositional phrase, T terminator.
const Choice& Sentences() {
  static const Choice choice = {
      {"N V T", 3}, {"N V P T", 3}, {"N V N T", 3}, {"N P V N T", 1}, {"N P V P T", 1}};
  return choice;
}

void AppendWord(std::string_view word, std::string* out) {
  if (!out->empty() && out->back() != ' ') out->push_back(' ');
  out->append(word);
}

// Expands a second-level form; letters are looked up, anything else (the comma) copied as is.
void AppendPhrase(std::string_view form, DbgenStream& stream, std::string* out) {
  for (const char part : form) {
    switch (part) {
      case 'N':
        AppendWord(Nouns().Pick(stream), out);
        break;
      case 'J':
        AppendWord(Adjectives().Pick(stream), out);
        break;
      case 'D':
        AppendWord(Adverbs().Pick(stream), out);
        break;
      case 'V':
        AppendWord(Verbs().Pick(stream), out);
        break;
      case 'X':
        AppendWord(Auxiliaries().Pick(stream), out);
        break;
      case ' ':
        break;
      default:
        out->push_back(part);
        break;
    }
  }
}

}  // namespace

void AppendSentence(DbgenStream& stream, std::string* out) {
  // AppendWord adds a space unless the text is empty or already ends in one, so one space here
  // separates this sentence from any text before it and the first word adds none.
  if (!out->empty() && out->back() != ' ') out->push_back(' ');
  for (const char part : Sentences().Pick(stream)) {
    switch (part) {
      case 'N':
        AppendPhrase(NounPhrases().Pick(stream), stream, out);
        break;
      case 'V':
        AppendPhrase(VerbPhrases().Pick(stream), stream, out);
        break;
      case 'P':
        AppendWord(Prepositions().Pick(stream), out);
        AppendWord("the", out);
        AppendPhrase(NounPhrases().Pick(stream), stream, out);
        break;
      case 'T':
        out->append(Terminators().Pick(stream));
        break;
      default:
        break;
    }
  }
}

const std::vector<std::string_view>& GrammarVocabulary() {
  static const std::vector<std::string_view> vocabulary = [] {
    std::vector<std::string_view> words = {"the"};
    for (const Choice* list :
         {&Nouns(), &Verbs(), &Adjectives(), &Adverbs(), &Prepositions(), &Auxiliaries()}) {
      for (const auto& entry : list->entries()) {
        std::string_view text = entry.text;
        while (!text.empty()) {
          const std::size_t space = text.find(' ');
          words.push_back(text.substr(0, space));
          if (space == std::string_view::npos) break;
          text.remove_prefix(space + 1);
        }
      }
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
  }();
  return vocabulary;
}

}  // namespace fanfold::datagen

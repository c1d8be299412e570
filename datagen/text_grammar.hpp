// The TPC-H pseudo-text grammar (specification clause 4.2.2, text strings, and its word lists): the
// sentences from which every *_comment column is cut. A sentence is a weighted choice of five
// forms over noun, verb and prepositional phrases, its words separated by one space and its
// terminator glued to the last word ("slyly even packages nag furiously.").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "datagen/counter_rng.hpp"

namespace fanfold::datagen {

// Appends one sentence, terminator included, with no leading or trailing space.
void AppendSentence(CounterRng& rng, std::string* out);

// Every single word (multi-word entries such as "pinto beans" split at spaces, plus the "the" of
// prepositional phrases) the grammar can emit, without punctuation. For validating comments.
const std::vector<std::string_view>& GrammarVocabulary();

}  // namespace fanfold::datagen

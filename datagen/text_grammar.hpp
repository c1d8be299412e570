// The TPC-H pseudo-text grammar as dbgen 2.14 implements it (text.c over dists.dss): the sentences
// from which every *_comment column is cut. A sentence is a weighted choice of five forms over
// noun, verb and prepositional phrases, its words separated by one space, a noun phrase's comma
// and the sentence's terminator glued to the word before ("slyly even packages nag furiously.").
// The draws happen in dbgen's order, one per pick, so a stream yields dbgen's sentences exactly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "datagen/dbgen_random.hpp"

namespace fanfold::datagen {

// Appends one sentence, terminator included; when `out` is not empty and does not end in a space,
// one space first, so that successive calls build dbgen's text ("s1 s2 s3...").
void AppendSentence(DbgenStream& stream, std::string* out);

// Every single word (multi-word entries such as "pinto beans" split at spaces, plus the "the" of
// prepositional phrases) the grammar can emit, without punctuation. For validating comments.
const std::vector<std::string_view>& GrammarVocabulary();

}  // namespace fanfold::datagen

// Whether a blob looks like a text file, checked by `partition` on the head it reads anyway (the
// first max_line_bytes + 1 bytes), before any chunk is planned. The rule: those bytes hold no NUL
// byte and are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF). A multi-byte character cut by the end of the head is accepted when the file goes on
// (its rest was simply not read). Other control bytes (tab, CR, form feed) are text. Plain ASCII,
// which TPC-H dbgen writes, always passes; UTF-16, Latin-1 with accents, compressed archives and
// executables fail within their first bytes. Bytes past the head are not checked here: a bad line
// later in the file is rejected by the row parser and counted like any other bad line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fanfold::activities {

struct NonTextByte {
  std::uint64_t offset = 0;  // of the first offending byte (a sequence's lead byte)
  std::string problem;       // e.g. "is NUL (0x00)", "(0xE9) starts an invalid UTF-8 sequence"
};

// The first byte that breaks the rule, or nullopt when `head` passes. `is_whole_file` is true
// when `head` is the whole file, so that a sequence cut by its end is an error.
std::optional<NonTextByte> FindNonTextByte(std::string_view head, bool is_whole_file);

// "gzip", "xz", "zip", "zstd", "bzip2" or "7z" when `head` starts with that format's magic number,
// else empty: lets an error say "decompress it first" rather than only "not text".
std::string_view CompressedFormatName(std::string_view head);

}  // namespace fanfold::activities

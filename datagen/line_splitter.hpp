// Splits a text file into N part files of whole lines, streaming with bounded memory (one 1 MiB
// read buffer plus at most 64 MiB of output buffers, however large the input).
//   contiguous (default): part i gets the next L/N lines, the first L mod N parts one more, so
//     part sizes in lines differ by at most 1 and `cat` of the parts in order is the input. Needs
//     the line count first, so the input is read twice (it must be a regular file).
//   round robin: line i goes to part i mod N, as `split --number=r/N` does; one pass.
// Lines are never broken or altered; a last line without '\n' is copied without one. Parts are
// written as "<part>.tmp" and renamed into place only when every part is complete.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::datagen {

// Keeps every part open at once (round robin) within a default 1,024 open-file limit.
inline constexpr int kMaxSplitParts = 1000;

struct SplitOptions {
  int parts = 2;             // 1..kMaxSplitParts
  bool round_robin = false;  // false: contiguous line ranges
  // Where the parts go; created (with parents) when missing. Default the current directory.
  std::string output_dir = ".";
  // Part names are PREFIX-00001EXT ... where EXT is the input's extension (".tbl" for
  // customer.tbl, none when it has none). Empty (the default): the input's name without extension.
  std::string prefix;
};

struct SplitPart {
  std::string path;
  std::int64_t lines = 0;
  std::uint64_t bytes = 0;
};

struct SplitStats {
  std::int64_t lines = 0;  // a last line without '\n' counts
  std::uint64_t bytes = 0;
  double seconds = 0;
  std::vector<SplitPart> parts;  // in part order
};

// "customer-00001.tbl" for ("customer", 1, ".tbl"); `index` is 1-based, zero-padded to 5 digits.
std::string PartFileName(std::string_view prefix, int index, std::string_view extension);

// InvalidArgument for bad options or a part that would overwrite the input; IoError when the
// input cannot be read or a part cannot be written (no part is then left under its final name).
storage::Result<SplitStats> SplitFile(const std::string& input_path, const SplitOptions& options);

}  // namespace fanfold::datagen

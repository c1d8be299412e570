// The `aggregate` step: a streaming consumer that reads one chunk's lines and totals them.
// Ownership rule: a line belongs to the chunk in which it starts. For a chunk [begin, end) a line
// starting at s is owned iff begin <= s < end, and s > 0 starts a line iff byte s-1 is '\n'. So
// the aggregator reads from begin-1 (to see that byte), skips the partial line it lands in, and
// reads past `end` until its last owned line is finished. Each line of the file is thus counted
// by exactly one chunk, and any plan's partials merge to the single-pass result.
// Bytes arrive in arbitrary pieces; only a line split between two pieces is copied (into one carry
// buffer bounded by max_line_bytes), so the per-row path allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "activities/chunk_partial.hpp"
#include "activities/chunk_plan.hpp"
#include "activities/input_format.hpp"
#include "activities/limits.hpp"
#include "activities/row_parser.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

struct AggregateOptions {
  // Accepted c_nationkey values; default 0..24 (TPC-H). At most kMaxNationKeySpan keys.
  NationKeyRange nation_keys;
  // Longest accepted line, bytes before '\n' ('\r' included); longer lines are rejected as
  // line_too_long. Also how far past its end a chunk reads. Default 64 KiB, at most 16 MiB.
  std::size_t max_line_bytes = kDefaultMaxLineBytes;
  // Offsets kept per reject reason; default 5. Merge with the same limit. At most 1000.
  std::size_t reject_samples = kDefaultRejectSamples;
};

class ChunkAggregator {
 public:
  // `format` must be concrete (kTpch or kCsv) for every chunk but the one starting at byte 0:
  // only that chunk sees the file's first line, so only it may detect (kAuto); its partial then
  // reports the detected format. Pipelines that run chunks in parallel resolve the format first
  // (DetectInputFormat on the file's head, or the user's choice) and pass it to every chunk.
  // InvalidArgument for kAuto elsewhere, a range outside the file, or invalid options.
  static storage::Result<ChunkAggregator> Create(const ChunkRange& chunk, std::uint64_t file_size,
                                                 InputFormat format,
                                                 const AggregateOptions& options = {});

  // The bytes to feed, in order and contiguously, starting at window.begin (see ReadWindow).
  ByteRange read_window() const { return window_; }

  // Consumes the next bytes of the window; pieces may have any size, including 1 byte or the
  // whole window. Bytes fed after done() are ignored, as are bytes past the file's size (an
  // error reported by Finish()).
  void Feed(const char* data, std::size_t size);
  void Feed(std::string_view bytes) { Feed(bytes.data(), bytes.size()); }

  // True once every line this chunk owns has been read: the caller can stop its download. Always
  // reached within read_window(), often sooner.
  bool done() const { return mode_ == Mode::kDone; }

  // Absolute offset of the next byte Feed expects.
  std::uint64_t position() const { return position_; }

  // Ends the stream. If not done(), the bytes fed must have reached the end of the file (a last
  // line without '\n' is then counted); otherwise the input stopped short and the result would be
  // incomplete: IoError. InvalidArgument if more bytes than the file holds were fed, or on a
  // second call.
  storage::Result<ChunkPartial> Finish();

 private:
  enum class Mode {
    kSkipping,  // inside a line this chunk does not own (or a rejected too-long one)
    kInLine,    // inside an owned line that started at line_start_
    kDone,
  };

  ChunkAggregator(const ChunkRange& chunk, std::uint64_t file_size, InputFormat format,
                  const AggregateOptions& options);

  std::size_t Skip(const char* data, std::size_t size);
  std::size_t ConsumeLine(const char* data, std::size_t size);
  void AppendToLine(const char* data, std::size_t size);
  void EnterSkipping();
  void StartLineAt(std::uint64_t offset);
  void ProcessLine(std::string_view line, std::uint64_t offset);
  void Reject(RejectReason reason, std::uint64_t offset);

  ChunkRange chunk_;
  std::uint64_t file_size_;
  InputFormat format_;
  AggregateOptions options_;
  ByteRange window_;

  Mode mode_ = Mode::kSkipping;
  std::uint64_t position_ = 0;
  std::uint64_t line_start_ = 0;
  std::size_t line_length_ = 0;  // bytes of the current line so far; in carry_ while <= max
  std::string carry_;            // the current line, when it spans Feed calls
  bool overrun_ = false;
  bool finished_ = false;

  std::vector<NationTotals> nations_;  // dense, indexed by key - nation_keys.min
  ChunkPartial partial_;               // everything but nations_, accumulated in place
};

// Runs one chunk over a file held in memory (tests, small files, tools).
storage::Result<ChunkPartial> AggregateChunkInMemory(std::string_view file, const ChunkRange& chunk,
                                                     InputFormat format,
                                                     const AggregateOptions& options = {});

}  // namespace fanfold::activities

#include "activities/chunk_aggregator.hpp"

#include <algorithm>
#include <cstring>

namespace fanfold::activities {
namespace {

constexpr std::size_t kMaxRejectSamples = 1000;

storage::Status ValidateOptions(const AggregateOptions& options) {
  const NationKeyRange& keys = options.nation_keys;
  if (keys.min < 0 || keys.max < keys.min ||
      static_cast<std::int64_t>(keys.max) - keys.min >= kMaxNationKeySpan) {
    return storage::Status::InvalidArgument(
        "nation key range must satisfy 0 <= min <= max and span at most " +
        std::to_string(kMaxNationKeySpan) + " keys");
  }
  if (options.max_line_bytes == 0 || options.max_line_bytes > kMaxMaxLineBytes) {
    return storage::Status::InvalidArgument("max_line_bytes must be between 1 and " +
                                            std::to_string(kMaxMaxLineBytes));
  }
  if (options.reject_samples > kMaxRejectSamples) {
    return storage::Status::InvalidArgument("reject_samples must be at most " +
                                            std::to_string(kMaxRejectSamples));
  }
  return storage::Status::Ok();
}

}  // namespace

storage::Result<ChunkAggregator> ChunkAggregator::Create(const ChunkRange& chunk,
                                                         std::uint64_t file_size,
                                                         InputFormat format,
                                                         const AggregateOptions& options) {
  FANFOLD_RETURN_IF_ERROR(ValidateOptions(options));
  if (chunk.begin > chunk.end || chunk.end > file_size) {
    return storage::Status::InvalidArgument("chunk range lies outside the file");
  }
  if (format == InputFormat::kAuto && chunk.begin != 0) {
    return storage::Status::InvalidArgument(
        "only the chunk at byte 0 can detect the format; pass the file's format to the others");
  }
  return ChunkAggregator(chunk, file_size, format, options);
}

ChunkAggregator::ChunkAggregator(const ChunkRange& chunk, std::uint64_t file_size,
                                 InputFormat format, const AggregateOptions& options)
    : chunk_(chunk),
      file_size_(file_size),
      format_(format),
      options_(options),
      window_(ReadWindow(chunk, file_size, options.max_line_bytes)),
      position_(window_.begin),
      nations_(static_cast<std::size_t>(options.nation_keys.max - options.nation_keys.min) + 1) {
  if (chunk_.begin >= chunk_.end) {
    mode_ = Mode::kDone;
  } else if (chunk_.begin == 0) {
    StartLineAt(0);
  } else {
    EnterSkipping();  // position_ is begin-1: its byte decides whether a line starts at begin
  }
}

void ChunkAggregator::Feed(const char* data, std::size_t size) {
  if (mode_ == Mode::kDone || finished_) return;
  if (size > file_size_ - position_) {
    overrun_ = true;
    size = static_cast<std::size_t>(file_size_ - position_);
  }
  while (size > 0 && mode_ != Mode::kDone) {
    const std::size_t used = mode_ == Mode::kSkipping ? Skip(data, size) : ConsumeLine(data, size);
    data += used;
    size -= used;
  }
}

// An owned line starts at s iff byte s-1 is '\n' and s <= end-1, so only a '\n' at or before
// end-2 matters here; once position_ passes end-2 without one, nothing more is owned.
void ChunkAggregator::EnterSkipping() {
  line_length_ = 0;
  carry_.clear();
  mode_ = position_ + 1 >= chunk_.end ? Mode::kDone : Mode::kSkipping;
}

std::size_t ChunkAggregator::Skip(const char* data, std::size_t size) {
  const auto relevant =
      static_cast<std::size_t>(std::min<std::uint64_t>(size, chunk_.end - 1 - position_));
  const void* newline = std::memchr(data, '\n', relevant);
  if (newline == nullptr) {
    position_ += relevant;
    if (position_ + 1 >= chunk_.end) mode_ = Mode::kDone;
    return relevant;
  }
  const auto used = static_cast<std::size_t>(static_cast<const char*>(newline) - data) + 1;
  position_ += used;
  StartLineAt(position_);
  return used;
}

void ChunkAggregator::StartLineAt(std::uint64_t offset) {
  line_start_ = offset;
  line_length_ = 0;
  carry_.clear();
  mode_ = offset >= chunk_.end ? Mode::kDone : Mode::kInLine;
}

void ChunkAggregator::AppendToLine(const char* data, std::size_t size) {
  // Beyond max_line_bytes the line is rejected unread, so the carry never grows past that.
  if (line_length_ + size <= options_.max_line_bytes) carry_.append(data, size);
  line_length_ += size;
}

std::size_t ChunkAggregator::ConsumeLine(const char* data, std::size_t size) {
  const void* newline = std::memchr(data, '\n', size);
  if (newline == nullptr) {
    AppendToLine(data, size);
    position_ += size;
    if (line_length_ > options_.max_line_bytes) {
      Reject(RejectReason::kLineTooLong, line_start_);
      EnterSkipping();
    }
    return size;
  }
  const auto length = static_cast<std::size_t>(static_cast<const char*>(newline) - data);
  std::string_view line;
  if (line_length_ == 0) {
    line = std::string_view(data, length);  // the common case: no copy
    line_length_ = length;
  } else {
    AppendToLine(data, length);
    line = carry_;
  }
  if (line_length_ > options_.max_line_bytes) {
    Reject(RejectReason::kLineTooLong, line_start_);
  } else {
    ProcessLine(line, line_start_);
  }
  position_ += length + 1;
  StartLineAt(position_);
  return length + 1;
}

void ChunkAggregator::ProcessLine(std::string_view line, std::uint64_t offset) {
  const bool first_line_of_file = offset == 0;
  if (first_line_of_file) {
    line = StripByteOrderMark(line);
    if (format_ == InputFormat::kAuto) format_ = DetectInputFormatOfFirstLine(line);
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) {
    ++partial_.empty_lines;
    return;
  }
  if (first_line_of_file && IsHeaderLine(line, format_)) {
    partial_.header_skipped = true;
    return;
  }
  const ParsedLine parsed = ParseCustomerLine(line, format_, options_.nation_keys);
  if (parsed.reject) {
    Reject(*parsed.reject, offset);
    return;
  }
  NationTotals& totals =
      nations_[static_cast<std::size_t>(parsed.nation_key - options_.nation_keys.min)];
  totals.sum_cents += parsed.cents;
  ++totals.rows;
  ++partial_.rows;
}

void ChunkAggregator::Reject(RejectReason reason, std::uint64_t offset) {
  // A too-long first line is never inspected; resolve the format exactly as DetectInputFormat
  // does for it, so that chunk 0 and an up-front probe always agree.
  if (offset == 0 && format_ == InputFormat::kAuto) format_ = kFallbackInputFormat;
  RejectTally& tally = partial_.reject(reason);
  ++tally.count;
  if (tally.first_offsets.size() < options_.reject_samples) tally.first_offsets.push_back(offset);
}

storage::Result<ChunkPartial> ChunkAggregator::Finish() {
  if (finished_) return storage::Status::InvalidArgument("Finish called twice");
  finished_ = true;
  if (overrun_) {
    return storage::Status::InvalidArgument("more bytes were fed than the file size allows");
  }
  if (mode_ != Mode::kDone) {
    if (position_ != file_size_) {
      return storage::Status::IoError("chunk input ended at byte " + std::to_string(position_) +
                                      " of " + std::to_string(file_size_) +
                                      " before the chunk's last line was complete");
    }
    // End of file: a last line without '\n' is still a line. (A too-long one was already
    // rejected and left us skipping.)
    if (mode_ == Mode::kInLine && line_length_ > 0) ProcessLine(carry_, line_start_);
    mode_ = Mode::kDone;
  }
  partial_.format = format_;
  partial_.bytes_read = position_ - window_.begin;
  for (std::size_t i = 0; i < nations_.size(); ++i) {
    if (nations_[i].rows == 0) continue;
    partial_.nations[options_.nation_keys.min + static_cast<std::int32_t>(i)] = nations_[i];
  }
  return std::move(partial_);
}

storage::Result<ChunkPartial> AggregateChunkInMemory(std::string_view file, const ChunkRange& chunk,
                                                     InputFormat format,
                                                     const AggregateOptions& options) {
  auto aggregator = ChunkAggregator::Create(chunk, file.size(), format, options);
  if (!aggregator.ok()) return aggregator.status();
  const ByteRange window = aggregator->read_window();
  aggregator->Feed(file.substr(window.begin, window.size()));
  return aggregator->Finish();
}

}  // namespace fanfold::activities

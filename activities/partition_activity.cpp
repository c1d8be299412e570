#include "activities/partition_activity.hpp"

#include <algorithm>

#include "activities/activity_status.hpp"
#include "activities/row_parser.hpp"
#include "activities/text_check.hpp"

namespace fanfold::activities {
namespace {

storage::Status ValidateInput(const PartitionInput& input) {
  if (input.container.empty() || input.blob.empty()) {
    return storage::Status::InvalidArgument("partition needs a container and a blob name");
  }
  if (input.chunk_count != 0 && input.chunk_bytes != 0) {
    return storage::Status::InvalidArgument(
        "partition takes a chunk count or a chunk size, not both");
  }
  if (input.max_file_bytes == 0) {
    return storage::Status::InvalidArgument("max_file_bytes must be at least 1");
  }
  if (input.max_line_bytes == 0 || input.max_line_bytes > kMaxMaxLineBytes) {
    return storage::Status::InvalidArgument("max_line_bytes must be between 1 and " +
                                            std::to_string(kMaxMaxLineBytes));
  }
  return storage::Status::Ok();
}

storage::Result<ChunkPlan> Plan(const PartitionInput& input, std::uint64_t size) {
  if (input.chunk_count != 0) return PlanChunks(size, input.chunk_count);
  return PlanChunksBySize(size, input.chunk_bytes != 0 ? input.chunk_bytes : kDefaultChunkBytes);
}

storage::Status NotText(const std::string& label, std::string_view head, const NonTextByte& bad) {
  std::string message =
      label + " is not a text file: byte " + std::to_string(bad.offset) + " " + bad.problem + ".";
  const std::string_view archive = CompressedFormatName(head);
  if (!archive.empty()) {
    message += " It looks like a " + std::string(archive) +
               " archive: decompress it and upload the text file.";
  }
  message += " The job reads UTF-8 (or plain ASCII) text, TPC-H '|' or CSV, one customer per line.";
  return storage::Status::InvalidArgument(std::move(message));
}

}  // namespace

bool HeadStartsWithHeader(std::string_view head, InputFormat format, std::size_t max_line_bytes) {
  const std::size_t newline = head.find('\n');
  std::string_view line = newline == std::string_view::npos ? head : head.substr(0, newline);
  // The aggregator rejects a too-long line without looking inside it (BOM and '\r' included).
  if (line.size() > max_line_bytes) return false;
  line = StripByteOrderMark(line);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return !line.empty() && IsHeaderLine(line, format);
}

storage::Result<PartitionOutput> PartitionBlob(const storage::BlobServiceClient& blobs,
                                               const PartitionInput& input) {
  FANFOLD_RETURN_IF_ERROR(ValidateInput(input));
  const std::string label = BlobLabel(input.container, input.blob);
  const storage::BlobClient blob =
      blobs.GetContainerClient(input.container).GetBlobClient(input.blob);

  storage::BlobGetPropertiesOptions head_options;
  head_options.conditions.if_match = input.expected_etag;
  storage::Result<storage::BlobProperties> properties = blob.GetProperties(head_options);
  if (!properties.ok()) {
    return ExplainBlobFailure(properties.status(), "reading the properties of", label,
                              input.expected_etag);
  }
  if (properties->etag.empty()) {
    return storage::Status::Corruption("Get Blob Properties of " + label + " returned no ETag");
  }
  const std::uint64_t size = properties->size;
  if (size > input.max_file_bytes) {
    return storage::Status::InvalidArgument(
        label + " is " + std::to_string(size) + " bytes, more than the job's maximum of " +
        std::to_string(input.max_file_bytes) +
        " bytes (max_file_bytes): raise the maximum if this really is a customer table, or "
        "split the file");
  }
  // Planned before reading anything, so a chunk size that is too small costs no read.
  storage::Result<ChunkPlan> plan = Plan(input, size);
  if (!plan.ok()) return WithContext(plan.status(), "planning the chunks of " + label);

  // The head: the most any first line can hold plus the byte that proves it longer.
  const std::uint64_t head_size =
      std::min<std::uint64_t>(size, static_cast<std::uint64_t>(input.max_line_bytes) + 1);
  std::string head;
  if (head_size > 0) {
    head.reserve(static_cast<std::size_t>(head_size));
    storage::BlobDownloadOptions read_options;
    read_options.conditions.if_match = properties->etag;  // one request, the version just seen
    storage::Result<storage::BlobDownloadResult> read = blob.DownloadRange(
        0, head_size,
        [&head](std::string_view piece) {
          head.append(piece);
          return true;
        },
        read_options);
    if (!read.ok()) {
      return ExplainBlobFailure(read.status(), "reading the first bytes of", label,
                                properties->etag);
    }
    if (head.size() != head_size) {
      return storage::Status::Corruption("reading the first bytes of " + label + " returned " +
                                         std::to_string(head.size()) + " bytes instead of " +
                                         std::to_string(head_size));
    }
  }
  if (const auto bad = FindNonTextByte(head, head_size == size)) {
    return NotText(label, head, *bad);
  }

  ProbedBlob probe;
  probe.etag = properties->etag;
  probe.size = size;
  probe.format = input.format != InputFormat::kAuto ? input.format
                                                    : DetectInputFormat(head, input.max_line_bytes);
  probe.has_header = HeadStartsWithHeader(head, probe.format, input.max_line_bytes);
  return PlanProbedBlob(input, probe);
}

storage::Result<PartitionOutput> PlanProbedBlob(const PartitionInput& input,
                                                const ProbedBlob& probe) {
  FANFOLD_RETURN_IF_ERROR(ValidateInput(input));
  if (probe.format == InputFormat::kAuto) {
    return storage::Status::InvalidArgument("a probed blob has a detected format, never auto");
  }
  storage::Result<ChunkPlan> plan = Plan(input, probe.size);
  if (!plan.ok()) {
    return WithContext(plan.status(),
                       "planning the chunks of " + BlobLabel(input.container, input.blob));
  }
  PartitionOutput output;
  output.container = input.container;
  output.blob = input.blob;
  output.etag = probe.etag;
  output.size = probe.size;
  output.format = probe.format;
  output.has_header = probe.has_header;
  output.max_line_bytes = input.max_line_bytes;
  output.plan = std::move(plan).value();
  return output;
}

}  // namespace fanfold::activities

// Job ids: one per (container, blob, ETag). A duplicated BlobCreated event, or the same bytes
// uploaded again under a name whose ETag did not change, maps to the same id, so the trigger's
// insert of the job row is the only dedup it needs; a changed blob has a new ETag and a new job.
#pragma once

#include <string>
#include <string_view>

namespace fanfold::pipelines {

// "<slug of the blob name, up to 40 chars>-<16 hex digits of SHA-256(container, blob, etag)>":
// readable in `fanfold status`, and valid as a PartitionKey, an orchestration instance id and
// part of a queue or blob name. Quotes around the ETag are ignored (Event Grid omits them; HTTP
// headers carry them).
std::string MakeJobId(std::string_view container, std::string_view blob, std::string_view etag);

// `etag` without surrounding double quotes, and with them: Event Grid writes 0x8D..., HTTP
// headers "0x8D...".
std::string UnquotedETag(std::string_view etag);
std::string QuotedETag(std::string_view etag);

}  // namespace fanfold::pipelines

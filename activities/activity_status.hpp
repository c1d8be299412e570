// Turning storage failures into activity failures a user can act on. The rewritten Status keeps
// the original code, HTTP status, error code and request id (so IsNotFound() and
// IsPreconditionFailed() still answer, and retries still classify), and only its message gains
// what was being read and what to do about it.
#pragma once

#include <string>
#include <string_view>

#include "storage/status.hpp"

namespace fanfold::activities {

// `status` with "`context`: " put before its message. OK stays OK.
storage::Status WithContext(const storage::Status& status, std::string_view context);

// "container/blob", the way activity messages name a blob (names are not secrets; the account
// URL, which may carry a SAS, is never included).
std::string BlobLabel(std::string_view container, std::string_view blob);

// A failed blob operation of an activity, explained: 404 says the blob must be uploaded first,
// 412 says the blob is no longer the version `etag` (replaced since the job was planned; Azurite
// also answers 412 for a deleted blob where Azure answers 404) and the job must be submitted
// again; anything else is prefixed with `action` and the blob's label.
storage::Status ExplainBlobFailure(const storage::Status& status, std::string_view action,
                                   std::string_view blob_label, std::string_view etag);

}  // namespace fanfold::activities

// Client-side checks of what Azure would refuse: container names, blob names and metadata.
// Azurite accepts much that Azure rejects, so these run before every request; an invalid name
// fails with kInvalidArgument and the request is never sent.
#pragma once

#include <string_view>

#include "storage/blob/blob_models.hpp"
#include "storage/status.hpp"

namespace fanfold::storage {

// 3-63 characters of lower-case letters, digits and single hyphens, starting and ending with a
// letter or digit; or one of the reserved containers $root, $web, $logs.
Status ValidateContainerName(std::string_view name);

// 1-1024 characters (Unicode code points of valid UTF-8), at most 254 '/'-separated segments,
// no control characters (Azure refuses them), and no segment that is "." or "..": the service
// resolves those as a path even when they are percent-encoded, so "a/../b" would be the blob
// "b" (Naming and Referencing Containers, Blobs, and Metadata: no path segment should end with a
// dot). Any other character is allowed; the client percent-encodes what a URL path cannot hold.
Status ValidateBlobName(std::string_view name);

// Names are C# identifiers (ASCII letter or '_' first, then letters, digits, '_'), unique
// ignoring case; values are printable ASCII, since they travel as HTTP header values.
Status ValidateMetadata(const BlobMetadata& metadata);

}  // namespace fanfold::storage

// The XML bodies of the Blob service: List Containers and List Blobs answers (EnumerationResults)
// and the Put Block List request. A listing that does not parse is kCorruption, never a partial
// page, so paging cannot silently skip items.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/blob/blob_models.hpp"
#include "storage/result.hpp"

namespace fanfold::storage {

Result<BlobContainerListPage> ParseContainerListXml(std::string_view body);
Result<BlobListPage> ParseBlobListXml(std::string_view body);

// <BlockList><Latest>id</Latest>...</BlockList>: the blob becomes these blocks, in this order.
std::string BuildBlockListXml(const std::vector<std::string>& block_ids);

// ETags in listings come unquoted ("0x8D..."), in headers quoted; this gives the header form.
std::string QuoteEtag(std::string_view etag);

}  // namespace fanfold::storage

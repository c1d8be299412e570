// Wire details shared by the Table clients and the batch encoder: OData headers and resource
// paths. Paths keep OData punctuation literal and percent-encode only key text (quotes doubled
// first), because the SharedKey signature covers the path exactly as sent.
#pragma once

#include <string>
#include <string_view>

#include "storage/http_message.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "storage/url.hpp"

namespace fanfold::tablestore {

// minimalmetadata: ETags and the annotations of types JSON cannot express (see entity_json.hpp);
// fullmetadata would add per-entity ids and links, nothing that types values more exactly.
inline constexpr const char* kAcceptJson = "application/json;odata=minimalmetadata";
inline constexpr const char* kJsonContentType = "application/json";

// DataServiceVersion, MaxDataServiceVersion and Accept, which every OData request carries.
void AddODataHeaders(storage::HttpRequest& request);
// Sets a JSON body and its Content-Type.
void SetJsonBody(storage::HttpRequest& request, std::string body);

// Sends the request and turns a non-2xx answer into its Status (404, 409, 412 included).
storage::Result<storage::HttpResponse> SendChecked(const storage::Pipeline& pipeline,
                                                   storage::HttpRequest& request);

// "<table>(PartitionKey='<pk>',RowKey='<rk>')", key text quote-doubled and percent-encoded.
std::string EntityResource(std::string_view table, std::string_view partition_key,
                           std::string_view row_key);
// endpoint + "/" + raw_resource, appended without further encoding.
storage::Url ResourceUrl(const storage::Url& endpoint, std::string_view raw_resource);

}  // namespace fanfold::tablestore

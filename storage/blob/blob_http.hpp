// Request and response pieces every Blob operation shares: conditional and metadata headers on
// the way out, blob properties from response headers on the way back. Internal to the blob
// clients; it holds no state.
#pragma once

#include "storage/blob/blob_models.hpp"
#include "storage/blob/blob_options.hpp"
#include "storage/http_message.hpp"
#include "storage/result.hpp"
#include "storage/status.hpp"

namespace fanfold::storage {

// Adds If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since. Fails on an ETag that
// holds control characters, which would otherwise split the HTTP header.
Status ApplyConditions(const BlobRequestConditions& conditions, HttpRequest& request);

// Adds x-ms-meta-<name> headers after ValidateMetadata.
Status ApplyMetadata(const BlobMetadata& metadata, HttpRequest& request);

// Size (from Content-Range's total when the answer is a range, else Content-Length), ETag,
// Last-Modified, Content-Type, Content-MD5 and x-ms-meta-* of a Get Blob or HEAD answer.
BlobProperties PropertiesFromHeaders(const HttpResponse& response);

// The outcome of a write that created a blob version (Put Blob, Put Block List): the answer
// checked, then its ETag and Last-Modified, with the size the caller sent.
Result<BlobUploadResult> UploadResultFrom(const Result<HttpResponse>& response, uint64_t size);

}  // namespace fanfold::storage

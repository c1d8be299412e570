// The $batch wire format: a multipart/mixed body with one changeset of embedded HTTP requests, and
// the multipart answer with one embedded response per action (or only the blamed action's, on
// failure). Pure functions, so they are tested on canned bodies.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/http_message.hpp"
#include "storage/result.hpp"
#include "storage/url.hpp"
#include "tablestore/transaction.hpp"

namespace fanfold::tablestore {

struct EncodedBatch {
  std::string content_type;  // "multipart/mixed; boundary=batch_<id>"
  std::string body;
};

// The $batch request body for a validated transaction against `table` of the service at
// `endpoint`. The boundaries are "batch_<batch_id>" and "changeset_<changeset_id>"; callers pass
// fresh UUIDs (tests pass fixed ones).
EncodedBatch EncodeTransaction(const storage::Url& endpoint, std::string_view table,
                               const Transaction& transaction, std::string_view batch_id,
                               std::string_view changeset_id);

// The outcome of a transaction from the service's answer to its $batch request: per-action
// results when all succeeded; else the failed action's Status (see transaction.hpp), or
// Corruption when the answer cannot be read.
storage::Result<TransactionResult> DecodeTransactionResponse(const storage::HttpResponse& response,
                                                             const Transaction& transaction);

// The boundary parameter of a multipart Content-Type (quoted or not); nullopt when absent.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

struct MimePart {
  storage::Headers headers;
  std::string body;
};
// The parts between "--boundary" delimiter lines, each split into headers and body. Accepts
// CRLF or bare LF line ends.
storage::Result<std::vector<MimePart>> ParseMultipart(std::string_view body,
                                                      std::string_view boundary);
// "HTTP/1.1 204 No Content\r\nETag: ...\r\n\r\n<body>" as an HttpResponse.
storage::Result<storage::HttpResponse> ParseEmbeddedResponse(std::string_view text);

}  // namespace fanfold::tablestore

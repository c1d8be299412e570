#include "tablestore/batch_codec.hpp"

#include <charconv>

#include "storage/ascii_text.hpp"
#include "storage/error_response.hpp"
#include "storage/utf8_text.hpp"
#include "tablestore/entity_json.hpp"
#include "tablestore/table_protocol.hpp"

namespace fanfold::tablestore {
namespace {

using storage::HttpResponse;
using storage::Result;
using storage::Status;

constexpr std::string_view kCrlf = "\r\n";

// Splits "line\r\nline\r\n\r\nbody" into its head lines and its body.
struct Head {
  std::vector<std::string_view> lines;
  std::string_view body;
};
Head SplitHead(std::string_view text) {
  Head head;
  size_t position = 0;
  while (position < text.size()) {
    const size_t line_end = text.find('\n', position);
    std::string_view line =
        text.substr(position, line_end == std::string_view::npos ? std::string_view::npos
                                                                 : line_end - position);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      head.body =
          line_end == std::string_view::npos ? std::string_view() : text.substr(line_end + 1);
      return head;
    }
    head.lines.push_back(line);
    if (line_end == std::string_view::npos) break;
    position = line_end + 1;
  }
  return head;
}

bool AddHeaderLine(std::string_view line, storage::Headers& headers) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  headers[std::string(storage::TrimAsciiSpace(line.substr(0, colon)))] =
      std::string(storage::TrimAsciiSpace(line.substr(colon + 1)));
  return true;
}

// "--boundary" at the start of a line, at or after `from`.
size_t FindDelimiter(std::string_view body, std::string_view delimiter, size_t from) {
  while (true) {
    const size_t found = body.find(delimiter, from);
    if (found == std::string_view::npos) return found;
    if (found == 0 || body[found - 1] == '\n') return found;
    from = found + 1;
  }
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(text[i]) != lower(prefix[i])) return false;
  }
  return true;
}

void AppendSubRequest(std::string& out, const storage::Url& endpoint, std::string_view table,
                      const TransactionAction& action) {
  const char* method = "POST";
  storage::Url url = ResourceUrl(endpoint, table);
  switch (action.type) {
    case TransactionActionType::kInsert:
      break;
    case TransactionActionType::kInsertOrMerge:
    case TransactionActionType::kMerge:
      method = "MERGE";
      break;
    case TransactionActionType::kInsertOrReplace:
    case TransactionActionType::kReplace:
      method = "PUT";
      break;
    case TransactionActionType::kDelete:
      method = "DELETE";
      break;
  }
  if (action.type != TransactionActionType::kInsert) {
    url = ResourceUrl(
        endpoint, EntityResource(table, action.entity.partition_key(), action.entity.row_key()));
  }
  out += "Content-Type: application/http\r\n";
  out += "Content-Transfer-Encoding: binary\r\n\r\n";
  out += std::string(method) + " " + url.ToString() + " HTTP/1.1\r\n";
  out += std::string("Accept: ") + kAcceptJson + "\r\n";
  out += "DataServiceVersion: 3.0\r\n";
  if (!action.if_match.empty()) out += "If-Match: " + action.if_match + "\r\n";
  if (action.type == TransactionActionType::kDelete) {
    out += kCrlf;
    return;
  }
  if (action.type == TransactionActionType::kInsert) out += "Prefer: return-no-content\r\n";
  out += std::string("Content-Type: ") + kJsonContentType + "\r\n\r\n";
  out += EntityToJson(action.entity).dump();
  out += kCrlf;
}

// Collects the embedded responses of a part, descending into a changeset.
Status CollectResponses(const MimePart& part, std::vector<HttpResponse>& responses) {
  const auto content_type = part.headers.find("Content-Type");
  if (content_type != part.headers.end() &&
      StartsWithIgnoringCase(content_type->second, "multipart/mixed")) {
    const auto boundary = MultipartBoundary(content_type->second);
    if (!boundary) return Status::Corruption("changeset response has no boundary");
    auto inner = ParseMultipart(part.body, *boundary);
    if (!inner.ok()) return inner.status();
    for (const MimePart& inner_part : *inner) {
      FANFOLD_RETURN_IF_ERROR(CollectResponses(inner_part, responses));
    }
    return Status::Ok();
  }
  auto response = ParseEmbeddedResponse(part.body);
  if (!response.ok()) return response.status();
  responses.push_back(std::move(response).value());
  return Status::Ok();
}

// Rewrites the service's "<index>:<message>" into fanfold's "transaction action <index> failed"
// form, keeping the HTTP status and error code so IsConflict() and friends still answer.
Status BlameAction(const Status& failure, const std::string& request_id,
                   const Transaction& transaction) {
  const std::string& message = failure.message();
  size_t index = 0;
  const char* begin = message.data();
  const char* end = message.data() + message.size();
  const auto [stop, error] = std::from_chars(begin, end, index);
  std::string rewritten;
  if (error == std::errc() && stop != begin && stop != end && *stop == ':' &&
      index < transaction.size()) {
    const TransactionAction& action = transaction.actions()[index];
    const std::string row = storage::TruncateUtf8(action.entity.row_key(), 64);
    rewritten = "transaction action " + std::to_string(index) + " failed (" +
                TransactionActionName(action.type) + " of RowKey '" + row +
                "'): " + std::string(stop + 1, end);
  } else {
    rewritten = "transaction failed: " + message;
  }
  return Status::Http(failure.http_status(), failure.error_code(), std::move(rewritten),
                      request_id.empty() ? failure.request_id() : request_id);
}

}  // namespace

EncodedBatch EncodeTransaction(const storage::Url& endpoint, std::string_view table,
                               const Transaction& transaction, std::string_view batch_id,
                               std::string_view changeset_id) {
  const std::string batch_boundary = "batch_" + std::string(batch_id);
  const std::string changeset_boundary = "changeset_" + std::string(changeset_id);
  std::string body;
  body += "--" + batch_boundary + "\r\n";
  body += "Content-Type: multipart/mixed; boundary=" + changeset_boundary + "\r\n\r\n";
  for (const TransactionAction& action : transaction.actions()) {
    body += "--" + changeset_boundary + "\r\n";
    AppendSubRequest(body, endpoint, table, action);
  }
  body += "--" + changeset_boundary + "--\r\n";
  body += "--" + batch_boundary + "--\r\n";
  return {"multipart/mixed; boundary=" + batch_boundary, std::move(body)};
}

Result<TransactionResult> DecodeTransactionResponse(const HttpResponse& response,
                                                    const Transaction& transaction) {
  const std::string& request_id = response.Header("x-ms-request-id");
  if (!response.IsSuccess()) {
    return BlameAction(storage::StatusFromResponse(response), request_id, transaction);
  }
  const auto boundary = MultipartBoundary(response.Header("Content-Type"));
  if (!boundary) return Status::Corruption("transaction answer is not multipart");
  auto parts = ParseMultipart(response.body, *boundary);
  if (!parts.ok()) return parts.status();
  std::vector<HttpResponse> answers;
  for (const MimePart& part : *parts)
    FANFOLD_RETURN_IF_ERROR(CollectResponses(part, answers));
  for (const HttpResponse& answer : answers) {
    if (!answer.IsSuccess()) {
      return BlameAction(storage::StatusFromResponse(answer), request_id, transaction);
    }
  }
  if (answers.size() != transaction.size()) {
    return Status::Corruption("transaction answer holds " + std::to_string(answers.size()) +
                              " responses for " + std::to_string(transaction.size()) + " actions");
  }
  TransactionResult result;
  for (const HttpResponse& answer : answers) {
    result.actions.push_back({answer.status, answer.Header("ETag")});
  }
  return result;
}

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  size_t position = 0;
  while (position < content_type.size()) {
    const size_t end = content_type.find(';', position);
    const std::string_view parameter = storage::TrimAsciiSpace(content_type.substr(
        position, end == std::string_view::npos ? std::string_view::npos : end - position));
    if (StartsWithIgnoringCase(parameter, "boundary=")) {
      std::string_view value = storage::TrimAsciiSpace(parameter.substr(9));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (value.empty()) return std::nullopt;
      return std::string(value);
    }
    if (end == std::string_view::npos) break;
    position = end + 1;
  }
  return std::nullopt;
}

Result<std::vector<MimePart>> ParseMultipart(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  size_t position = FindDelimiter(body, delimiter, 0);
  if (position == std::string_view::npos) {
    return Status::Corruption("multipart body lacks its boundary");
  }
  std::vector<MimePart> parts;
  while (true) {
    const size_t after = position + delimiter.size();
    if (body.substr(after, 2) == "--") return parts;  // the close delimiter
    const size_t line_end = body.find('\n', after);
    if (line_end == std::string_view::npos) return Status::Corruption("multipart body is cut");
    const size_t content_begin = line_end + 1;
    const size_t next = FindDelimiter(body, delimiter, content_begin);
    if (next == std::string_view::npos) {
      return Status::Corruption("multipart body has no closing boundary");
    }
    // The line break before a delimiter belongs to the delimiter.
    size_t content_end = next;
    if (content_end > content_begin && body[content_end - 1] == '\n') --content_end;
    if (content_end > content_begin && body[content_end - 1] == '\r') --content_end;
    const Head head = SplitHead(body.substr(content_begin, content_end - content_begin));
    MimePart part;
    for (const std::string_view line : head.lines) {
      if (!AddHeaderLine(line, part.headers)) {
        return Status::Corruption("multipart part has a malformed header line");
      }
    }
    part.body = std::string(head.body);
    parts.push_back(std::move(part));
    position = next;
  }
}

Result<HttpResponse> ParseEmbeddedResponse(std::string_view text) {
  const Head head = SplitHead(text);
  // Azurite writes a stray boundary line before the status line of whole-changeset errors.
  size_t first = 0;
  while (first < head.lines.size() && !head.lines[first].starts_with("HTTP/"))
    ++first;
  if (first == head.lines.size()) {
    return Status::Corruption("embedded response has no HTTP status line");
  }
  // "HTTP/1.1 204 No Content"
  const std::string_view status_line = head.lines[first];
  const size_t space = status_line.find(' ');
  if (space == std::string_view::npos) {
    return Status::Corruption("embedded response has a malformed HTTP status line");
  }
  HttpResponse response;
  const char* begin = status_line.data() + space + 1;
  const char* end = status_line.data() + status_line.size();
  const auto [stop, error] = std::from_chars(begin, end, response.status);
  if (error != std::errc() || stop == begin || response.status < 100 || response.status > 599) {
    return Status::Corruption("embedded response has a malformed HTTP status");
  }
  for (size_t i = first + 1; i < head.lines.size(); ++i) {
    if (!AddHeaderLine(head.lines[i], response.headers)) {
      return Status::Corruption("embedded response has a malformed header line");
    }
  }
  response.body = std::string(head.body);
  response.body_bytes = response.body.size();
  return response;
}

}  // namespace fanfold::tablestore

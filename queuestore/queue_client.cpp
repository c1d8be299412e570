#include "queuestore/queue_client.hpp"

#include <charconv>
#include <utility>

#include "queuestore/queue_metadata.hpp"
#include "queuestore/queue_request.hpp"
#include "queuestore/queue_validation.hpp"
#include "queuestore/queue_xml.hpp"
#include "storage/error_response.hpp"

namespace fanfold::queuestore {
namespace {

using storage::HttpMethod;
using storage::OperationKind;
using storage::Result;
using storage::Status;

constexpr const char* kQueueAlreadyExistsCode = "QueueAlreadyExists";

std::string SecondsParameter(std::chrono::seconds value) {
  return std::to_string(value.count());
}

}  // namespace

const char* CreateQueueOutcomeName(CreateQueueOutcome outcome) {
  switch (outcome) {
    case CreateQueueOutcome::kCreated:
      return "created";
    case CreateQueueOutcome::kAlreadyExists:
      return "already_exists";
    case CreateQueueOutcome::kExistsWithDifferentMetadata:
      return "exists_with_different_metadata";
  }
  return "unknown";
}

QueueClient::QueueClient(storage::Url queue_url, std::string name,
                         std::shared_ptr<const storage::Pipeline> pipeline)
    : queue_url_(std::move(queue_url)), name_(std::move(name)), pipeline_(std::move(pipeline)) {}

storage::Url QueueClient::MessagesUrl() const {
  storage::Url url = queue_url_;
  url.AppendPath("messages");
  return url;
}

Result<CreateQueueOutcome> QueueClient::Create(const CreateQueueOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateMetadata(options.metadata));
  auto request = MakeQueueRequest(HttpMethod::kPut, queue_url_, OperationKind::kQueueAdmin);
  AddMetadataHeaders(options.metadata, &request.headers);
  auto response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  if (response->status == 201) return CreateQueueOutcome::kCreated;
  if (response->status == 204) return CreateQueueOutcome::kAlreadyExists;
  const Status status = storage::CheckResponse(*response);
  if (status.ok()) {
    return Status::Corruption("Create Queue answered HTTP " + std::to_string(response->status) +
                              "; expected 201 or 204");
  }
  if (status.http_status() == 409 && status.error_code() == kQueueAlreadyExistsCode) {
    return CreateQueueOutcome::kExistsWithDifferentMetadata;
  }
  return status;
}

Status QueueClient::Delete() const {
  auto request = MakeQueueRequest(HttpMethod::kDelete, queue_url_, OperationKind::kQueueAdmin);
  return SendQueueRequest(*pipeline_, request).status();
}

Result<QueueProperties> QueueClient::GetProperties() const {
  storage::Url url = queue_url_;
  url.AddQuery("comp", "metadata");
  auto request = MakeQueueRequest(HttpMethod::kGet, std::move(url), OperationKind::kQueueAdmin);
  auto response = SendQueueRequest(*pipeline_, request);
  if (!response.ok()) return response.status();
  QueueProperties properties;
  const std::string& count = response->Header("x-ms-approximate-messages-count");
  const char* end = count.data() + count.size();
  const auto [ptr, error] =
      std::from_chars(count.data(), end, properties.approximate_message_count);
  if (count.empty() || error != std::errc() || ptr != end) {
    return Status::Corruption(
        "Get Queue Metadata answered without a valid x-ms-approximate-messages-count");
  }
  properties.metadata = MetadataFromHeaders(response->headers);
  return properties;
}

Status QueueClient::ClearMessages() const {
  auto request = MakeQueueRequest(HttpMethod::kDelete, MessagesUrl(), OperationKind::kQueueAdmin);
  return SendQueueRequest(*pipeline_, request).status();
}

Result<EnqueuedMessage> QueueClient::PutMessage(std::string_view content,
                                                const PutMessageOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateMessageContent(content));
  FANFOLD_RETURN_IF_ERROR(ValidatePutMessageOptions(options));
  storage::Url url = MessagesUrl();
  if (options.visibility_delay.count() > 0) {
    url.AddQuery("visibilitytimeout", SecondsParameter(options.visibility_delay));
  }
  if (options.time_to_live) url.AddQuery("messagettl", SecondsParameter(*options.time_to_live));
  auto request = MakeQueueRequest(HttpMethod::kPost, std::move(url), OperationKind::kQueuePut);
  SetXmlBody(request, BuildMessageBody(content));
  auto response = SendQueueRequest(*pipeline_, request);
  if (!response.ok()) return response.status();
  return ParseEnqueuedMessage(response->body);
}

Result<std::vector<ReceivedMessage>> QueueClient::GetMessages(
    const GetMessagesOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateGetMessagesOptions(options));
  storage::Url url = MessagesUrl();
  url.AddQuery("numofmessages", std::to_string(options.max_messages));
  url.AddQuery("visibilitytimeout", SecondsParameter(options.visibility_timeout));
  auto request = MakeQueueRequest(HttpMethod::kGet, std::move(url), OperationKind::kQueueGet);
  auto response = SendQueueRequest(*pipeline_, request);
  if (!response.ok()) return response.status();
  return ParseReceivedMessages(response->body);
}

Result<std::vector<PeekedMessage>> QueueClient::PeekMessages(
    const PeekMessagesOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidatePeekMessagesOptions(options));
  storage::Url url = MessagesUrl();
  url.AddQuery("peekonly", "true");
  url.AddQuery("numofmessages", std::to_string(options.max_messages));
  auto request = MakeQueueRequest(HttpMethod::kGet, std::move(url), OperationKind::kQueuePeek);
  auto response = SendQueueRequest(*pipeline_, request);
  if (!response.ok()) return response.status();
  return ParsePeekedMessages(response->body);
}

Result<UpdateReceipt> QueueClient::UpdateMessage(std::string_view message_id,
                                                 std::string_view pop_receipt,
                                                 std::chrono::seconds visibility_timeout,
                                                 const UpdateMessageOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateMessageHandle(message_id, pop_receipt));
  FANFOLD_RETURN_IF_ERROR(ValidateUpdateVisibilityTimeout(visibility_timeout));
  if (options.content) FANFOLD_RETURN_IF_ERROR(ValidateMessageContent(*options.content));
  storage::Url url = MessagesUrl();
  url.AppendPath(message_id);
  url.AddQuery("popreceipt", std::string(pop_receipt));
  url.AddQuery("visibilitytimeout", SecondsParameter(visibility_timeout));
  auto request = MakeQueueRequest(HttpMethod::kPut, std::move(url), OperationKind::kQueueUpdate);
  if (options.content) SetXmlBody(request, BuildMessageBody(*options.content));
  auto response = SendQueueRequest(*pipeline_, request);
  if (!response.ok()) return response.status();
  UpdateReceipt receipt;
  receipt.pop_receipt = response->Header("x-ms-popreceipt");
  const auto next_visible = ParseServiceTime(response->Header("x-ms-time-next-visible"));
  if (receipt.pop_receipt.empty() || !next_visible) {
    return Status::Corruption(
        "Update Message answered without x-ms-popreceipt or a valid x-ms-time-next-visible");
  }
  receipt.next_visible_time = *next_visible;
  return receipt;
}

Status QueueClient::DeleteMessage(std::string_view message_id, std::string_view pop_receipt) const {
  FANFOLD_RETURN_IF_ERROR(ValidateMessageHandle(message_id, pop_receipt));
  storage::Url url = MessagesUrl();
  url.AppendPath(message_id);
  url.AddQuery("popreceipt", std::string(pop_receipt));
  auto request = MakeQueueRequest(HttpMethod::kDelete, std::move(url), OperationKind::kQueueDelete);
  return SendQueueRequest(*pipeline_, request).status();
}

}  // namespace fanfold::queuestore

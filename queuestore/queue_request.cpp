#include "queuestore/queue_request.hpp"

#include <utility>

#include "storage/error_response.hpp"

namespace fanfold::queuestore {

storage::HttpRequest MakeQueueRequest(storage::HttpMethod method, storage::Url url,
                                      storage::OperationKind kind) {
  storage::HttpRequest request;
  request.method = method;
  request.url = std::move(url);
  request.kind = kind;
  return request;
}

storage::Result<storage::HttpResponse> SendQueueRequest(const storage::Pipeline& pipeline,
                                                        storage::HttpRequest& request) {
  auto response = pipeline.Send(request);
  if (!response.ok()) return response.status();
  FANFOLD_RETURN_IF_ERROR(storage::CheckResponse(*response));
  return response;
}

void SetXmlBody(storage::HttpRequest& request, std::string body) {
  request.headers["Content-Type"] = "application/xml; charset=utf-8";
  request.body = std::move(body);
}

}  // namespace fanfold::queuestore

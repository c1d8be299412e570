// The few lines every queue operation shares: build a request of a given kind, send it through
// the pipeline, and turn a non-2xx answer into a Status (via storage::CheckResponse).
#pragma once

#include <string>

#include "storage/http_message.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"

namespace fanfold::queuestore {

storage::HttpRequest MakeQueueRequest(storage::HttpMethod method, storage::Url url,
                                      storage::OperationKind kind);

// The answer when it is 2xx; otherwise the transport failure or the service's error as a Status.
storage::Result<storage::HttpResponse> SendQueueRequest(const storage::Pipeline& pipeline,
                                                        storage::HttpRequest& request);

// Sets an XML body and its Content-Type.
void SetXmlBody(storage::HttpRequest& request, std::string body);

}  // namespace fanfold::queuestore

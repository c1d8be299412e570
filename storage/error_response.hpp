// Turns a service's error answer into a Status: the HTTP status, the error code (from the
// x-ms-error-code header, an XML <Error><Code>, or a JSON odata.error), the message and the
// request id. The one place that knows the three error formats.
#pragma once

#include "storage/http_message.hpp"
#include "storage/status.hpp"

namespace fanfold::storage {

Status StatusFromResponse(const HttpResponse& response);

// OK for a 2xx answer, else StatusFromResponse.
inline Status CheckResponse(const HttpResponse& response) {
  return response.IsSuccess() ? Status::Ok() : StatusFromResponse(response);
}

}  // namespace fanfold::storage

#include "queuestore/message_not_held.hpp"

namespace fanfold::queuestore {

bool IsMessageNotHeld(const storage::Status& status) {
  if (status.code() != storage::StatusCode::kHttpError) return false;
  return (status.http_status() == 404 && status.error_code() == kMessageNotFoundCode) ||
         (status.http_status() == 400 && status.error_code() == kPopReceiptMismatchCode);
}

}  // namespace fanfold::queuestore

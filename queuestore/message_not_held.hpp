// "You no longer hold this message": the one question a consumer asks of a failed Delete Message
// or Update Message. The services word it differently for the same situation (the message's
// visibility ran out and someone else received it, it was deleted, or the pop receipt is stale):
// Azure answers 404 MessageNotFound, Azurite 400 PopReceiptMismatch for a stale receipt, and
// Azure documents PopReceiptMismatch too. Callers test IsMessageNotHeld instead of any of these.
#pragma once

#include "storage/status.hpp"

namespace fanfold::queuestore {

inline constexpr const char* kMessageNotFoundCode = "MessageNotFound";
inline constexpr const char* kPopReceiptMismatchCode = "PopReceiptMismatch";

// True when a Delete Message or Update Message failed because the caller's pop receipt no longer
// gives it the message. The right reaction is to drop the message: whoever holds it now (or held
// it and deleted it) is responsible for it. Note that a retried request whose first attempt
// succeeded but whose answer was lost also ends here (the first attempt used up the receipt).
bool IsMessageNotHeld(const storage::Status& status);

}  // namespace fanfold::queuestore

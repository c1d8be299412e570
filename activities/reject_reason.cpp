#include "activities/reject_reason.hpp"

namespace fanfold::activities {

std::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kLineTooLong:
      return "line_too_long";
    case RejectReason::kQuotedLineBreak:
      return "quoted_line_break";
    case RejectReason::kBadQuoting:
      return "bad_quoting";
    case RejectReason::kFieldCount:
      return "field_count";
    case RejectReason::kNationKeyInvalid:
      return "nation_key_invalid";
    case RejectReason::kNationKeyOutOfRange:
      return "nation_key_out_of_range";
    case RejectReason::kBalanceInvalid:
      return "balance_invalid";
    case RejectReason::kBalanceOutOfRange:
      return "balance_out_of_range";
  }
  return "unknown";
}

std::optional<RejectReason> ParseRejectReason(std::string_view name) {
  for (const RejectReason reason : kAllRejectReasons) {
    if (RejectReasonName(reason) == name) return reason;
  }
  return std::nullopt;
}

}  // namespace fanfold::activities

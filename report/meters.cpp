#include "report/meters.hpp"

namespace fanfold::report {

using storage::OperationKind;

// No default case: -Wswitch (in -Wall, an error with -Werror) makes a new OperationKind fail the
// build until it is given a meter here.
MeterMapping MeterFor(OperationKind kind) {
  switch (kind) {
    case OperationKind::kBlobRead:
      return {"blob_read_10k",
              "Get Blob, whole or a range: one read operation per request (flat namespace; the "
              "per-4 MiB rule applies only to hierarchical-namespace accounts)"};
    case OperationKind::kBlobWrite:
      return {"blob_write_10k", "Put Blob, Put Block, Put Block List: write operations"};
    case OperationKind::kBlobList:
      return {"blob_list_create_10k",
              "List Blobs / List Containers: the \"List and Create Container\" meter"};
    case OperationKind::kBlobProperties:
      return {"blob_other_10k", "Get Blob Properties: \"all other operations\""};
    case OperationKind::kBlobDelete:
      return {
          "blob_other_10k",
          "Delete Blob: listed as free as best known; billed as \"all other\" (an upper bound)"};
    case OperationKind::kBlobContainer:
      return {"blob_list_create_10k",
              "Create Container is on the \"List and Create Container\" meter; Delete Container "
              "(free as best known) is counted with it, an upper bound"};
    case OperationKind::kBlobLease:
      return {"blob_other_10k",
              "Lease Blob (acquire, renew, release, break) and Set Blob Metadata: \"other\" on "
              "general purpose v2 (Microsoft's map of REST operations to transaction categories)"};
    case OperationKind::kTableRead:
      return {"table_transactions_10k", "Get Entity: one table transaction"};
    case OperationKind::kTableWrite:
      return {"table_transactions_10k", "Insert/Update/Merge/Delete Entity: one table transaction"};
    case OperationKind::kTableBatch:
      return {"table_transactions_10k",
              "entity group transaction: billed as one transaction however many entities it holds"};
    case OperationKind::kTableQuery:
      return {"table_transactions_10k",
              "Query Entities: one transaction per page (each continuation is a request)"};
    case OperationKind::kTableAdmin:
      return {"table_transactions_10k", "Create/Delete/Query Tables: one table transaction"};
    case OperationKind::kQueuePut:
      return {"queue_class1_10k", "Put Message: class 1"};
    case OperationKind::kQueueGet:
      return {"queue_class1_10k",
              "Get Messages reads and hides messages: billed as class 1 (GetMessagesWrite), an "
              "upper bound if Azure counts it as class 2; an empty idle poll is billed too"};
    case OperationKind::kQueuePeek:
      return {"queue_class2_10k", "Peek Messages: class 2"};
    case OperationKind::kQueueDelete:
      return {"queue_class1_10k", "Delete Message: class 1"};
    case OperationKind::kQueueUpdate:
      return {"queue_class1_10k", "Update Message (visibility extension): class 1"};
    case OperationKind::kQueueAdmin:
      return {"queue_class1_10k",
              "Create/Delete/Clear Queue are class 1; Get Queue Metadata (class 2) is counted with "
              "them, an upper bound"};
    case OperationKind::kOther:
      return {"blob_write_10k",
              "unclassified request: priced at the dearest operation meter, an upper bound"};
    case OperationKind::kCount:
      break;
  }
  return {"blob_write_10k", "not a kind"};
}

storage::Result<MeterMapping> MeterForName(const std::string& kind_name) {
  for (int i = 0; i < storage::kOperationKindCount; ++i) {
    const auto kind = static_cast<OperationKind>(i);
    if (kind_name == storage::OperationKindName(kind)) return MeterFor(kind);
  }
  return storage::Status::InvalidArgument("unknown storage request kind \"" + kind_name + "\"");
}

}  // namespace fanfold::report

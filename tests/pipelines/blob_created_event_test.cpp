// The BlobCreated event as Event Grid writes it, and job ids: pure logic.
#include "pipelines/blob_created_event.hpp"

#include <gtest/gtest.h>

#include "pipelines/job_id.hpp"
#include "pipelines/job_spec.hpp"
#include "pipelines/upload_metadata.hpp"

namespace fanfold::pipelines {
namespace {

// Shaped like the sample in Azure's Event Grid documentation for Blob storage events.
constexpr const char* kAzureSample = R"([{
  "topic": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
  "subject": "/blobServices/default/containers/uploads/blobs/2026/11/customer.tbl",
  "eventType": "Microsoft.Storage.BlobCreated",
  "eventTime": "2026-11-22T09:41:00.9584103Z",
  "id": "831e1650-001e-001b-66ab-eeb76e069631",
  "data": {
    "api": "PutBlockList",
    "clientRequestId": "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
    "requestId": "831e1650-001e-001b-66ab-eeb76e000000",
    "eTag": "0x8D4BCC2E4835CD0",
    "contentType": "text/plain",
    "contentLength": 24346144,
    "blobType": "BlockBlob",
    "url": "https://acct.blob.core.windows.net/uploads/2026/11/customer.tbl",
    "sequencer": "00000000000004420000000000028963",
    "storageDiagnostics": {"batchId": "b68529f3-68cd-4744-baa4-3c0498ec19f0"}
  },
  "dataVersion": "",
  "metadataVersion": "1"
}])";

TEST(BlobCreatedEventTest, ReadsAnAzureEventBatch) {
  auto events = ParseBlobCreatedEvents(kAzureSample);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  const auto& event = events->front();
  EXPECT_EQ(event.container, "uploads");
  EXPECT_EQ(event.blob, "2026/11/customer.tbl");
  EXPECT_EQ(event.etag, "0x8D4BCC2E4835CD0");
  EXPECT_EQ(event.content_length, 24346144u);
  EXPECT_EQ(event.id, "831e1650-001e-001b-66ab-eeb76e069631");
}

TEST(BlobCreatedEventTest, RoundTripsWhatUploadPosts) {
  BlobCreatedEvent event;
  event.id = "e1";
  event.container = "t1-uploads";
  event.blob = "a b.tbl";
  event.etag = "\"0x1\"";
  event.content_length = 42;
  event.content_type = "text/plain";
  auto parsed = ParseBlobCreatedEvents(BlobCreatedEventToJson(event, "devstoreaccount1"));
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ(parsed->front().blob, "a b.tbl");
  EXPECT_EQ(parsed->front().etag, "0x1");  // Event Grid's form: no quotes
  EXPECT_EQ(parsed->front().content_length, 42u);
}

TEST(BlobCreatedEventTest, SkipsOtherEventTypesAndRefusesGarbage) {
  auto deleted = ParseBlobCreatedEvents(
      R"({"eventType":"Microsoft.Storage.BlobDeleted","subject":"/blobServices/default/containers/c/blobs/b","data":{}})");
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->empty());
  EXPECT_TRUE(ParseBlobCreatedEvents("not json").status().code() ==
              storage::StatusCode::kCorruption);
  // JSON that is no Event Grid event is refused, not skipped as an event of another type.
  for (const char* shape : {R"({"id": 7})", R"([{"eventType": 1}])", "[1]", "42", "null"}) {
    EXPECT_TRUE(ParseBlobCreatedEvents(shape).status().code() == storage::StatusCode::kCorruption)
        << shape;
  }
  EXPECT_TRUE(
      ParseBlobCreatedEvents(
          R"({"eventType":"Microsoft.Storage.BlobCreated","subject":"/x","data":{"eTag":"1"}})")
          .status()
          .code() == storage::StatusCode::kCorruption);
  EXPECT_TRUE(
      ParseBlobCreatedEvents(
          R"({"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/c/blobs/b","data":{}})")
          .status()
          .code() == storage::StatusCode::kCorruption);
}

TEST(JobIdTest, SameUploadSameIdAndChangedBlobNewId) {
  const std::string id = MakeJobId("uploads", "customer.tbl", "\"0x8D1\"");
  EXPECT_EQ(id, MakeJobId("uploads", "customer.tbl", "0x8D1"));  // quotes do not matter
  EXPECT_NE(id, MakeJobId("uploads", "customer.tbl", "0x8D2"));
  EXPECT_NE(id, MakeJobId("uploads", "customer2.tbl", "0x8D1"));
  EXPECT_NE(id, MakeJobId("uploadscustomer.tbl", "", "0x8D1"));
  EXPECT_EQ(id.rfind("customer-tbl-", 0), 0u) << id;
  EXPECT_EQ(id.size(), std::string("customer-tbl-").size() + 16);
  // Names of any kind give ids valid as keys and queue-name parts.
  const std::string odd = MakeJobId("c", "dir/..\\'#?/%ÄÖ.csv", "1");
  for (const char c : odd)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-') << odd;
}

TEST(JobSpecTest, RoundTripsAndRefusesBadFields) {
  JobSpec spec;
  spec.job = "j-1";
  spec.pipeline = PipelineKind::kChained;
  spec.container = "uploads";
  spec.blob = "b";
  spec.etag = "\"0x1\"";
  spec.size = 10;
  spec.chunk_count = 7;
  spec.max_attempts = 4;
  auto back = JobSpecFromJson(JobSpecToJson(spec));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, spec);
  EXPECT_FALSE(
      JobSpecFromJson(R"({"job":"j","pipeline":"queue","container":"c","blob":"b","etag":"e"})")
          .ok());
  EXPECT_FALSE(
      JobSpecFromJson(
          R"({"job":"j","pipeline":"chained","container":"c","blob":"b","etag":"e","chunkz":3})")
          .ok());
  // The trigger's probe: kept when there, absent in specs of before it, refused when garbage.
  spec.format = activities::InputFormat::kCsv;
  spec.has_header = true;
  back = JobSpecFromJson(JobSpecToJson(spec));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, spec);
  ASSERT_TRUE(back->Probe().has_value());
  EXPECT_TRUE(back->Probe()->has_header);
  for (const char* header : {R"("yes")", "1", "null", "[true]"}) {
    EXPECT_FALSE(
        JobSpecFromJson(std::string(R"({"job":"j","pipeline":"chained","container":"c",)") +
                        R"("blob":"b","etag":"e","header":)" + header + "}")
            .ok())
        << header;
  }
  // A header without a detected format is no probe: the stages probe the blob themselves.
  spec.format = activities::InputFormat::kAuto;
  EXPECT_FALSE(spec.Probe().has_value());
}

TEST(UploadMetadataTest, RoundTripsAndNamesBadEntries) {
  UploadOptions options;
  options.pipeline = PipelineKind::kChained;
  options.chunk_count = 100;
  auto back = UploadOptionsFromMetadata(UploadOptionsToMetadata(options));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->pipeline, PipelineKind::kChained);
  EXPECT_EQ(back->chunk_count, 100u);
  EXPECT_TRUE(UploadOptionsFromMetadata({}).ok());
  auto bad = UploadOptionsFromMetadata({{"FanfoldChunks", "zero"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("fanfoldchunks"), std::string::npos);
  EXPECT_FALSE(
      UploadOptionsFromMetadata({{"fanfoldchunks", "3"}, {"fanfoldchunkbytes", "9"}}).ok());
}

}  // namespace
}  // namespace fanfold::pipelines

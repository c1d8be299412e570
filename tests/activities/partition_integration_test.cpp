// The partition activity against the storage fixture: what it costs (one HEAD and at most one
// ranged read), what it detects from the head, and every refusal with the reason it gives.
#include <gtest/gtest.h>

#include "aggregate_test_util.hpp"
#include "blob_job_test_support.hpp"

namespace fanfold::activities {
namespace {

using storage::OperationKind;
using testing_util::BlobJobTest;
using testing_util::ReadFileOrDie;
using testing_util::SampleFilePath;

class PartitionTest : public BlobJobTest {
 protected:
  // Partitions `content`, expecting a refusal; returns its status.
  storage::Status Refusal(const std::string& name, std::string content, PartitionInput input) {
    Upload(name, std::move(content));
    input.container = container_;
    input.blob = name;
    auto partition = PartitionBlob(*blobs_, input);
    EXPECT_FALSE(partition.ok());
    return partition.ok() ? storage::Status::Ok() : partition.status();
  }
};

bool Contains(const storage::Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

TEST_F(PartitionTest, CostsOneHeadAndOneRangedReadOfTheHead) {
  const std::string file = ReadFileOrDie(SampleFilePath());
  const std::string etag = Upload("sample.tbl", file);
  const auto before = Counters();
  auto partition = PartitionBlob(*blobs_, PartitionOf("sample.tbl", 7));
  ASSERT_TRUE(partition.ok()) << partition.status().ToString();
  const auto delta = Counters() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobProperties), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobRead), 1u);
  EXPECT_EQ(delta.total_operations(), 2u);
  EXPECT_EQ(delta.total_attempts(), 2u);
  EXPECT_EQ(delta.bytes_received, kDefaultMaxLineBytes + 1);  // the head, nothing more

  EXPECT_EQ(partition->container, container_);
  EXPECT_EQ(partition->blob, "sample.tbl");
  EXPECT_EQ(partition->etag, etag);
  EXPECT_EQ(partition->size, file.size());
  EXPECT_EQ(partition->format, InputFormat::kTpch);
  EXPECT_FALSE(partition->has_header);
  EXPECT_EQ(partition->max_line_bytes, kDefaultMaxLineBytes);
  auto expected_plan = PlanChunks(file.size(), 7);
  ASSERT_TRUE(expected_plan.ok());
  EXPECT_EQ(partition->plan, *expected_plan);
}

TEST_F(PartitionTest, PlansByChunkSizeAndHonoursAForcedFormat) {
  Upload("small.csv",
         "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,x,y\n1,a,b,3,p,1.00,m,c\n");
  PartitionInput input = PartitionOf("small.csv", 0, InputFormat::kTpch);
  input.chunk_bytes = 10;
  auto partition = PartitionBlob(*blobs_, input);
  ASSERT_TRUE(partition.ok()) << partition.status().ToString();
  EXPECT_EQ(partition->format, InputFormat::kTpch);  // as told, although it looks like CSV
  EXPECT_FALSE(partition->has_header);               // not a TPC-H header
  EXPECT_EQ(partition->plan.chunks.size(), 8u);      // 80 bytes in chunks of 10
  EXPECT_EQ(partition->plan.chunks.back(), (ChunkRange{7, 70, 80}));

  input.format = InputFormat::kAuto;
  partition = PartitionBlob(*blobs_, input);
  ASSERT_TRUE(partition.ok());
  EXPECT_EQ(partition->format, InputFormat::kCsv);
  EXPECT_TRUE(partition->has_header);

  input.chunk_count = 2;  // and a chunk size: ambiguous
  partition = PartitionBlob(*blobs_, input);
  ASSERT_FALSE(partition.ok());
  EXPECT_TRUE(partition.status().IsInvalidArgument());
}

TEST_F(PartitionTest, RefusesABlobLargerThanTheMaximumWithoutReadingIt) {
  PartitionInput input;
  input.max_file_bytes = 999;
  const std::string content(1000, '\n');
  const auto before = Counters();
  const storage::Status refused = Refusal("big.tbl", content, input);
  EXPECT_TRUE(refused.IsInvalidArgument()) << refused.ToString();
  EXPECT_TRUE(Contains(refused, "1000 bytes, more than the job's maximum of 999 bytes"))
      << refused.message();
  EXPECT_TRUE(Contains(refused, "max_file_bytes")) << refused.message();
  const auto delta = Counters() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobRead), 0u);  // refused before reading
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobProperties), 1u);

  input.max_file_bytes = 1000;  // at the maximum is fine
  input.container = container_;
  input.blob = "big.tbl";
  EXPECT_TRUE(PartitionBlob(*blobs_, input).ok());
}

TEST_F(PartitionTest, RefusesBinaryContentWithTheDocumentedReason) {
  std::string with_nul = "1|Customer#1|addr|3|phone|1.00|seg|comment|\n2|x";
  ASSERT_EQ(with_nul.size(), 47u);
  with_nul += '\0';
  with_nul += "|more\n";
  storage::Status refused = Refusal("nul.tbl", with_nul, {});
  EXPECT_TRUE(refused.IsInvalidArgument()) << refused.ToString();
  EXPECT_TRUE(Contains(refused, "is not a text file: byte 47 is NUL (0x00)")) << refused.message();
  EXPECT_TRUE(Contains(refused, "UTF-8")) << refused.message();

  // gzip magic, then deflate bytes: named, with what to do.
  refused = Refusal("file.tbl.gz", std::string("\x1F\x8B\x08\x00\x00\x00\x00\x00", 8), {});
  EXPECT_TRUE(refused.IsInvalidArgument());
  EXPECT_TRUE(Contains(refused, "byte 1 (0x8B) cannot start a UTF-8 character"))
      << refused.message();
  EXPECT_TRUE(Contains(refused, "gzip archive: decompress it")) << refused.message();

  // Latin-1 'é' inside an otherwise ASCII line.
  refused = Refusal("latin1.csv", "a,b,caf\xE9,3,p,1.00,m,c\n", {});
  EXPECT_TRUE(refused.IsInvalidArgument());
  EXPECT_TRUE(Contains(refused, "byte 7 (0xE9) starts an invalid UTF-8 sequence"))
      << refused.message();

  // UTF-8 text (with a BOM and non-ASCII letters) is text.
  Upload("utf8.csv", "\xEF\xBB\xBFname,x\n1,Zo\xC3\xAB,addr,3,p,1.00,m,\xE2\x82\xAC\n");
  EXPECT_TRUE(PartitionBlob(*blobs_, PartitionOf("utf8.csv", 2)).ok());
}

TEST_F(PartitionTest, ACharacterCutByTheEndOfTheHeadIsNotAnError) {
  // The head is max_line_bytes + 1 = 9 bytes here; '€' (3 bytes) starts at byte 8.
  PartitionInput input = PartitionOf("cut.csv", 1);
  input.max_line_bytes = 8;
  Upload("cut.csv", "abcdefgh\xE2\x82\xAC\n");
  EXPECT_TRUE(PartitionBlob(*blobs_, input).ok());
  // The same bytes as the whole file: the character really is cut.
  Upload("cut.csv", "abcdefgh\xE2");
  auto refused = PartitionBlob(*blobs_, input);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Contains(refused.status(), "byte 8 (0xE2) starts a UTF-8 character cut by the"))
      << refused.status().message();
}

TEST_F(PartitionTest, MissingOrReplacedBlobIsAClearFailure) {
  auto missing = PartitionBlob(*blobs_, PartitionOf("never-uploaded.tbl", 4));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  EXPECT_TRUE(Contains(missing.status(), "does not exist")) << missing.status().message();
  EXPECT_TRUE(Contains(missing.status(), "upload the file first")) << missing.status().message();

  const std::string first = Upload("data.tbl", "1|a|b|3|p|1.00|m|c|\n");
  const std::string second = Upload("data.tbl", "1|a|b|3|p|2.00|m|c|\n");
  ASSERT_NE(first, second);
  PartitionInput input = PartitionOf("data.tbl", 1);
  input.expected_etag = first;
  const auto before = Counters();
  auto stale = PartitionBlob(*blobs_, input);
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(stale.status().IsPreconditionFailed()) << stale.status().ToString();
  EXPECT_TRUE(Contains(stale.status(), "submit the job again")) << stale.status().message();
  EXPECT_EQ((Counters() - before).total_operations(), 1u);

  input.expected_etag = second;
  auto current = PartitionBlob(*blobs_, input);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(current->etag, second);
}

TEST_F(PartitionTest, InvalidInputSendsNothing) {
  const auto before = Counters();
  PartitionInput input = PartitionOf("x.tbl", 1);
  input.max_line_bytes = 0;
  EXPECT_TRUE(PartitionBlob(*blobs_, input).status().IsInvalidArgument());
  input = PartitionOf("", 1);
  EXPECT_TRUE(PartitionBlob(*blobs_, input).status().IsInvalidArgument());
  input = PartitionOf("x.tbl", 1);
  input.max_file_bytes = 0;
  EXPECT_TRUE(PartitionBlob(*blobs_, input).status().IsInvalidArgument());
  EXPECT_EQ((Counters() - before).total_operations(), 0u);
}

}  // namespace
}  // namespace fanfold::activities

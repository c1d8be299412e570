// Parsing of canned List Containers / List Blobs answers in the shape Azure sends them, and the
// Put Block List body.
#include "storage/blob/blob_xml.hpp"

#include <gtest/gtest.h>

#include "storage/http_date.hpp"

namespace fanfold::storage {
namespace {

constexpr const char* kContainerList = R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://acct.blob.core.windows.net/">
  <Prefix>fan</Prefix>
  <MaxResults>2</MaxResults>
  <Containers>
    <Container>
      <Name>fanfold-a</Name>
      <Properties>
        <Last-Modified>Wed, 26 Oct 2022 08:12:01 GMT</Last-Modified>
        <Etag>"0x8DAB72D0A1B2C3D"</Etag>
        <LeaseStatus>unlocked</LeaseStatus>
      </Properties>
    </Container>
    <Container>
      <Name>fanfold-b</Name>
      <Properties>
        <Last-Modified>Thu, 27 Oct 2022 09:00:00 GMT</Last-Modified>
        <Etag>0x8DAB72D0FFFFFFF</Etag>
      </Properties>
    </Container>
  </Containers>
  <NextMarker>/acct/fanfold-c</NextMarker>
</EnumerationResults>)";

constexpr const char* kBlobList = R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://acct.blob.core.windows.net/" ContainerName="data">
  <Prefix>runs/</Prefix>
  <Marker />
  <MaxResults>10</MaxResults>
  <Blobs>
    <Blob>
      <Name>runs/0001.json</Name>
      <Properties>
        <Creation-Time>Wed, 26 Oct 2022 08:12:01 GMT</Creation-Time>
        <Last-Modified>Wed, 26 Oct 2022 08:12:02 GMT</Last-Modified>
        <Etag>0x8DAB72D0A1B2C3D</Etag>
        <Content-Length>1234</Content-Length>
        <Content-Type>application/json</Content-Type>
        <Content-MD5>1B2M2Y8AsgTpgAmY7PhCfg==</Content-MD5>
        <BlobType>BlockBlob</BlobType>
      </Properties>
      <Metadata>
        <owner>fanfold</owner>
        <Stage>2</Stage>
      </Metadata>
    </Blob>
    <Blob>
      <Name>runs/a &amp; b.bin</Name>
      <Properties>
        <Last-Modified>Thu, 27 Oct 2022 09:00:00 GMT</Last-Modified>
        <Etag>"0x8DAB72D0FFFFFFF"</Etag>
        <Content-Length>0</Content-Length>
        <Content-Type />
      </Properties>
    </Blob>
  </Blobs>
  <NextMarker />
</EnumerationResults>)";

TEST(BlobXmlTest, ParsesContainerListWithNextMarker) {
  Result<BlobContainerListPage> page = ParseContainerListXml(kContainerList);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->containers.size(), 2u);
  EXPECT_EQ(page->containers[0].name, "fanfold-a");
  EXPECT_EQ(page->containers[0].etag, "\"0x8DAB72D0A1B2C3D\"");
  EXPECT_EQ(page->containers[0].last_modified, *ParseRfc1123("Wed, 26 Oct 2022 08:12:01 GMT"));
  EXPECT_EQ(page->containers[1].name, "fanfold-b");
  // Unquoted in the listing, quoted in the model, like a header ETag.
  EXPECT_EQ(page->containers[1].etag, "\"0x8DAB72D0FFFFFFF\"");
  EXPECT_EQ(page->next_marker, "/acct/fanfold-c");
}

TEST(BlobXmlTest, ParsesBlobListItemsAndLastPage) {
  Result<BlobListPage> page = ParseBlobListXml(kBlobList);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->blobs.size(), 2u);
  const BlobItem& first = page->blobs[0];
  EXPECT_EQ(first.name, "runs/0001.json");
  EXPECT_EQ(first.size, 1234u);
  EXPECT_EQ(first.etag, "\"0x8DAB72D0A1B2C3D\"");
  EXPECT_EQ(first.last_modified, *ParseRfc1123("Wed, 26 Oct 2022 08:12:02 GMT"));
  EXPECT_EQ(first.content_type, "application/json");
  EXPECT_EQ(first.content_md5, "1B2M2Y8AsgTpgAmY7PhCfg==");
  EXPECT_EQ(first.metadata, (BlobMetadata{{"owner", "fanfold"}, {"Stage", "2"}}));
  const BlobItem& second = page->blobs[1];
  EXPECT_EQ(second.name, "runs/a & b.bin");
  EXPECT_EQ(second.size, 0u);
  EXPECT_EQ(second.etag, "\"0x8DAB72D0FFFFFFF\"");
  EXPECT_EQ(second.content_type, "");
  EXPECT_TRUE(second.metadata.empty());
  EXPECT_EQ(page->next_marker, "");
}

TEST(BlobXmlTest, EmptyListingIsAnEmptyLastPage) {
  Result<BlobListPage> page = ParseBlobListXml(
      R"(<?xml version="1.0"?><EnumerationResults><Blobs /><NextMarker /></EnumerationResults>)");
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->blobs.empty());
  EXPECT_TRUE(page->next_marker.empty());
}

TEST(BlobXmlTest, MalformedListingsAreCorruption) {
  EXPECT_EQ(ParseBlobListXml("<EnumerationResults><Blobs>").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ParseBlobListXml("<Error><Code>x</Code></Error>").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ParseContainerListXml("not xml at all").status().code(), StatusCode::kCorruption);
  // An item whose size cannot be read must not become a blob of size 0.
  EXPECT_EQ(ParseBlobListXml("<EnumerationResults><Blobs><Blob><Name>x</Name><Properties>"
                             "<Content-Length>12a</Content-Length></Properties></Blob></Blobs>"
                             "</EnumerationResults>")
                .status()
                .code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ParseContainerListXml("<EnumerationResults><Containers><Container><Properties/>"
                                  "</Container></Containers></EnumerationResults>")
                .status()
                .code(),
            StatusCode::kCorruption);
}

TEST(BlobXmlTest, BuildsBlockListInOrder) {
  EXPECT_EQ(BuildBlockListXml({"QUFB", "QkJC", "Q0ND"}),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>QUFB</Latest>"
            "<Latest>QkJC</Latest><Latest>Q0ND</Latest></BlockList>");
  EXPECT_EQ(BuildBlockListXml({}),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList></BlockList>");
}

TEST(BlobXmlTest, QuoteEtagKeepsQuotedAndEmptyValues) {
  EXPECT_EQ(QuoteEtag("0x1"), "\"0x1\"");
  EXPECT_EQ(QuoteEtag("\"0x1\""), "\"0x1\"");
  EXPECT_EQ(QuoteEtag(""), "");
}

}  // namespace
}  // namespace fanfold::storage

// Tests for the MAPI-to-RFC 822 conversion and compressed RTF (src/extract/outlook/
// mapi_message.cc).
#include "extract/outlook/mapi_message.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::RecordingSink;

Result<Extraction> ReadComposed(const std::string& rfc822, RecordingSink& sink) {
  Input input;
  input.bytes = rfc822;
  input.name = "composed.eml";
  input.media_type = "message/rfc822";
  return NewEmailExtractor()->Extract(input, sink);
}

TEST(ComposeRfc822, BuildsHeadersFromPropertiesWhenNoTransportHeaders) {
  MapiMessage message;
  message.subject = "Quarterly figures — draft";
  message.sender_name = "Anne Example";
  message.sender_address = "anne@example.org";
  message.recipients = {{mapi::kRecipientTo, "Bob", "bob@example.org"},
                        {mapi::kRecipientCc, "Carol \"CJ\" Doe", "carol@example.org"},
                        {mapi::kRecipientTo, "Exchange User", "/O=ORG/OU=SITE/CN=USER"}};
  message.date = 1233256600;
  message.message_id = "<abc@example.org>";
  message.in_reply_to = "<parent@example.org>";
  message.body_text = "Figures attached.";
  message.attachments.push_back({"figures.csv", "text/csv", "a,b\n1,2\n"});
  RecordingSink sink;
  Result<Extraction> result = ReadComposed(ComposeRfc822(message), sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Quarterly figures — draft");
  EXPECT_THAT(result->from, ElementsAre("Anne Example <anne@example.org>"));
  EXPECT_THAT(result->cc, ElementsAre("Carol \"CJ\" Doe <carol@example.org>"));
  EXPECT_THAT(result->to, ElementsAre("Bob <bob@example.org>", "Exchange User"));
  EXPECT_EQ(result->date, 1233256600);
  EXPECT_EQ(result->message_id, "abc@example.org");
  EXPECT_EQ(result->in_reply_to, "parent@example.org");
  EXPECT_EQ(result->text, "Figures attached.");
  ASSERT_EQ(sink.children.size(), 1u);
  EXPECT_EQ(sink.children[0].name, "figures.csv");
  EXPECT_EQ(sink.children[0].bytes, "a,b\n1,2\n");
}

TEST(ComposeRfc822, PropertiesCannotInjectHeaders) {
  MapiMessage message;
  message.subject = "hello\r\nBcc: spy@example.org\r\n\r\nfake body";
  message.body_text = "real body";
  RecordingSink sink;
  Result<Extraction> result = ReadComposed(ComposeRfc822(message), sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->bcc, IsEmpty());
  EXPECT_EQ(result->text, "real body");
}

TEST(ComposeRfc822, KeepsTransportHeadersButNotTheirMimeStructure) {
  MapiMessage message;
  message.transport_headers =
      "From: Dan <dan@example.org>\r\nTo: eve@example.org\r\nSubject: original\r\n"
      "Message-ID: <orig@example.org>\r\nReferences: <a@x> <b@x>\r\n"
      "Content-Type: multipart/alternative;\r\n boundary=\"zzz\"\r\nMIME-Version: 1.0\r\n\r\n";
  message.subject = "ignored: the transport header wins";
  message.body_html = "<html><body><p>HTML only</p></body></html>";
  RecordingSink sink;
  Result<Extraction> result = ReadComposed(ComposeRfc822(message), sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "original");
  EXPECT_THAT(result->from, ElementsAre("Dan <dan@example.org>"));
  EXPECT_THAT(result->references, ElementsAre("a@x", "b@x"));
  EXPECT_THAT(result->text, HasSubstr("HTML only"));
}

TEST(ComposeRfc822, UsesTheRtfBodyWhenThereIsNoOther) {
  MapiMessage message;
  message.body_rtf = "{\\rtf1\\ansi Only {\\b RTF} here\\par}";
  RecordingSink sink;
  Result<Extraction> result = ReadComposed(ComposeRfc822(message), sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(result->text, HasSubstr("Only RTF here"));
}

TEST(DecompressRtf, DecodesTheSpecificationExample) {
  // MS-OXRTFCP 3.1.1: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n", compressed.
  const unsigned char compressed[] = {0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a,
                                      0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00,
                                      0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a,
                                      0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77,
                                      0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0};
  Result<std::string> rtf = DecompressRtf(
      std::string_view(reinterpret_cast<const char*>(compressed), sizeof(compressed)), 1 << 20);
  ASSERT_TRUE(rtf.ok()) << rtf.status().ToString();
  EXPECT_EQ(*rtf, "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
}

TEST(DecompressRtf, RejectsDamagedHeadersAndBoundsOutput) {
  EXPECT_FALSE(DecompressRtf("short", 100).ok());
  EXPECT_FALSE(DecompressRtf(std::string(16, '\0'), 100).ok());  // unknown type
  // A header claiming 4 GiB of output, with references only: output stops at the cap.
  std::string bomb("\x00\x00\x00\x00\xff\xff\xff\xff\x4c\x5a\x46\x75\x00\x00\x00\x00", 16);
  for (int idx = 0; idx < 1000; ++idx)
    bomb += std::string("\xff\x00\x1f\x00\x1f\x00\x1f\x00\x1f\x00\x1f\x00\x1f\x00\x1f\x00\x1f", 17);
  Result<std::string> rtf = DecompressRtf(bomb, 4096);
  ASSERT_TRUE(rtf.ok());
  EXPECT_LE(rtf->size(), 4096u);
}

}  // namespace
}  // namespace trove::extract::internal

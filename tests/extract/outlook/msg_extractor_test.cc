// Tests for the Outlook .msg extractor (src/extract/outlook/msg_extractor.cc) on real files from
// the shared corpus (../shared/data/hostile-docs).
#include <algorithm>
#include <memory>
#include <random>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/registry.h"
#include "tests/extract/common/fixture.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::HostileDoc;
using testing::RecordingSink;
using ::testing::StartsWith;

constexpr char kMsgType[] = "application/vnd.ms-outlook";

Result<Extraction> ExtractMsg(const std::string& bytes, RecordingSink& sink) {
  return testing::ExtractBytes(*internal::NewMsgExtractor(), bytes, "message.msg", kMsgType, sink);
}

TEST(MsgExtractor, ReadsSubjectSenderBodyAndInlineImagesOfOutlook2003Message) {
  const std::string bytes = HostileDoc("tika/test-outlook2003.msg");
  EXPECT_EQ(DetectMediaType(bytes, "test-outlook2003.msg"), kMsgType);
  EXPECT_EQ(TypeFamily(kMsgType), "email");
  RecordingSink sink;
  Result<Extraction> result = ExtractMsg(bytes, sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Welcome to Microsoft Office Outlook 2003");
  EXPECT_THAT(result->from, Contains("Microsoft Outlook 2003 Team <olteam@microsoft.com>"));
  EXPECT_THAT(result->text, HasSubstr("Thank you for using Microsoft"));
  ASSERT_FALSE(sink.children.empty());
  EXPECT_EQ(sink.children.front().name, "1.jpg");
  EXPECT_EQ(sink.children.front().bytes.substr(0, 3), "\xff\xd8\xff");  // a real JPEG
}

TEST(MsgExtractor, ReadsRecipientsDateAndMessageId) {
  RecordingSink sink;
  Result<Extraction> result = ExtractMsg(HostileDoc("tika/testMSG.msg"), sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "MIME registry use cases");
  EXPECT_THAT(result->from, Contains("Jukka Zitting <jukka.zitting@gmail.com>"));
  EXPECT_THAT(result->to, Contains("tika-dev@lucene.apache.org"));
  EXPECT_EQ(result->message_id, "510143ac0901291116s5f368dfby9d6423ce61acc36a@mail.gmail.com");
  ASSERT_TRUE(result->date.has_value());
  EXPECT_EQ(*result->date, 1233256600);  // 2009-01-29 19:16:40 UTC
  EXPECT_THAT(result->text, HasSubstr("making the type detection code more"));
}

TEST(MsgExtractor, ReadsGermanNewsletter) {
  RecordingSink sink;
  const std::string bytes = HostileDoc("ingest-file/piste.msg");
  EXPECT_EQ(DetectMediaType(bytes, "piste.msg"), kMsgType);
  Result<Extraction> result = ExtractMsg(bytes, sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Ab auf die Piste!");
  EXPECT_THAT(result->from, Contains("GMX Magazin <mailings@gmxnet.de>"));
  EXPECT_THAT(result->text, HasSubstr("Ausgabe: 47/2010"));
}

TEST(MsgExtractor, AttachedMessageAndPdfBecomeChildren) {
  RecordingSink sink;
  Result<Extraction> result = ExtractMsg(HostileDoc("tika/testMSG_att_msg.msg"), sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "test email");
  ASSERT_EQ(sink.children.size(), 2u);
  const auto pdf = std::find_if(sink.children.begin(), sink.children.end(),
                                [](const ChildFile& c) { return c.name.ends_with(".pdf"); });
  ASSERT_NE(pdf, sink.children.end());
  EXPECT_THAT(pdf->bytes, StartsWith("%PDF-"));
  const auto message = std::find_if(sink.children.begin(), sink.children.end(),
                                    [](const ChildFile& c) { return c.name == "Test Attachment"; });
  ASSERT_NE(message, sink.children.end());
  // The attached message is written as RFC 822 and detected as such by its content.
  EXPECT_EQ(DetectMediaType(message->bytes, message->name), "message/rfc822");
  RecordingSink inner_sink;
  Input input;
  input.bytes = message->bytes;
  input.name = message->name;
  input.media_type = "message/rfc822";
  Result<Extraction> inner = internal::NewEmailExtractor()->Extract(input, inner_sink);
  ASSERT_TRUE(inner.ok()) << inner.status().ToString();
  EXPECT_FALSE(inner->title.empty());
}

TEST(MsgExtractor, ReportsMessageClassOfAppointment) {
  RecordingSink sink;
  Result<Extraction> result = ExtractMsg(HostileDoc("tika/testMSG_Appointment.msg"), sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->title, "Quick brown fox");
  EXPECT_THAT(result->metadata,
              Contains(std::pair<std::string, std::string>("message class", "IPM.Appointment")));
}

TEST(MsgExtractor, RejectsOleFileThatIsNoMessage) {
  RecordingSink sink;
  Result<Extraction> result = ExtractMsg(HostileDoc("tika/testWORD.doc"), sink);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().Is(StatusCode::kUnsupported)) << result.status().ToString();
}

TEST(MsgExtractor, SurvivesTruncatedAndRandomInput) {
  const std::string bytes = HostileDoc("tika/testMSG_att_msg.msg");
  for (std::size_t size : {0ul, 7ul, 512ul, 4096ul, bytes.size() / 2, bytes.size() - 1}) {
    RecordingSink sink;
    (void)ExtractMsg(bytes.substr(0, size), sink);  // any status; no crash
  }
  std::mt19937 random(42);
  for (int round = 0; round < 20; ++round) {
    std::string damaged = bytes;
    for (int flip = 0; flip < 200; ++flip) {
      damaged[random() % damaged.size()] = static_cast<char>(random());
    }
    RecordingSink sink;
    (void)ExtractMsg(damaged, sink);
  }
}

}  // namespace
}  // namespace trove::extract

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "core/text.h"
#include "extract/internal/builtin.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using testing::RecordingSink;

Result<Extraction> Extract(std::string_view bytes, RecordingSink& sink, Limits limits = {}) {
  std::unique_ptr<Extractor> extractor = internal::NewEmailExtractor();
  Input input;
  input.bytes = bytes;
  input.name = "test.eml";
  input.media_type = "message/rfc822";
  input.limits = limits;
  return extractor->Extract(input, sink);
}

constexpr std::string_view kHeaders =
    "From: =?UTF-8?Q?Fran=C3=A7ois_P=C3=A9rez?= <francois@example.org>\r\n"
    "To: Ann <ann@example.com>, bob@example.com\r\n"
    "Cc: Undisclosed: carol@example.net, \"Dan D.\" <dan@example.net>;\r\n"
    "Bcc: eve@example.com\r\n"
    "Subject: =?ISO-8859-1?Q?R=E9union_=E0_Paris?=\r\n"
    "Date: Mon, 21 Nov 2011 11:30:00 +0130\r\n"
    "Message-ID: <msg-1@example.org>\r\n"
    "In-Reply-To: <msg-0@example.org>\r\n"
    "References: <root@example.org>\r\n <msg-0@example.org>\r\n"
    "X-Mailer: TestMailer 1.0\r\n";

TEST(EmailExtractor, AcceptsRfc822) {
  std::unique_ptr<Extractor> extractor = internal::NewEmailExtractor();
  EXPECT_EQ(extractor->Name(), "email");
  EXPECT_TRUE(extractor->Accepts("message/rfc822"));
  EXPECT_FALSE(extractor->Accepts("application/mbox"));
}

TEST(EmailExtractor, ReadsHeaders) {
  const std::string message =
      std::string(kHeaders) + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello there.\r\n";
  RecordingSink sink;
  Result<Extraction> extraction = Extract(message, sink);
  ASSERT_TRUE(extraction.ok()) << extraction.status().ToString();
  EXPECT_EQ(extraction->title, "R\xC3\xA9union \xC3\xA0 Paris");
  EXPECT_EQ(extraction->from,
            std::vector<std::string>{"Fran\xC3\xA7ois P\xC3\xA9rez <francois@example.org>"});
  EXPECT_EQ(extraction->to, (std::vector<std::string>{"Ann <ann@example.com>", "bob@example.com"}));
  EXPECT_EQ(extraction->cc,
            (std::vector<std::string>{"carol@example.net", "Dan D. <dan@example.net>"}));
  EXPECT_EQ(extraction->bcc, std::vector<std::string>{"eve@example.com"});
  ASSERT_TRUE(extraction->date.has_value());
  EXPECT_EQ(*extraction->date, 1321869600);  // 2011-11-21T10:00:00Z
  EXPECT_EQ(extraction->message_id, "msg-1@example.org");
  EXPECT_EQ(extraction->in_reply_to, "msg-0@example.org");
  EXPECT_EQ(extraction->references,
            (std::vector<std::string>{"root@example.org", "msg-0@example.org"}));
  EXPECT_EQ(extraction->text, "Hello there.");
  EXPECT_TRUE(sink.children.empty());
}

TEST(EmailExtractor, KeepsTheNameOfAnEmptyGroup) {
  const std::string message =
      "From: a@example.org\r\nTo: undisclosed-recipients:;\r\nCc: Team: b@example.org;\r\n"
      "Subject: s\r\n\r\nbody\r\n";
  RecordingSink sink;
  Result<Extraction> extraction = Extract(message, sink);
  ASSERT_TRUE(extraction.ok()) << extraction.status().ToString();
  EXPECT_EQ(extraction->to, std::vector<std::string>{"undisclosed-recipients"});
  EXPECT_EQ(extraction->cc, std::vector<std::string>{"b@example.org"});  // members, not the name
}

TEST(EmailExtractor, DecodesBodyCharsetAndTransferEncoding) {
  const std::string message =
      "From: a@example.com\r\nSubject: x\r\n"
      "Content-Type: text/plain; charset=iso-8859-1\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
      "Gr=FC=DFe aus K=F6ln, soft=\r\nbreak\r\n";
  RecordingSink sink;
  Result<Extraction> extraction = Extract(message, sink);
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->text,
            "Gr\xC3\xBC\xC3\x9F"
            "e aus K\xC3\xB6ln, softbreak");
}

TEST(EmailExtractor, PrefersPlainOverHtmlAlternative) {
  const std::string message =
      "From: a@example.com\r\nSubject: alt\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
      "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nplain version\r\n"
      "--b1\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<p>html <b>version</b></p>\r\n"
      "--b1--\r\n";
  RecordingSink sink;
  Result<Extraction> extraction = Extract(message, sink);
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->text, "plain version");
  EXPECT_TRUE(sink.children.empty());
}

TEST(EmailExtractor, ConvertsHtmlOnlyBody) {
  const std::string message =
      "From: a@example.com\r\nSubject: html\r\n"
      "Content-Type: text/html; charset=utf-8\r\n\r\n"
      "<html><head><style>p{}</style></head><body><p>Dear friend,</p><p>Buy <i>now</i>"
      "</p><script>track()</script></body></html>\r\n";
  RecordingSink sink;
  Result<Extraction> extraction = Extract(message, sink);
  ASSERT_TRUE(extraction.ok());
  EXPECT_EQ(extraction->text, "Dear friend,\n\nBuy now");
}

const std::string kMixed =
    "From: a@example.com\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
    "--outer\r\nContent-Type: multipart/related; boundary=\"inner\"\r\n\r\n"
    "--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See <img src=cid:i1></p>\r\n"
    "--inner\r\nContent-Type: image/png\r\nContent-ID: <i1>\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
    "--inner--\r\n"
    "--outer\r\nContent-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQgZmFrZQ==\r\n"
    "--outer\r\nContent-Type: text/plain; name=\"=?UTF-8?B?R3LDvMOfZQ==?=.txt\"\r\n"
    "Content-Disposition: attachment\r\n\r\nattached text\r\n"
    "--outer\r\nContent-Type: message/rfc822\r\n\r\n"
    "From: inner@example.com\r\nSubject: forwarded\r\n\r\ninner body\r\n"
    "--outer\r\nContent-Type: application/octet-stream\r\n"
    "Content-Disposition: attachment; filename=\"../../etc/passwd\"\r\n\r\nroot\r\n"
    "--outer--\r\n";

TEST(EmailExtractor, EmitsEveryNonBodyPartAsChild) {
  RecordingSink sink;
  Result<Extraction> extraction = Extract(kMixed, sink);
  ASSERT_TRUE(extraction.ok()) << extraction.status().ToString();
  EXPECT_EQ(extraction->text, "See");
  ASSERT_EQ(sink.children.size(), 5u);
  EXPECT_EQ(sink.children[0].name, "attachment-1.png");
  EXPECT_EQ(sink.children[0].media_type, "image/png");
  EXPECT_EQ(sink.children[0].bytes, "\x89PNG\r\n\x1A\n");
  EXPECT_EQ(sink.children[1].name, "r\xC3\xA9sum\xC3\xA9.pdf");
  EXPECT_EQ(sink.children[1].media_type, "application/pdf");
  EXPECT_EQ(sink.children[1].bytes, "%PDF-1.4 fake");
  EXPECT_EQ(sink.children[2].name,
            "Gr\xC3\xBC\xC3\x9F"
            "e.txt");
  EXPECT_EQ(sink.children[2].media_type, "text/plain");
  EXPECT_EQ(sink.children[2].bytes, "attached text");
  EXPECT_EQ(sink.children[3].name, "attachment-2.eml");
  EXPECT_EQ(sink.children[3].media_type, "message/rfc822");
  EXPECT_NE(sink.children[3].bytes.find("Subject: forwarded"), std::string::npos);
  EXPECT_NE(sink.children[3].bytes.find("inner body"), std::string::npos);
  EXPECT_EQ(sink.children[4].name, "passwd");
  EXPECT_TRUE(sink.failures.empty());
}

TEST(EmailExtractor, ReportsChildOverLimitAsFailed) {
  RecordingSink sink;
  Limits limits;
  limits.max_child_bytes = 10;
  Result<Extraction> extraction = Extract(kMixed, sink, limits);
  ASSERT_TRUE(extraction.ok());
  // The PNG (8 bytes) and the passwd file (6 bytes) fit; the others do not.
  ASSERT_EQ(sink.children.size(), 2u);
  ASSERT_EQ(sink.failures.size(), 3u);
  EXPECT_EQ(sink.failures[0].name, "r\xC3\xA9sum\xC3\xA9.pdf");
  EXPECT_EQ(sink.failures[0].why.code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(sink.failures[2].name, "attachment-2.eml");
}

TEST(EmailExtractor, StopsWhenSinkRefuses) {
  RecordingSink sink(/*accept_count=*/1);
  Result<Extraction> extraction = Extract(kMixed, sink);
  ASSERT_FALSE(extraction.ok());
  EXPECT_EQ(extraction.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(sink.children.size(), 1u);
  EXPECT_EQ(sink.refused, 1);
}

TEST(EmailExtractor, ReturnsCorruptForNonMail) {
  RecordingSink sink;
  Result<Extraction> empty = Extract("", sink);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kCorrupt);
  Result<Extraction> text = Extract("just some words\nwithout headers\n", sink);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kCorrupt);
}

TEST(EmailExtractor, SurvivesTruncation) {
  for (std::size_t size = 0; size <= kMixed.size(); size += 7) {
    RecordingSink sink;
    Result<Extraction> extraction = Extract(std::string_view(kMixed).substr(0, size), sink);
    if (extraction.ok()) {
      EXPECT_TRUE(IsValidUtf8(extraction->text));
    }
  }
}

TEST(EmailExtractor, SurvivesDeepNesting) {
  std::string message = "From: a@example.com\r\nSubject: deep\r\n";
  for (int depth = 0; depth < 500; ++depth) {
    message += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(depth) +
               "\"\r\n\r\n--b" + std::to_string(depth) + "\r\n";
  }
  message += "Content-Type: text/plain\r\n\r\ndeep body\r\n";
  RecordingSink sink;
  Result<Extraction> extraction = Extract(message, sink);
  if (extraction.ok()) {
    EXPECT_TRUE(IsValidUtf8(extraction->text));
  }
}

}  // namespace
}  // namespace trove::extract

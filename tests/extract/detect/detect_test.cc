// Unit tests for DetectMediaType and TypeFamily (src/extract/detect.cc). Expectations about
// libmagic's raw answers were checked with `file --mime-type` (file 5.44).
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include "extract/registry.h"
#include "testing/zip_writer.h"

namespace trove::extract {
namespace {

constexpr char kDocx[] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr char kXlsx[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr char kOdt[] = "application/vnd.oasis.opendocument.text";

std::string Fixture(const std::string& relative) {
  const std::string path =
      std::string(TROVE_SOURCE_DIR) + "/../shared/data/hostile-docs/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string DetectFixture(const std::string& relative) {
  const std::size_t slash = relative.rfind('/');
  return DetectMediaType(Fixture(relative), relative.substr(slash + 1));
}

using Member = ::trove::testing::ZipMember;
using ::trove::testing::WriteZip;

TEST(DetectMediaType, RecognisesCommonFixturesByContent) {
  EXPECT_EQ(DetectFixture("tika/testPDF.pdf"), "application/pdf");
  EXPECT_EQ(DetectFixture("ingest-file/password-hunter2.pdf"), "application/pdf");
  EXPECT_EQ(DetectFixture("tika/testWORD.docx"), kDocx);
  EXPECT_EQ(DetectFixture("tika/testEXCEL.strict.xlsx"), kXlsx);
  EXPECT_EQ(DetectFixture("tika/testPPT_various.pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation");
  EXPECT_EQ(DetectFixture("ingest-file/Plan.odt"), kOdt);
  EXPECT_EQ(DetectFixture("tika/LibreOfficeCalc_ods_1.3.ods"),
            "application/vnd.oasis.opendocument.spreadsheet");
  EXPECT_EQ(DetectFixture("ingest-file/test-documents.zip"), "application/zip");
  EXPECT_EQ(DetectFixture("ingest-file/test-documents.tar"), "application/x-tar");
  EXPECT_EQ(DetectFixture("ingest-file/500_pages.7z"), "application/x-7z-compressed");
  EXPECT_EQ(DetectFixture("tika/test-documents.tgz"), "application/gzip");
  EXPECT_EQ(DetectFixture("tika/bzip2-8-file.txt.bz2"), "application/x-bzip2");
  EXPECT_EQ(DetectFixture("tika/testRTF.rtf"), "text/rtf");
  EXPECT_EQ(DetectFixture("tika/testHTML.html"), "text/html");
}

TEST(DetectMediaType, ReadsMacroAndTemplateVariantsFromTheContentTypesPart) {
  EXPECT_EQ(DetectFixture("tika/testEXCEL_macro.xlsm"),
            "application/vnd.ms-excel.sheet.macroEnabled.12");
  EXPECT_EQ(DetectFixture("tika/testDOTM.dotm"),
            "application/vnd.ms-word.template.macroEnabled.12");
  EXPECT_EQ(DetectFixture("tika/testWORD_template.dotx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template");
}

TEST(DetectMediaType, FindsOoxmlWhenContentTypesIsNotTheFirstMember) {
  const std::string bytes = WriteZip({
      {"word/document.xml", "<w:document/>"},
      {"[Content_Types].xml",
       "<Types><Override PartName=\"/word/document.xml\" ContentType=\"application/"
       "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
  });
  EXPECT_EQ(DetectMediaType(bytes, "renamed.bin"), kDocx);
}

TEST(DetectMediaType, FindsOdfFromItsMimetypeMember) {
  const std::string bytes = WriteZip({{"content.xml", "<x/>"}, {"mimetype", kOdt}});
  EXPECT_EQ(DetectMediaType(bytes, "noext"), kOdt);
}

TEST(DetectMediaType, UsesTheExtensionOnlyForAPlainZip) {
  const std::string bytes = WriteZip({{"a.txt", "hello"}});
  EXPECT_EQ(DetectMediaType(bytes, "a.zip"), "application/zip");
  EXPECT_EQ(DetectMediaType(bytes, "report.docx"), kDocx);
}

TEST(DetectMediaType, RoutesPasswordProtectedOoxmlToItsOfficeType) {
  // libmagic says application/encrypted for the OLE container.
  EXPECT_EQ(DetectFixture("ingest-file/password_protected.xlsx"), kXlsx);
}

TEST(DetectMediaType, TrustsContentOverAMisleadingExtension) {
  EXPECT_EQ(DetectFixture("tika/testODTnotaZipFile.odt"), "text/plain");
}

TEST(DetectMediaType, RecognisesMailThatLibmagicCallsText) {
  // `file` says text/plain for both.
  EXPECT_EQ(DetectFixture("ingest-file/email_multipart_alternative.eml"), "message/rfc822");
  EXPECT_EQ(DetectFixture("ingest-file/plan.mbox"), "application/mbox");
  EXPECT_EQ(DetectFixture("tika/simple.mbox"), "application/mbox");
  // `file` says text/html: the message carries an HTML body.
  EXPECT_EQ(DetectFixture("tika/testGroupWiseEml.eml"), "message/rfc822");
  EXPECT_EQ(DetectMediaType("From: a@example.org\nTo: b@example.org\nSubject: hi\n\nbody\n", "x"),
            "message/rfc822");
}

TEST(DetectMediaType, DoesNotTakeProseForMail) {
  EXPECT_EQ(DetectMediaType("From the start, we knew.\nIt was late.\n", "story.txt"), "text/plain");
  EXPECT_EQ(DetectMediaType("Note: buy milk\nand bread\n", "todo.txt"), "text/plain");
  EXPECT_EQ(DetectFixture("tika/testColonDelimited.txt"), "text/plain");
}

TEST(DetectMediaType, UsesTheExtensionForDelimitedText) {
  EXPECT_EQ(DetectFixture("ingest-file/countries.csv"), "text/csv");
  EXPECT_EQ(DetectMediaType("name\tage\nann\t31\n", "people.tsv"), "text/tab-separated-values");
  EXPECT_EQ(DetectMediaType("name\tage\nann\t31\n", "people.txt"), "text/plain");
}

TEST(DetectMediaType, ReadsXhtmlWithAnXmlDeclarationAsHtml) {
  EXPECT_EQ(DetectFixture("tika/boilerplate.html"), "text/html");  // `file`: text/xml
}

TEST(DetectMediaType, UsesTheHintOnlyWhenContentSaysNothingSpecific) {
  EXPECT_EQ(DetectMediaType("just words", "attachment", "text/html; charset=utf-8"), "text/html");
  EXPECT_EQ(DetectMediaType(std::string("\x01\x02\x03\x04\xff\xfe", 6), "blob", "image/x-foo"),
            "image/x-foo");
  EXPECT_EQ(DetectMediaType(Fixture("tika/testPDF.pdf"), "a", "text/plain"), "application/pdf");
  EXPECT_EQ(DetectMediaType("just words", "attachment", "not a type"), "text/plain");
}

TEST(DetectMediaType, SurvivesEmptyAndRandomBytes) {
  EXPECT_FALSE(DetectMediaType("", "").empty());
  EXPECT_FALSE(DetectMediaType(std::string("PK\x03\x04garbage", 11), "x.docx").empty());
  std::string noise;
  for (int i = 0; i < 100000; ++i) noise.push_back(static_cast<char>((i * 7919) & 0xFF));
  EXPECT_FALSE(DetectMediaType(noise, "noise").empty());
}

TEST(DetectMediaType, WorksFromSeveralThreadsAtOnce) {
  const std::string pdf = Fixture("tika/testPDF.pdf");
  std::vector<std::thread> threads;
  std::vector<std::string> answers(4);
  for (std::size_t thread_idx = 0; thread_idx < answers.size(); ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int round = 0; round < 20; ++round) answers[thread_idx] = DetectMediaType(pdf, "a.pdf");
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& answer : answers) EXPECT_EQ(answer, "application/pdf");
}

TEST(TypeFamily, MapsMediaTypesToFacetNames) {
  EXPECT_EQ(TypeFamily("application/pdf"), "pdf");
  EXPECT_EQ(TypeFamily("message/rfc822"), "email");
  EXPECT_EQ(TypeFamily("application/vnd.ms-outlook"), "email");
  EXPECT_EQ(TypeFamily("application/mbox"), "mailbox");
  EXPECT_EQ(TypeFamily(kDocx), "word");
  EXPECT_EQ(TypeFamily(kOdt), "word");
  EXPECT_EQ(TypeFamily("text/rtf"), "word");
  EXPECT_EQ(TypeFamily("application/msword"), "word");
  EXPECT_EQ(TypeFamily(kXlsx), "spreadsheet");
  EXPECT_EQ(TypeFamily("application/vnd.ms-excel"), "spreadsheet");
  EXPECT_EQ(TypeFamily("application/vnd.oasis.opendocument.spreadsheet"), "spreadsheet");
  EXPECT_EQ(TypeFamily("text/csv"), "spreadsheet");
  EXPECT_EQ(TypeFamily("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            "presentation");
  EXPECT_EQ(TypeFamily("application/vnd.ms-powerpoint"), "presentation");
  EXPECT_EQ(TypeFamily("text/html"), "html");
  EXPECT_EQ(TypeFamily("text/plain"), "text");
  EXPECT_EQ(TypeFamily("text/calendar"), "text");
  EXPECT_EQ(TypeFamily("application/zip"), "archive");
  EXPECT_EQ(TypeFamily("application/x-7z-compressed"), "archive");
  EXPECT_EQ(TypeFamily("application/gzip"), "archive");
  EXPECT_EQ(TypeFamily("image/png"), "image");
  EXPECT_EQ(TypeFamily("audio/mpeg"), "audio");
  EXPECT_EQ(TypeFamily("video/mp4"), "video");
  EXPECT_EQ(TypeFamily("application/octet-stream"), "other");
  EXPECT_EQ(TypeFamily("TEXT/HTML; charset=utf-8"), "html");
  EXPECT_EQ(TypeFamily(""), "other");
}

}  // namespace
}  // namespace trove::extract

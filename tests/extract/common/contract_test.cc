// The extractor contract (extract/extractor.h), checked for every extractor of the default
// registry: empty, random and truncated input give OK or a non-OK Status with a message, never
// a crash or hang; every string returned is valid UTF-8; the text and child limits hold.
// Run under ASan/UBSan (TROVE_SANITIZE) to catch memory errors and leaks as well.
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/text.h"
#include "extract/registry.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

namespace fs = std::filesystem;
using testing::RecordingSink;

struct ContractCase {
  std::string label;       // test name suffix
  std::string media_type;  // as DetectMediaType reports it for the sample
  std::string sample;      // a real file of that type, relative to the repository root
};

void PrintTo(const ContractCase& contract, std::ostream* out) { *out << contract.label; }

// One line per built-in extractor (registry.cc); a new extractor adds its line here.
const std::vector<ContractCase>& Cases() {
  static const std::vector<ContractCase> cases = {
      {"pdf", "application/pdf", "../shared/data/hostile-docs/ingest-file/twopage.pdf"},
      {"ooxml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
       "../shared/data/hostile-docs/ingest-file/hello world word.docx"},
      {"odf", "application/vnd.oasis.opendocument.text",
       "../shared/data/hostile-docs/ingest-file/Plan.odt"},
      {"email", "message/rfc822",
       "../shared/data/hostile-docs/tika/testRFC822_multipart_attachments.eml"},
      {"mbox", "application/mbox", "../shared/data/hostile-docs/tika/complex.mbox"},
      {"html", "text/html", "../shared/data/hostile-docs/tika/testHTML_head.html"},
      {"rtf", "text/rtf", "../shared/data/hostile-docs/tika/testRTFWordPadCzechCharacters.rtf"},
      {"csv", "text/csv", "../shared/data/hostile-docs/tika/testCSV.csv"},
      {"archive", "application/zip", "../shared/data/hostile-docs/ingest-file/test-documents.zip"},
      {"text", "text/plain", "../shared/data/hostile-docs/ingest-file/non_utf.txt"},
      {"msg", "application/vnd.ms-outlook",
       "../shared/data/hostile-docs/tika/testMSG_att_msg.msg"},
      {"pst", "application/vnd.ms-outlook-pst",
       "../shared/data/hostile-docs/ingest-file/testPST.pst"},
      {"legacy_word", "application/msword", "../shared/data/hostile-docs/tika/testWORD.doc"},
      {"legacy_excel", "application/vnd.ms-excel",
       "../shared/data/hostile-docs/tika/testEXCEL.xls"},
      {"legacy_powerpoint", "application/vnd.ms-powerpoint",
       "../shared/data/hostile-docs/tika/testPPT.ppt"},
      {"epub", "application/epub+zip", "../shared/data/hostile-docs/tika/testEPUB.epub"},
      {"mhtml", "multipart/related",
       "../shared/data/hostile-docs/tika/testUserDefinedCharset.mhtml"},
      {"smime", "application/pkcs7-mime", "../shared/data/hostile-docs/tika/test.xml.p7m"},
  };
  return cases;
}

std::string ReadSample(const std::string& relative) {
  std::ifstream in(fs::path(TROVE_SOURCE_DIR) / relative, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class ContractTest : public ::testing::TestWithParam<ContractCase> {
 protected:
  void SetUp() override {
    static const std::unique_ptr<Registry> registry = Registry::CreateDefault();
    extractor_ = registry->Find(GetParam().media_type);
    ASSERT_NE(extractor_, nullptr) << "no extractor accepts " << GetParam().media_type;
  }

  // Extracts `bytes`, checks everything the contract promises about the outcome and returns the
  // extraction's status.
  Status ExtractAndCheck(std::string_view bytes, const Limits& limits, const std::string& what) {
    SCOPED_TRACE(what);
    RecordingSink sink;
    Input input;
    input.bytes = bytes;
    const std::string name = fs::path(GetParam().sample).filename().string();  // outlives input
    input.name = name;
    input.media_type = GetParam().media_type;
    input.limits = limits;
    Result<Extraction> result = extractor_->Extract(input, sink);
    for (const ChildFile& child : sink.children) {
      EXPECT_FALSE(child.name.empty());
      EXPECT_TRUE(IsValidUtf8(child.name)) << child.name;
      EXPECT_LE(child.bytes.size(), limits.max_child_bytes) << child.name;
    }
    for (const RecordingSink::Failure& failure : sink.failures) {
      EXPECT_TRUE(IsValidUtf8(failure.name));
      EXPECT_FALSE(failure.why.ok()) << failure.name;
    }
    if (!result.ok()) {
      EXPECT_FALSE(result.status().message().empty())
          << "a failure must say what is wrong: " << result.status().ToString();
      return result.status();
    }
    const Extraction& extraction = *result;
    EXPECT_LE(extraction.text.size(), limits.max_text_bytes);
    EXPECT_TRUE(IsValidUtf8(extraction.text));
    EXPECT_TRUE(IsValidUtf8(extraction.title)) << extraction.title;
    EXPECT_TRUE(IsValidUtf8(extraction.author)) << extraction.author;
    EXPECT_TRUE(IsValidUtf8(extraction.message_id));
    EXPECT_TRUE(IsValidUtf8(extraction.in_reply_to));
    for (const auto* list : {&extraction.from, &extraction.to, &extraction.cc, &extraction.bcc,
                             &extraction.references}) {
      for (const std::string& value : *list) EXPECT_TRUE(IsValidUtf8(value)) << value;
    }
    for (const auto& [key, value] : extraction.metadata) {
      EXPECT_TRUE(IsValidUtf8(key)) << key;
      EXPECT_TRUE(IsValidUtf8(value)) << key;
    }
    EXPECT_GE(extraction.page_count, 0);
    return Status::Ok();
  }

  const Extractor* extractor_ = nullptr;
};

TEST_P(ContractTest, ExtractsItsSample) {
  const std::string sample = ReadSample(GetParam().sample);
  ASSERT_FALSE(sample.empty()) << "missing sample " << GetParam().sample;
  const Status status = ExtractAndCheck(sample, Limits{}, "whole sample");
  EXPECT_TRUE(status.ok()) << status.ToString();
}

TEST_P(ContractTest, SurvivesEmptyInput) { (void)ExtractAndCheck({}, Limits{}, "empty"); }

TEST_P(ContractTest, SurvivesRandomBytes) {
  for (const std::uint32_t seed : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u}) {
    std::mt19937 random(seed);
    const std::size_t size = std::size_t{1} << (seed * 2);  // 4 bytes .. 64 KiB
    std::string bytes(size, '\0');
    for (char& byte : bytes) byte = static_cast<char>(random() & 0xFF);
    (void)ExtractAndCheck(bytes, Limits{}, "random bytes, seed " + std::to_string(seed));
  }
}

TEST_P(ContractTest, SurvivesRandomBytesAfterARealHeader) {
  // Random bytes alone rarely get past a format's magic number; these do.
  const std::string sample = ReadSample(GetParam().sample);
  ASSERT_FALSE(sample.empty());
  for (const std::uint32_t seed : {11u, 12u, 13u, 14u}) {
    std::mt19937 random(seed);
    std::string bytes = sample.substr(0, std::min<std::size_t>(sample.size(), 64 * seed));
    for (int idx = 0; idx < 4096; ++idx) bytes += static_cast<char>(random() & 0xFF);
    (void)ExtractAndCheck(bytes, Limits{},
                          "header plus random bytes, seed " + std::to_string(seed));
  }
}

TEST_P(ContractTest, SurvivesFlippedBytes) {
  const std::string sample = ReadSample(GetParam().sample);
  ASSERT_FALSE(sample.empty());
  for (const std::uint32_t seed : {21u, 22u, 23u, 24u}) {
    std::mt19937 random(seed);
    std::string bytes = sample;
    for (int flip = 0; flip < 16; ++flip) {
      bytes[random() % bytes.size()] = static_cast<char>(random() & 0xFF);
    }
    (void)ExtractAndCheck(bytes, Limits{}, "16 flipped bytes, seed " + std::to_string(seed));
  }
}

TEST_P(ContractTest, SurvivesTruncation) {
  const std::string sample = ReadSample(GetParam().sample);
  ASSERT_FALSE(sample.empty());
  for (const double fraction : {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
    const auto size = static_cast<std::size_t>(static_cast<double>(sample.size()) * fraction);
    (void)ExtractAndCheck(std::string_view(sample).substr(0, size), Limits{},
                          "truncated to " + std::to_string(size) + " bytes");
  }
}

TEST_P(ContractTest, RespectsSmallLimits) {
  const std::string sample = ReadSample(GetParam().sample);
  ASSERT_FALSE(sample.empty());
  Limits limits;
  limits.max_text_bytes = 64;
  limits.max_child_bytes = 256;
  (void)ExtractAndCheck(sample, limits, "64-byte text limit, 256-byte child limit");
}

INSTANTIATE_TEST_SUITE_P(Registry, ContractTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<ContractCase>& info) {
                           return info.param.label;
                         });

}  // namespace
}  // namespace trove::extract

// Tests for the S/MIME / PKCS #7 extractor (src/extract/smime/smime_extractor.cc).
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

constexpr char kPkcs7[] = "application/pkcs7-mime";

Result<Extraction> ExtractP7m(const std::string& bytes, const std::string& name,
                              RecordingSink& sink) {
  return testing::ExtractBytes(*internal::NewSmimeExtractor(), bytes, name, kPkcs7, sink);
}

TEST(SmimeExtractor, SignedContentBecomesAChildAndSignerIsKept) {
  const std::string bytes = HostileDoc("tika/test.xml.p7m");
  EXPECT_EQ(DetectMediaType(bytes, "test.xml.p7m"), kPkcs7);
  RecordingSink sink;
  Result<Extraction> result = ExtractP7m(bytes, "test.xml.p7m", sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(sink.children.size(), 1u);
  EXPECT_EQ(sink.children[0].name, "test.xml");
  EXPECT_THAT(sink.children[0].bytes, StartsWith("<?xml"));
  EXPECT_THAT(sink.children[0].bytes, HasSubstr("<RequestIndex>"));
  EXPECT_THAT(result->author, HasSubstr("O=INFOCAMERE"));
  EXPECT_THAT(result->metadata, Contains(std::pair<std::string, std::string>(
                                    "signing time", "2016-05-18T08:21:57Z")));
  EXPECT_EQ(result->date, 1463559717);
}

TEST(SmimeExtractor, ReadsIndefiniteLengthBer) {
  RecordingSink sink;
  Result<Extraction> result =
      ExtractP7m(HostileDoc("tika/testPKCS7_signed_data_ind.p7m"), "signed.p7m", sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(sink.children.size(), 1u);
  EXPECT_EQ(sink.children[0].name, "signed");
  EXPECT_THAT(result->author, HasSubstr("CN=Usuario de pruebas 61"));
}

TEST(SmimeExtractor, EncryptedDataIsUnsupportedWithAReason) {
  RecordingSink sink;
  Result<Extraction> result =
      ExtractP7m(HostileDoc("tika/testPKCS7_enveloped_def.p7m"), "secret.p7m", sink);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().Is(StatusCode::kUnsupported));
  EXPECT_THAT(result.status().message(), HasSubstr("secret.p7m"));
  EXPECT_THAT(result.status().message(), HasSubstr("encrypted"));
}

TEST(SmimeExtractor, RejectsGarbageAndTruncatedInput) {
  const std::string bytes = HostileDoc("tika/test.xml.p7m");
  for (std::size_t size : {0ul, 1ul, 40ul, bytes.size() / 2, bytes.size() - 1}) {
    RecordingSink sink;
    Result<Extraction> result = ExtractP7m(bytes.substr(0, size), "cut.p7m", sink);
    EXPECT_FALSE(result.ok()) << size;
  }
}

}  // namespace
}  // namespace trove::extract

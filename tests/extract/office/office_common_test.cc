// Unit tests for the office helpers: ISO 8601 dates, part paths (office_common.cc) and the
// bounded zip reader (zip_package.cc).
#include "extract/office/office_common.h"

#include <optional>
#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zip.h>

#include "core/status.h"
#include "extract/office/zip_package.h"
#include "office_test_util.h"
#include "testing/zip_writer.h"

namespace trove::extract {
namespace {

using office_test::WriteZip;
using ::testing::HasSubstr;

TEST(OfficeCommon, ParsesIsoDatesWithZonesAndFractions) {
  using internal::ParseIsoDateTime;
  EXPECT_EQ(ParseIsoDateTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIsoDateTime("2008-12-11T16:04:00Z"), 1229011440);
  EXPECT_EQ(ParseIsoDateTime("2009-04-28T10:06:56+01:00"), 1240909616);
  EXPECT_EQ(ParseIsoDateTime("2017-02-21T01:31:21.535000000"), 1487640681);
  EXPECT_EQ(ParseIsoDateTime("2017-02-21"), 1487635200);
  EXPECT_EQ(ParseIsoDateTime("not a date"), std::nullopt);
  EXPECT_EQ(ParseIsoDateTime("2017-13-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseIsoDateTime("2017-01-01T00:00:00Zjunk"), std::nullopt);
}

TEST(OfficeCommon, TreatsDatesBefore1900AsUnset) {
  EXPECT_EQ(internal::PlausibleDate(internal::ParseIsoDateTime("1601-01-01T00:00:00Z")),
            std::nullopt);
  EXPECT_EQ(internal::PlausibleDate(0), 0);
}

TEST(OfficeCommon, ResolvesRelationshipTargets) {
  using internal::ResolvePartPath;
  EXPECT_EQ(ResolvePartPath("word/document.xml", "media/a.png"), "word/media/a.png");
  EXPECT_EQ(ResolvePartPath("ppt/slides/slide1.xml", "../notesSlides/n1.xml"),
            "ppt/notesSlides/n1.xml");
  EXPECT_EQ(ResolvePartPath("xl/workbook.xml", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
  EXPECT_EQ(ResolvePartPath("a.xml", "../../../../etc/passwd"), "etc/passwd");
  EXPECT_EQ(internal::RelationshipsPartFor(""), "_rels/.rels");
  EXPECT_EQ(internal::RelationshipsPartFor("word/document.xml"), "word/_rels/document.xml.rels");
}

TEST(OfficeCommon, TextBuilderStopsAtItsLimitOnACharacterBoundary) {
  internal::TextBuilder text(5);
  text.Append("ab");
  text.Append("\xC3\xA9\xC3\xA9");  // "éé": only one fits
  EXPECT_TRUE(text.full());
  text.Append("more");
  EXPECT_EQ(text.Finish(), "ab\xC3\xA9");
}

TEST(ZipPackage, FindsMembersWhateverTheirCase) {
  // The package reads the bytes in place: they must outlive it.
  const std::string bytes = WriteZip({{"Word/Document.xml", "<x/>"}});
  auto package = internal::ZipPackage::Open(bytes);
  ASSERT_TRUE(package.ok()) << package.status().ToString();
  EXPECT_TRUE((*package)->Has("word/document.xml"));
  auto content = (*package)->Read("WORD/DOCUMENT.XML");
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_EQ(*content, "<x/>");
  EXPECT_EQ((*package)->Read("missing.xml").status().code(), StatusCode::kNotFound);
}

TEST(ZipPackage, RepackagesAFolderToTheSameBytesWheneverItRuns) {
  const std::string bytes = WriteZip({{"content.xml", "<doc/>"},
                                      {"Object 1/content.xml", "<table/>"},
                                      {"Object 1/styles.xml", "<styles/>"}});
  auto package = internal::ZipPackage::Open(bytes);
  ASSERT_TRUE(package.ok()) << package.status().ToString();
  const Result<std::string> repackaged =
      (*package)->RepackageFolder("Object 1", "application/x-test", 1 << 20);
  ASSERT_TRUE(repackaged.ok()) << repackaged.status().ToString();
  // Every member carries the same fixed time, not the time of writing: the bytes (and so the
  // child document's id) depend on the content alone.
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source =
      zip_source_buffer_create(repackaged->data(), repackaged->size(), 0, &error);
  ASSERT_NE(source, nullptr);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  ASSERT_NE(zip, nullptr);
  ASSERT_EQ(zip_get_num_entries(zip, 0), 3);  // mimetype, content.xml, styles.xml
  for (zip_int64_t idx = 0; idx < 3; ++idx) {
    zip_stat_t stat;
    ASSERT_EQ(zip_stat_index(zip, static_cast<zip_uint64_t>(idx), 0, &stat), 0);
    EXPECT_EQ(stat.mtime, 315532800) << stat.name;
  }
  zip_discard(zip);
}

TEST(ZipPackage, ReturnsCorruptForBytesThatAreNotAZip) {
  auto package = internal::ZipPackage::Open("definitely not a zip");
  ASSERT_FALSE(package.ok());
  EXPECT_EQ(package.status().code(), StatusCode::kCorrupt);
}

TEST(ZipPackage, EnforcesItsLimitOnInflatedBytes) {
  std::string bytes = WriteZip({{"big.xml", std::string(4 << 20, 'x')}});
  ::trove::testing::ClaimUncompressedSizes(bytes, 100);
  internal::ZipReadLimits limits;
  limits.max_member_bytes = 1 << 20;
  auto package = internal::ZipPackage::Open(bytes, limits);
  ASSERT_TRUE(package.ok()) << package.status().ToString();
  auto content = (*package)->Read("BIG.xml");  // lookup ignores case
  ASSERT_FALSE(content.ok());
  // libzip either notices the size mismatch or our bound stops the inflation first.
  EXPECT_TRUE(content.status().Is(StatusCode::kLimitExceeded) ||
              content.status().Is(StatusCode::kCorrupt))
      << content.status().ToString();
  EXPECT_THAT(content.status().message(), HasSubstr("big.xml"));
}

TEST(ZipPackage, EnforcesItsTotalBudgetAcrossMembers) {
  internal::ZipReadLimits limits;
  limits.max_total_bytes = 1500;
  const std::string bytes =
      WriteZip({{"a.xml", std::string(1000, 'a')}, {"b.xml", std::string(1000, 'b')}});
  auto package = internal::ZipPackage::Open(bytes, limits);
  ASSERT_TRUE(package.ok());
  EXPECT_TRUE((*package)->Read("a.xml").ok());
  auto second = (*package)->Read("b.xml");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(second.status().message(), HasSubstr("b.xml"));
}

}  // namespace
}  // namespace trove::extract

// Unit tests for the archive extractor (src/extract/archive/archive_extractor.cc). Expected
// member lists were read with unzip -l, tar tvf, 7z l -slt and bzcat; synthetic archives are
// written in memory with libarchive.
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../common/recording_sink.h"
#include "core/document.h"
#include "core/status.h"
#include "core/text.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "testing/zip_writer.h"

namespace trove::extract {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::string Fixture(const std::string& relative) {
  const std::string path =
      std::string(TROVE_SOURCE_DIR) + "/../shared/data/hostile-docs/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using testing::RecordingSink;

std::vector<std::string> Names(const RecordingSink& sink) {
  std::vector<std::string> names;
  for (const ChildFile& child : sink.children) names.push_back(child.name);
  return names;
}

struct Member {
  std::string name;
  std::string bytes;
};

// A zip (deflate) or other libarchive format written in memory.
std::string WriteArchive(const std::vector<Member>& members, bool is_zip = true) {
  archive* writer = archive_write_new();
  if (is_zip) {
    archive_write_set_format_zip(writer);
  } else {
    archive_write_set_format_pax_restricted(writer);
  }
  std::string out(64 << 20, '\0');
  std::size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(writer, out.data(), out.size(), &used), ARCHIVE_OK);
  for (const Member& member : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, member.name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(member.bytes.size()));
    archive_entry_set_mtime(entry, 1700000000, 0);
    EXPECT_EQ(archive_write_header(writer, entry), ARCHIVE_OK);
    EXPECT_EQ(archive_write_data(writer, member.bytes.data(), member.bytes.size()),
              static_cast<la_ssize_t>(member.bytes.size()));
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  out.resize(used);
  return out;
}

class ArchiveExtractor : public ::testing::Test {
 protected:
  Result<Extraction> Run(const std::string& bytes, std::string_view media_type,
                         std::string_view name = "archive", Limits limits = {}) {
    Input input;
    input.bytes = bytes;
    input.name = name;
    input.media_type = media_type;
    input.limits = limits;
    return extractor_->Extract(input, sink_);
  }

  std::unique_ptr<Extractor> extractor_ = internal::NewArchiveExtractor();
  RecordingSink sink_;
};

TEST_F(ArchiveExtractor, AcceptsArchivesAndCompressedStreams) {
  EXPECT_EQ(extractor_->Name(), "archive");
  for (const char* type : {"application/zip", "application/x-tar", "application/x-7z-compressed",
                           "application/gzip", "application/x-bzip2", "application/x-xz",
                           "application/zstd", "application/x-rar", "application/x-cpio"}) {
    EXPECT_TRUE(extractor_->Accepts(type)) << type;
  }
  EXPECT_FALSE(extractor_->Accepts("application/pdf"));
  EXPECT_FALSE(extractor_->Accepts(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
}

TEST_F(ArchiveExtractor, ListsEveryRegularFileOfZipWithItsBytesAndTime) {
  const std::string bytes = Fixture("ingest-file/test-documents.zip");
  auto result = Run(bytes, "application/zip", "test-documents.zip");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(Names(sink_), ElementsAre("testEXCEL.xls", "testHTML.html", "testOpenOffice2.odt",
                                        "testPDF.pdf", "testPPT.ppt", "testRTF.rtf", "testTXT.txt",
                                        "testWORD.doc", "testXML.xml"));
  EXPECT_TRUE(sink_.failures.empty());
  const ChildFile& pdf = sink_.children[3];
  EXPECT_EQ(pdf.bytes, Fixture("tika/testPDF.pdf"));  // the same Tika sample, 34824 bytes
  ASSERT_TRUE(pdf.mtime.has_value());
  EXPECT_GT(*pdf.mtime, 1190000000);  // 2007-10-01 in the zip's DOS time
  EXPECT_LT(*pdf.mtime, 1192000000);
  EXPECT_THAT(result->metadata, Contains(Pair("format", "zip")));
}

TEST_F(ArchiveExtractor, KeepsFolderPathsOfTarMembersAndSkipsDirectories) {
  const std::string bytes = Fixture("ingest-file/test-documents.tar");
  auto result = Run(bytes, "application/x-tar");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(sink_.children.size(), 9u);
  EXPECT_EQ(sink_.children[0].name, "test-documents/testEXCEL.xls");
  EXPECT_EQ(sink_.children[0].bytes.size(), 13824u);
  EXPECT_EQ(sink_.children[3].name, "test-documents/testPDF.pdf");
}

TEST_F(ArchiveExtractor, ReadsTarInsideGzipAsTar) {
  const std::string bytes = Fixture("tika/test-documents.tgz");
  auto result = Run(bytes, "application/gzip", "test-documents.tgz");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(sink_.children.size(), 9u);
  EXPECT_EQ(sink_.children[1].name, "test-documents/testHTML.html");
  EXPECT_EQ(sink_.children[1].bytes.size(), 167u);
  EXPECT_THAT(result->metadata, Contains(Pair("format", "tar")));
  EXPECT_THAT(result->metadata, Contains(Pair("compression", "gzip")));
}

TEST_F(ArchiveExtractor, NamesTheSingleFileOfACompressedStreamAfterTheArchive) {
  const std::string bytes = Fixture("tika/bzip2-8-file.txt.bz2");
  auto result = Run(bytes, "application/x-bzip2", "bzip2-8-file.txt.bz2");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(sink_.children.size(), 1u);
  EXPECT_EQ(sink_.children[0].name, "bzip2-8-file.txt");
  EXPECT_EQ(sink_.children[0].bytes, "asdf");  // bzcat output
}

TEST_F(ArchiveExtractor, TurnsTgzSuffixIntoTarForTheInnerFile) {
  // A gzip stream holding bytes that are not a tar: the child keeps a .tar name.
  archive* writer = archive_write_new();
  archive_write_add_filter_gzip(writer);
  archive_write_set_format_raw(writer);
  std::string out(1 << 20, '\0');
  std::size_t used = 0;
  ASSERT_EQ(archive_write_open_memory(writer, out.data(), out.size(), &used), ARCHIVE_OK);
  archive_entry* entry = archive_entry_new();
  archive_entry_set_filetype(entry, AE_IFREG);
  ASSERT_EQ(archive_write_header(writer, entry), ARCHIVE_OK);
  const std::string payload = "just some text, not a tar header";
  archive_write_data(writer, payload.data(), payload.size());
  archive_entry_free(entry);
  archive_write_close(writer);
  archive_write_free(writer);
  out.resize(used);

  auto result = Run(out, "application/gzip", "backup.tgz");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(sink_.children.size(), 1u);
  EXPECT_EQ(sink_.children[0].name, "backup.tar");
  EXPECT_EQ(sink_.children[0].bytes, payload);
}

TEST_F(ArchiveExtractor, Reads7zMembers) {
  const std::string bytes = Fixture("ingest-file/500_pages.7z");
  auto result = Run(bytes, "application/x-7z-compressed");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(sink_.children.size(), 1u);
  EXPECT_EQ(sink_.children[0].name, "tests/fixtures/500 pages.pdf");
  EXPECT_EQ(sink_.children[0].bytes.size(), 302661u);  // 7z l
  EXPECT_EQ(sink_.children[0].bytes.substr(0, 5), "%PDF-");
}

TEST_F(ArchiveExtractor, SkipsSymlinksPointingOutsideTheArchive) {
  // Each holds only secret.txt -> /ingestors/tests/fixtures/secret.txt.
  const std::pair<const char*, const char*> cases[] = {
      {"ingest-file/badzip.zip", "application/zip"},
      {"ingest-file/badtar.tar", "application/x-tar"},
      {"ingest-file/bad7zip.7z", "application/x-7z-compressed"},
      {"ingest-file/badrar.rar", "application/x-rar"},
  };
  for (const auto& [path, type] : cases) {
    RecordingSink sink;
    Input input;
    const std::string bytes = Fixture(path);
    input.bytes = bytes;
    input.media_type = type;
    auto result = extractor_->Extract(input, sink);
    ASSERT_TRUE(result.ok()) << path << ": " << result.status().ToString();
    EXPECT_TRUE(sink.children.empty()) << path;
    EXPECT_TRUE(sink.failures.empty()) << path;
    EXPECT_THAT(result->metadata, Contains(Pair("skipped_links", "1"))) << path;
  }
}

TEST_F(ArchiveExtractor, ReportsEncryptedMembersAsUnsupportedChildren) {
  const std::string bytes = Fixture("ingest-file/7z_password.7z");
  auto result = Run(bytes, "application/x-7z-compressed");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(sink_.children.empty());
  ASSERT_EQ(sink_.failures.size(), 1u);
  EXPECT_EQ(sink_.failures[0].name, "secret.txt");
  EXPECT_EQ(sink_.failures[0].why.code(), StatusCode::kUnsupported);
  EXPECT_EQ(sink_.failures[0].why.message(), "encrypted archive member");
}

TEST_F(ArchiveExtractor, ReportsMembersWithUnsupportedCompressionAsUnsupported) {
  // moby.zip (1985) stores its 135 members with the "implode" method (unzip -v), which
  // libarchive does not implement.
  const std::string bytes = Fixture("tika/moby.zip");
  auto result = Run(bytes, "application/zip", "moby.zip");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(sink_.children.empty());
  ASSERT_EQ(sink_.failures.size(), 135u);
  EXPECT_EQ(sink_.failures[0].name, "README");
  EXPECT_EQ(sink_.failures[0].why.code(), StatusCode::kUnsupported);
  EXPECT_THAT(sink_.failures[0].why.message(), HasSubstr("zip member README"));
}

TEST_F(ArchiveExtractor, ReturnsUnsupportedWhenTheMemberListIsEncrypted) {
  const std::string bytes = Fixture("tika/full_encrypted.7z");
  auto result = Run(bytes, "application/x-7z-compressed");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnsupported);
}

TEST_F(ArchiveExtractor, ReturnsCorruptWithLibarchiveMessageForGarbage) {
  auto result = Run(std::string(4096, 'x'), "application/zip");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_THAT(result.status().message(), HasSubstr("not a readable archive"));

  auto empty = Run("", "application/x-tar");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kCorrupt);
}

TEST_F(ArchiveExtractor, ReturnsCorruptForPlainBytesClaimedToBeGzip) {
  auto result = Run("plain text, no gzip header", "application/gzip", "x.gz");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_TRUE(sink_.children.empty());
}

TEST_F(ArchiveExtractor, AcceptsAnEmptyCompressedStream) {
  const std::string bytes = Fixture("tika/empty-file.txt.bz2");
  auto result = Run(bytes, "application/x-bzip2", "empty-file.txt.bz2");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(sink_.children.empty());
}

TEST_F(ArchiveExtractor, RefusesAnOversizedMemberAndKeepsGoing) {
  // 32 MiB of zeros deflates to a few tens of KiB: a small zip bomb.
  const std::string bytes =
      WriteArchive({{"bomb.bin", std::string(32 << 20, '\0')}, {"after.txt", "still read"}});
  ASSERT_LT(bytes.size(), 200u * 1024);
  Limits limits;
  limits.max_child_bytes = 1 << 20;
  auto result = Run(bytes, "application/zip", "bomb.zip", limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(sink_.failures.size(), 1u);
  EXPECT_EQ(sink_.failures[0].name, "bomb.bin");
  EXPECT_EQ(sink_.failures[0].why.code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(sink_.failures[0].why.message(), HasSubstr("bomb.bin"));
  ASSERT_EQ(sink_.children.size(), 1u);
  EXPECT_EQ(sink_.children[0].name, "after.txt");
  EXPECT_EQ(sink_.children[0].bytes, "still read");
}

TEST_F(ArchiveExtractor, EnforcesTheLimitOnInflatedBytesWhenTheHeaderLies) {
  std::string bytes = WriteArchive({{"liar.bin", std::string(8 << 20, 'A')}});
  ::trove::testing::ClaimUncompressedSizes(bytes, 100);
  Limits limits;
  limits.max_child_bytes = 1 << 20;
  auto result = Run(bytes, "application/zip", "liar.zip", limits);
  for (const ChildFile& child : sink_.children) {
    EXPECT_LE(child.bytes.size(), limits.max_child_bytes) << child.name;
  }
  // The declared 100 bytes pass the up-front check; the bound while inflating stops it.
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(sink_.children.empty());
  ASSERT_EQ(sink_.failures.size(), 1u);
  EXPECT_EQ(sink_.failures[0].name, "liar.bin");
  EXPECT_EQ(sink_.failures[0].why.code(), StatusCode::kLimitExceeded);
  EXPECT_THAT(sink_.failures[0].why.message(), HasSubstr("expands beyond"));
}

TEST_F(ArchiveExtractor, NormalisesMemberPaths) {
  const std::string bytes = WriteArchive({{"/abs/path.txt", "1"},
                                          {"../../etc/passwd", "2"},
                                          {"a/./b/../c.txt", "3"},
                                          {"win\\style\\name.txt", "4"}});
  auto result = Run(bytes, "application/zip");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_THAT(Names(sink_),
              ElementsAre("abs/path.txt", "etc/passwd", "a/c.txt", "win/style/name.txt"));
}

TEST_F(ArchiveExtractor, StopsAndReturnsTheSinkStatusWhenAChildIsRefused) {
  const std::string bytes = Fixture("ingest-file/test-documents.zip");
  RecordingSink sink(/*accept_count=*/2);
  Input input;
  input.bytes = bytes;
  input.media_type = "application/zip";
  auto result = extractor_->Extract(input, sink);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(sink.children.size(), 2u);
  EXPECT_EQ(sink.refused, 1);  // the third child was the last one offered
}

TEST_F(ArchiveExtractor, ReportsATruncatedMemberByNameAndFailsTheArchive) {
  const std::string whole = Fixture("ingest-file/test-documents.tar");
  // Cut inside testPDF.pdf (the fourth member, after three headers and ~40 KB of data).
  const std::size_t cut = whole.find("%PDF-") + 1000;
  ASSERT_NE(cut, std::string::npos + 1000);
  auto result = Run(whole.substr(0, cut), "application/x-tar");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(sink_.children.size(), 3u);
  ASSERT_EQ(sink_.failures.size(), 1u);
  EXPECT_EQ(sink_.failures[0].name, "test-documents/testPDF.pdf");
  EXPECT_EQ(sink_.failures[0].why.code(), StatusCode::kCorrupt);
  EXPECT_THAT(sink_.failures[0].why.message(),
              HasSubstr("truncated tar member test-documents/testPDF.pdf"));
}

TEST_F(ArchiveExtractor, ReadsLocalHeadersWhenTheCentralDirectoryIsDamaged) {
  // Its central directory claims 4 GiB for hello.txt; the local header claims 2 GiB; the data
  // is 12 bytes.
  const std::string bytes = Fixture("tika/testZIP_corrupted_oom.zip");
  auto result = Run(bytes, "application/zip");
  ASSERT_EQ(sink_.failures.size(), 1u);
  EXPECT_EQ(sink_.failures[0].name, "hello.txt");
  EXPECT_TRUE(sink_.children.empty());
  if (!result.ok()) {
    EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  }
}

TEST_F(ArchiveExtractor, EndsOnASelfReproducingGzip) {
  const std::string bytes = Fixture("tika/quine.gz");
  auto result = Run(bytes, "application/gzip", "quine.gz");
  EXPECT_FALSE(result.ok());
}

TEST_F(ArchiveExtractor, SurvivesTruncatedAndRandomInput) {
  const std::pair<const char*, const char*> cases[] = {
      {"ingest-file/test-documents.zip", "application/zip"},
      {"tika/test-documents.tgz", "application/gzip"},
      {"ingest-file/500_pages.7z", "application/x-7z-compressed"},
      {"tika/test-documents.cpio", "application/x-cpio"},
  };
  std::mt19937 rng(7);
  for (const auto& [path, type] : cases) {
    const std::string whole = Fixture(path);
    for (std::size_t cut : {std::size_t{1}, std::size_t{30}, whole.size() / 3, whole.size() - 1}) {
      RecordingSink sink;
      Input input;
      const std::string part = whole.substr(0, cut);
      input.bytes = part;
      input.media_type = type;
      auto result = extractor_->Extract(input, sink);
      for (const ChildFile& child : sink.children) EXPECT_TRUE(IsValidUtf8(child.name));
    }
    std::string flipped = whole;
    for (int i = 0; i < 50; ++i) flipped[rng() % flipped.size()] ^= static_cast<char>(rng());
    RecordingSink sink;
    Input input;
    input.bytes = flipped;
    input.media_type = type;
    auto result = extractor_->Extract(input, sink);
    (void)result;
  }
}

}  // namespace
}  // namespace trove::extract

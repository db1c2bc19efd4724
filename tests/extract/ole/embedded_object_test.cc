// Embedded OLE objects (src/extract/ole/embedded_object.cc) and the storage copy they rely on
// (OleFile::CopyStorage). Ole10Native and CompObj streams are built here byte by byte after
// MS-OLEDS, so that every length can be made to lie; compound files come from the shared corpus.
#include "extract/ole/embedded_object.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/status.h"
#include "core/text.h"
#include "extract/extractor.h"
#include "extract/ole/ole_file.h"
#include "tests/extract/common/fixture.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract {
namespace {

using internal::CompObjNames;
using internal::OleFile;
using internal::ParseCompObj;
using internal::ParseOle10Native;
using ::testing::HasSubstr;
using namespace std::string_literals;
using testing::HostileDoc;
using testing::RecordingSink;

std::string Le16(std::uint16_t value) {
  return {static_cast<char>(value & 0xFF), static_cast<char>(value >> 8)};
}

std::string Le32(std::uint32_t value) { return Le16(value & 0xFFFF) + Le16(value >> 16); }

// ASCII as UTF-16LE with its 32-bit count of code units, as in the Unicode trailer.
std::string Utf16Field(std::string_view utf16_bytes) {
  return Le32(static_cast<std::uint32_t>(utf16_bytes.size() / 2)) + std::string(utf16_bytes);
}

std::string Ascii16(std::string_view ascii) {
  std::string out;
  for (char c : ascii) out += std::string{c, '\0'};
  return out;
}

// An \001Ole10Native stream in the "parsed" layout; `trailer` is appended after the data.
std::string Ole10Native(std::string_view label, std::string_view path, std::string_view data,
                        std::string_view trailer = {}) {
  const std::string temp_path = "C:\\Temp\\~pkg.tmp";
  std::string body = Le16(2) + std::string(label) + '\0' + std::string(path) + '\0' + Le16(0) +
                     Le16(3) + Le32(static_cast<std::uint32_t>(temp_path.size() + 1)) + temp_path +
                     '\0' + Le32(static_cast<std::uint32_t>(data.size())) + std::string(data) +
                     std::string(trailer);
  return Le32(static_cast<std::uint32_t>(body.size())) + body;
}

TEST(Ole10Native, GivesTheDataUnderItsLabel) {
  // The data is a slice of the stream: the stream must outlive it.
  const std::string stream = Ole10Native("budget.xls", "C:\\Users\\ann\\budget.xls", "cells");
  Result<internal::Ole10NativeFile> file = ParseOle10Native(stream);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->name, "budget.xls");
  EXPECT_EQ(file->data, "cells");
}

TEST(Ole10Native, TakesTheLastPathElementWhenTheLabelIsEmpty) {
  Result<internal::Ole10NativeFile> file =
      ParseOle10Native(Ole10Native("", "C:\\Temp\\notes.txt", "x"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->name, "notes.txt");
  // A label that is a path is cut to its file name too; "." or ".." is no name at all.
  file = ParseOle10Native(Ole10Native("..\\..\\etc\\passwd", "", "x"));
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->name, "passwd");
  file = ParseOle10Native(Ole10Native("..", "", "x"));
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->name, "");
}

TEST(Ole10Native, PrefersTheUnicodeLabelAndReadsAnsiAsWindows1252) {
  // "r\xe9sum\xe9.doc" is résumé.doc in windows-1252.
  const std::string ansi = Ole10Native("r\xe9sum\xe9.doc", "", "x");
  Result<internal::Ole10NativeFile> file = ParseOle10Native(ansi);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->name, "r\xc3\xa9sum\xc3\xa9.doc");
  const std::string trailer = Utf16Field(Ascii16("C:\\Temp\\~pkg.tmp")) +
                              Utf16Field("\x3A\x04\x40\x04"s + Ascii16(".txt")) +  // "кр.txt"
                              Utf16Field(Ascii16("C:\\kr.txt"));
  const std::string unicode = Ole10Native("??.txt", "C:\\??.txt", "x", trailer);
  file = ParseOle10Native(unicode);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->name, "\xd0\xba\xd1\x80.txt");
  EXPECT_EQ(file->data, "x");
}

TEST(Ole10Native, TakesAnotherLayoutAsRawData) {
  const std::string body = Le16(1) + "raw bytes";
  const std::string stream = Le32(static_cast<std::uint32_t>(body.size())) + body;
  Result<internal::Ole10NativeFile> file = ParseOle10Native(stream);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->name, "");
  EXPECT_EQ(file->data, body);
}

TEST(Ole10Native, RefusesLengthsThatRunPastTheStream) {
  // The stream's own size larger than the stream.
  Result<internal::Ole10NativeFile> file = ParseOle10Native(Le32(1000) + "short");
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(file.status().Is(StatusCode::kCorrupt));
  // The data size larger than what is left.
  std::string stream = Ole10Native("a.txt", "", "data");
  const std::size_t data_size_at = stream.size() - 4 - 4;
  stream.replace(data_size_at, 4, Le32(0xFFFFFFF0));
  file = ParseOle10Native(stream);
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(file.status().message(), HasSubstr("data"));
  // Every cut of a valid stream, with its size field fixed to match: never a crash, and never
  // data beyond the cut.
  const std::string whole = Ole10Native("a.txt", "C:\\a.txt", "0123456789",
                                        Utf16Field(Ascii16("t")) + Utf16Field(Ascii16("b.txt")));
  for (std::size_t cut = 0; cut <= whole.size(); ++cut) {
    std::string prefix = whole.substr(0, cut);
    if (cut >= 4) prefix.replace(0, 4, Le32(static_cast<std::uint32_t>(cut - 4)));
    Result<internal::Ole10NativeFile> parsed = ParseOle10Native(prefix);
    if (parsed.ok()) {
      EXPECT_LE(parsed->data.size(), prefix.size()) << cut;
      EXPECT_TRUE(IsValidUtf8(parsed->name)) << cut;
    } else {
      EXPECT_TRUE(parsed.status().Is(StatusCode::kCorrupt)) << cut;
    }
  }
}

TEST(CompObj, ReadsTheUserTypeAndProgId) {
  const std::string header(28, '\0');
  const std::string user_type = "Microsoft Excel Worksheet";
  const std::string prog_id = "Excel.Sheet.8";
  const std::string stream = header + Le32(static_cast<std::uint32_t>(user_type.size() + 1)) +
                             user_type + '\0' + Le32(0xFFFFFFFF) + Le32(3) +
                             Le32(static_cast<std::uint32_t>(prog_id.size() + 1)) + prog_id + '\0';
  const CompObjNames names = ParseCompObj(stream);
  EXPECT_EQ(names.user_type, user_type);
  EXPECT_EQ(names.prog_id, prog_id);
  // Cut anywhere: what was read completely, nothing invented.
  for (std::size_t cut = 0; cut < stream.size(); ++cut) {
    const CompObjNames partial = ParseCompObj(stream.substr(0, cut));
    EXPECT_TRUE(partial.user_type.empty() || partial.user_type == user_type) << cut;
    EXPECT_TRUE(partial.prog_id.empty()) << cut;
  }
  // A length field claiming gigabytes.
  EXPECT_EQ(ParseCompObj(header + Le32(0xFFFFFFFF) + "x").user_type, "");
}

TEST(OleFile, CopiesAStorageIntoACompoundFileOfItsOwn) {
  const std::string bytes = HostileDoc("tika/testWORD_embeded.doc");
  Result<std::unique_ptr<OleFile>> file = OleFile::Open(bytes);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::vector<std::string> storage = {"ObjectPool", "_1345470949"};
  Result<std::string> copy = (*file)->CopyStorage(storage, 1 << 20);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  Result<std::unique_ptr<OleFile>> copied = OleFile::Open(*copy);
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  EXPECT_EQ((*copied)->List({}), (*file)->List(storage));
  std::vector<std::string> workbook = storage;
  workbook.push_back("Workbook");
  Result<std::string> original = (*file)->Read(workbook, 1 << 20);
  Result<std::string> copied_workbook = (*copied)->Read({"Workbook"}, 1 << 20);
  ASSERT_TRUE(original.ok() && copied_workbook.ok());
  EXPECT_EQ(*original, *copied_workbook);

  Result<std::string> too_big = (*file)->CopyStorage(storage, 1000);
  ASSERT_FALSE(too_big.ok());
  EXPECT_TRUE(too_big.status().Is(StatusCode::kLimitExceeded)) << too_big.status().ToString();
  Result<std::string> not_a_storage = (*file)->CopyStorage({"WordDocument"}, 1 << 20);
  ASSERT_FALSE(not_a_storage.ok());
  EXPECT_TRUE(not_a_storage.status().Is(StatusCode::kNotFound));
}

TEST(EmbeddedObject, RecordsBytesThatAreNotACompoundFile) {
  RecordingSink sink;
  ASSERT_TRUE(
      internal::EmitEmbeddedCompoundFile("not OLE", "word/embeddings/oleObject1", {}, sink).ok());
  EXPECT_TRUE(sink.children.empty());
  ASSERT_EQ(sink.failures.size(), 1u);
  EXPECT_EQ(sink.failures[0].name, "word/embeddings/oleObject1");
  EXPECT_TRUE(sink.failures[0].why.Is(StatusCode::kCorrupt));
}

TEST(EmbeddedObject, RecordsAnObjectWithoutAFileByItsServer) {
  // The Word document's root has no Ole10Native, Package or CONTENTS stream, but it is a Word
  // document: sent whole. Its ObjectPool storage itself holds only object storages: recorded.
  const std::string bytes = HostileDoc("tika/testWORD_embeded.doc");
  Result<std::unique_ptr<OleFile>> file = OleFile::Open(bytes);
  ASSERT_TRUE(file.ok());
  RecordingSink sink;
  ASSERT_TRUE(internal::EmitEmbeddedObject(**file, {}, bytes, "whole", {}, sink).ok());
  ASSERT_EQ(sink.children.size(), 1u);
  EXPECT_EQ(sink.children[0].name, "whole.doc");
  EXPECT_EQ(sink.children[0].media_type, "application/msword");
  EXPECT_EQ(sink.children[0].bytes, bytes);
  // Skipped, as a file of an unsupported type is, not failed: nothing in it went wrong.
  ASSERT_TRUE(internal::EmitEmbeddedObject(**file, {"ObjectPool"}, {}, "pool", {}, sink).ok());
  EXPECT_TRUE(sink.failures.empty());
  ASSERT_EQ(sink.skips.size(), 1u);
  EXPECT_EQ(sink.skips[0].first, "pool");
  EXPECT_THAT(sink.skips[0].second, HasSubstr("ObjectPool"));
  EXPECT_THAT(sink.skips[0].second, HasSubstr("holds no file trove reads"));
}

}  // namespace
}  // namespace trove::extract

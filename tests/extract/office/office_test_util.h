// Helpers shared by the office extractor tests: fixtures from the hostile-docs corpus and zips
// written in memory with libarchive.
#pragma once

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include "core/document.h"
#include "core/status.h"
#include "core/text.h"
#include "extract/extractor.h"
#include "testing/zip_writer.h"

namespace trove::extract::office_test {

inline std::string Fixture(const std::string& relative) {
  const std::string path =
      std::string(TROVE_SOURCE_DIR) + "/../shared/data/hostile-docs/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using Member = ::trove::testing::ZipMember;
using ::trove::testing::WriteZip;

// The parts of a minimal docx whose word/document.xml is `document_xml`.
inline std::vector<Member> DocxParts(const std::string& document_xml) {
  return {
      {"[Content_Types].xml",
       "<?xml version=\"1.0\"?><Types "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override "
       "PartName=\"/word/document.xml\" ContentType=\"application/"
       "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
      {"_rels/.rels",
       "<?xml version=\"1.0\"?><Relationships "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
       "Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
       "officeDocument\" Target=\"word/document.xml\"/></Relationships>"},
      {"word/document.xml", document_xml},
  };
}

// Accepts and drops children: embedded objects are checked in embedded_objects_test.cc, and the
// text and metadata tests here do not depend on them.
class IgnoredChildren : public ChildSink {
 public:
  Status OnChild(ChildFile /*child*/) override { return Status::Ok(); }
  void OnChildFailed(std::string /*name*/, Status /*why*/) override {}
  void OnChildSkipped(std::string /*name*/, std::string /*reason*/) override {}
};

// Runs `extractor` and checks the invariants every success must keep (valid UTF-8 everywhere).
inline Result<Extraction> RunExtractor(const Extractor& extractor, const std::string& bytes,
                                       std::string_view media_type, Limits limits = {}) {
  Input input;
  input.bytes = bytes;
  input.name = "document";
  input.media_type = media_type;
  input.limits = limits;
  IgnoredChildren sink;
  Result<Extraction> result = extractor.Extract(input, sink);
  if (result.ok()) {
    EXPECT_TRUE(IsValidUtf8(result->text));
    EXPECT_TRUE(IsValidUtf8(result->title));
    EXPECT_TRUE(IsValidUtf8(result->author));
    for (const auto& [key, value] : result->metadata) {
      EXPECT_TRUE(IsValidUtf8(key) && IsValidUtf8(value)) << key;
    }
  }
  return result;
}

}  // namespace trove::extract::office_test

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

// Fails the test on any child: office extractors report none yet.
class NoChildren : public ChildSink {
 public:
  Status OnChild(ChildFile child) override {
    ADD_FAILURE() << "unexpected child " << child.name;
    return Status::Ok();
  }
  void OnChildFailed(std::string name, Status why) override {
    ADD_FAILURE() << "unexpected failed child " << name << ": " << why.ToString();
  }
};

// Runs `extractor` and checks the invariants every success must keep (valid UTF-8 everywhere).
inline Result<Extraction> RunExtractor(const Extractor& extractor, const std::string& bytes,
                                       std::string_view media_type, Limits limits = {}) {
  Input input;
  input.bytes = bytes;
  input.name = "document";
  input.media_type = media_type;
  input.limits = limits;
  NoChildren sink;
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

// Reading test inputs from the shared corpus (../shared/data/hostile-docs/ next to the checkout).
#pragma once

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "extract/extractor.h"

namespace trove::extract::testing {

inline std::string HostileDoc(const std::string& relative) {
  const std::string path =
      std::string(TROVE_SOURCE_DIR) + "/../shared/data/hostile-docs/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs `extractor` on `bytes` as a file called `name` of type `media_type`.
inline Result<Extraction> ExtractBytes(const Extractor& extractor, std::string_view bytes,
                                       std::string_view name, std::string_view media_type,
                                       ChildSink& sink) {
  Input input;
  input.bytes = bytes;
  input.name = name;
  input.media_type = media_type;
  return extractor.Extract(input, sink);
}

}  // namespace trove::extract::testing

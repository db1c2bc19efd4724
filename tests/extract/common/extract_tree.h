// Extracts a file and, recursively, its children the way an ingest does (DetectMediaType with the
// container's hint, Registry::Find, Extract), for tests that check what ends up searchable
// inside containers: archive members, attachments, embedded objects.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/document.h"
#include "core/status.h"
#include "extract/extractor.h"
#include "extract/registry.h"
#include "tests/extract/common/recording_sink.h"

namespace trove::extract::testing {

struct ExtractedNode {
  std::string name;
  std::string media_type;  // as detected
  Status status;           // of this node's extraction
  Extraction extraction;
  std::vector<ExtractedNode> children;
  std::vector<RecordingSink::Failure> failures;

  // The first node (this one or below) whose name is `wanted`, or null.
  const ExtractedNode* Find(std::string_view wanted) const {
    if (name == wanted) return this;
    for (const ExtractedNode& child : children) {
      if (const ExtractedNode* found = child.Find(wanted)) return found;
    }
    return nullptr;
  }
  std::vector<std::string> ChildNames() const {
    std::vector<std::string> names;
    for (const ExtractedNode& child : children) names.push_back(child.name);
    return names;
  }
};

// The text of `parent`'s child named `name`, failing the test when it is missing or unreadable.
inline std::string ChildText(const ExtractedNode& parent, std::string_view name) {
  for (const ExtractedNode& child : parent.children) {
    if (child.name != name) continue;
    EXPECT_TRUE(child.status.ok()) << name << ": " << child.status.ToString();
    return child.extraction.text;
  }
  ADD_FAILURE() << "no child " << name << " among "
                << ::testing::PrintToString(parent.ChildNames());
  return {};
}

// `depth` levels of children are extracted below the file itself.
inline ExtractedNode ExtractTree(std::string_view bytes, std::string name, std::string_view hint,
                                 int depth) {
  static const std::unique_ptr<Registry> registry = Registry::CreateDefault();
  ExtractedNode node;
  node.name = std::move(name);
  node.media_type = DetectMediaType(bytes, node.name, hint);
  const Extractor* extractor = registry->Find(node.media_type);
  if (extractor == nullptr) {
    node.status = Status::Unsupported("no extractor for " + node.media_type);
    return node;
  }
  RecordingSink sink;
  Input input;
  input.bytes = bytes;
  input.name = node.name;
  input.media_type = node.media_type;
  Result<Extraction> result = extractor->Extract(input, sink);
  if (!result.ok()) {
    node.status = result.status();
    return node;
  }
  node.extraction = std::move(result).value();
  node.failures = std::move(sink.failures);
  for (ChildFile& child : sink.children) {
    if (depth <= 0) {
      ExtractedNode leaf;
      leaf.name = child.name;
      leaf.media_type = DetectMediaType(child.bytes, child.name, child.media_type);
      node.children.push_back(std::move(leaf));
      continue;
    }
    node.children.push_back(ExtractTree(child.bytes, child.name, child.media_type, depth - 1));
  }
  return node;
}

}  // namespace trove::extract::testing

// Helpers shared by the OOXML and ODF extractors: bounded text building, a non-recursive XML
// walk (hostile files nest elements millions deep), ISO 8601 dates and package part paths.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "core/status.h"
#include "extract/extractor.h"
#include "extract/office/zip_package.h"

namespace trove::extract::internal {

// Accumulates extracted text up to a byte limit. Once full, further appends are dropped and
// is_truncated() turns true; callers may check full() to stop early.
class TextBuilder {
 public:
  explicit TextBuilder(std::uint64_t max_bytes) : max_bytes_(max_bytes) {}

  void Append(std::string_view s);
  void Append(char c) { Append(std::string_view(&c, 1)); }
  // Appends `c` unless the text is empty or already ends with `c` or a newline / page break.
  void Separate(char c);
  // Removes trailing characters found in `chars`.
  void TrimTrailing(std::string_view chars);
  bool full() const { return is_truncated_; }
  bool is_truncated() const { return is_truncated_; }
  bool empty() const { return text_.empty(); }
  char back() const { return text_.empty() ? '\0' : text_.back(); }
  // The text as valid UTF-8, still within the limit; leaves the builder empty.
  std::string Finish();

 private:
  std::uint64_t max_bytes_;
  std::string text_;
  bool is_truncated_ = false;
};

// The element name without its namespace prefix ("w:t" -> "t").
std::string_view LocalName(const pugi::xml_node& node);

// The first attribute whose name, without its prefix, is `local_name`; empty if none.
pugi::xml_attribute AttributeByLocalName(const pugi::xml_node& node, std::string_view local_name);

// Walks the subtree under `root` in document order without recursion. `enter(node)` returns
// whether to descend into the node's children; `leave(node)` runs after a node (and its children,
// if visited) for every node entered. `root` itself is not visited.
template <typename Enter, typename Leave>
void WalkXml(const pugi::xml_node& root, Enter&& enter, Leave&& leave) {
  pugi::xml_node node = root.first_child();
  while (node) {
    if (enter(node) && node.first_child()) {
      node = node.first_child();
      continue;
    }
    leave(node);
    while (!node.next_sibling()) {
      node = node.parent();
      if (!node || node == root) return;
      leave(node);
    }
    node = node.next_sibling();
  }
}

// Parses `xml` into `doc`. Corrupt("<member>: <pugixml's reason> at offset N") on failure.
// DOCTYPEs and entities other than the predefined ones are never expanded.
Status ParseXml(std::string_view xml, std::string_view member, pugi::xml_document& doc);

// Reads and parses one part of `package`. NotFound when absent; other errors name the member.
Status ReadXml(ZipPackage& package, const std::string& part, pugi::xml_document& doc);

// Like ReadXml for parts we can do without: a missing or damaged one is skipped (false), but a
// limit is still an error, so that a bomb hidden in a footer is reported.
Result<bool> ReadOptionalXml(ZipPackage& package, const std::string& part, pugi::xml_document& doc);

// Seconds since the epoch for "2007-09-15T09:02:31Z", "2012-01-10T14:27:05.36",
// "2009-04-28T10:06:56+01:00" or "2009-04-28"; a missing zone means UTC. nullopt when malformed.
std::optional<std::int64_t> ParseIsoDateTime(std::string_view text);

// `date` unless it lies before 1900: Office writes 1601-01-01 (a zero FILETIME) for "unset".
std::optional<std::int64_t> PlausibleDate(std::optional<std::int64_t> date);

// The trimmed, single-line, valid-UTF-8 text content of an element, bounded to 4 KiB.
std::string MetadataValue(const pugi::xml_node& node);

// Resolves a relationship target against the folder of the part that holds it:
// ("word/document.xml", "media/a.png") -> "word/media/a.png"; "/xl/a.xml" -> "xl/a.xml".
// ".." segments are resolved and cannot climb above the package root.
std::string ResolvePartPath(std::string_view source_part, std::string_view target);

// One relationship from a .rels part.
struct Relationship {
  std::string id;
  std::string type;    // the full type URI
  std::string target;  // resolved against the source part; empty for external targets
};

// The relationships of `source_part` ("" for the package's own _rels/.rels) from the parsed
// .rels document.
std::vector<Relationship> ParseRelationships(const pugi::xml_document& rels,
                                             std::string_view source_part);

// "word/document.xml" -> "word/_rels/document.xml.rels"; "" -> "_rels/.rels".
std::string RelationshipsPartFor(std::string_view source_part);

// Embedded objects read from one package at most; real documents embed a handful, a hostile one
// may list millions.
inline constexpr std::size_t kMaxEmbeddedObjects = 1000;

// Sends the embedded part `part` of `package` to `sink` as a child document. An OLE compound
// file goes through ole/embedded_object.h: the file it wraps, named by the object or by the part
// path with the extension of what it holds ("word/embeddings/oleObject1.bin" holding a PDF ->
// "word/embeddings/oleObject1.pdf"). Any other file is sent as it is, named by its part path.
// A part that cannot be read goes to sink.OnChildFailed; the result is not OK only when the
// sink refuses a child.
Status EmitEmbeddedPart(ZipPackage& package, const std::string& part, const Limits& limits,
                        ChildSink& sink);

}  // namespace trove::extract::internal

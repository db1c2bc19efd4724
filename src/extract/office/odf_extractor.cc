// OdfExtractor: OpenDocument packages (odt, ods, odp, odg and their templates), read with libzip
// and pugixml.
//
// Text from content.xml's office:body: paragraphs and headings one per line; table rows one per
// line with cells tab-separated; each spreadsheet table preceded by its name (also metadata
// "sheet"); presentation/drawing pages separated by kPageBreak (page_count = pages); then the
// headers and footers of styles.xml's master pages. Repeated rows and columns
// (table:number-rows-repeated) are not expanded: they only ever repeat empty or identical cells,
// and expanding them is a classic way to make a tiny file explode. Tracked deletions are left
// out. Metadata from meta.xml.
// Children: each embedded document object, in manifest order. One kept as a folder ("Object 1/",
// a spreadsheet in a text) is written out as an ODF package of its own, named "Object 1.ods";
// an OLE object ("Object 2", a Word or Excel object) is unwrapped by ole/embedded_object.h.
// Charts and formulas are not children: they draw the document's own data, as OOXML's charts do.
// Pictures are not children.
// Failures: Unsupported("encrypted OpenDocument") when the manifest lists encryption data;
// Corrupt for a damaged zip or content.xml; LimitExceeded naming the member for zip bombs.
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <pugixml.hpp>

#include "core/document.h"
#include "core/status.h"
#include "core/text.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/office/office_common.h"
#include "extract/office/zip_package.h"

namespace trove::extract::internal {
namespace {

// <text:s text:c="1000000"/> asks for a million spaces; a few are enough for search.
constexpr int kMaxRepeatedSpaces = 64;
constexpr std::size_t kMaxUserDefinedFields = 32;

// The media type the manifest gives LibreOffice's OLE objects.
constexpr std::string_view kOleObjectType = "application/vnd.sun.star.oleobject";

constexpr std::string_view kAcceptedTypes[] = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.text-template",
    "application/vnd.oasis.opendocument.text-master",
    "application/vnd.oasis.opendocument.text-web",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.oasis.opendocument.presentation-template",
    "application/vnd.oasis.opendocument.graphics",
    "application/vnd.oasis.opendocument.graphics-template",
};

// The extension of an ODF document type, for naming an embedded object's package; empty for
// types that are not documents (charts, formulas).
std::string_view OdfExtension(std::string_view media_type) {
  static constexpr std::pair<std::string_view, std::string_view> kExtensions[] = {
      {"application/vnd.oasis.opendocument.text", ".odt"},
      {"application/vnd.oasis.opendocument.text-template", ".ott"},
      {"application/vnd.oasis.opendocument.text-master", ".odm"},
      {"application/vnd.oasis.opendocument.text-web", ".oth"},
      {"application/vnd.oasis.opendocument.spreadsheet", ".ods"},
      {"application/vnd.oasis.opendocument.spreadsheet-template", ".ots"},
      {"application/vnd.oasis.opendocument.presentation", ".odp"},
      {"application/vnd.oasis.opendocument.presentation-template", ".otp"},
      {"application/vnd.oasis.opendocument.graphics", ".odg"},
      {"application/vnd.oasis.opendocument.graphics-template", ".otg"},
  };
  for (const auto& [type, extension] : kExtensions) {
    if (type == media_type) return extension;
  }
  return {};
}

bool IsElement(const pugi::xml_node& node, std::string_view local_name) {
  return node.type() == pugi::node_element && LocalName(node) == local_name;
}

// Walks ODF body or master-page content, appending its text.
class OdfTextWalker {
 public:
  OdfTextWalker(TextBuilder& text, Extraction& out, bool is_spreadsheet)
      : text_(text), out_(out), is_spreadsheet_(is_spreadsheet) {}

  void Walk(const pugi::xml_node& root) {
    WalkXml(
        root, [this](const pugi::xml_node& node) { return Enter(node); },
        [this](const pugi::xml_node& node) { Leave(node); });
  }

  int page_count() const { return page_count_; }

 private:
  bool Enter(const pugi::xml_node& node) {
    if (text_.full()) return false;
    if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
      if (paragraph_depth_ > 0) text_.Append(node.value());
      return false;
    }
    if (node.type() != pugi::node_element) return false;
    const std::string_view name = LocalName(node);
    if (name == "p" || name == "h") {
      ++paragraph_depth_;
      return true;
    }
    if (name == "tab") {
      text_.Append('\t');
      return false;
    }
    if (name == "line-break") {
      text_.Append('\n');
      return false;
    }
    if (name == "s") {
      const int count =
          std::clamp(AttributeByLocalName(node, "c").as_int(1), 1, kMaxRepeatedSpaces);
      text_.Append(std::string(static_cast<std::size_t>(count), ' '));
      return false;
    }
    if (name == "table-cell" || name == "covered-table-cell") {
      ++cell_depth_;
      return true;
    }
    if (name == "page") {  // draw:page: a slide or drawing page
      if (page_count_ > 0) text_.Append(kPageBreak);
      ++page_count_;
      return true;
    }
    if (name == "table" && is_spreadsheet_ && cell_depth_ == 0) {
      std::string sheet_name = SanitizeUtf8(AttributeByLocalName(node, "name").value());
      if (sheet_name.size() > 256) sheet_name.clear();
      if (!sheet_name.empty()) out_.metadata.emplace_back("sheet", sheet_name);
      if (!text_.empty()) {
        text_.Separate('\n');
        text_.Append('\n');
      }
      text_.Append(sheet_name);
      text_.Append('\n');
      return true;
    }
    // Deleted text of tracked changes, declarations, forms, and an annotation's author/date
    // (dc:creator, dc:date) are not body text.
    static constexpr std::string_view kSkipped[] = {
        "tracked-changes", "sequence-decls", "variable-decls", "user-field-decls",
        "forms",           "table-columns",  "table-column"};
    for (std::string_view skipped : kSkipped) {
      if (name == skipped) return false;
    }
    if ((name == "creator" || name == "date") && IsElement(node.parent(), "annotation")) {
      return false;
    }
    return true;
  }

  void Leave(const pugi::xml_node& node) {
    if (node.type() != pugi::node_element) return;
    const std::string_view name = LocalName(node);
    if (name == "p" || name == "h") {
      --paragraph_depth_;
      // Paragraphs inside a cell join with spaces so the row stays on one line.
      if (cell_depth_ > 0) {
        text_.Separate(' ');
      } else {
        text_.Separate('\n');
      }
    } else if (name == "table-cell" || name == "covered-table-cell") {
      --cell_depth_;
      text_.TrimTrailing(" ");
      if (cell_depth_ == 0) text_.Append('\t');
    } else if (name == "table-row") {
      if (cell_depth_ == 0) {
        text_.TrimTrailing("\t ");
        text_.Separate('\n');
      }
    } else if (name == "page") {
      text_.TrimTrailing("\n ");
    }
  }

  TextBuilder& text_;
  Extraction& out_;
  const bool is_spreadsheet_;
  int paragraph_depth_ = 0;
  int cell_depth_ = 0;
  int page_count_ = 0;
};

class OdfReader {
 public:
  OdfReader(ZipPackage& package, const Limits& limits, ChildSink& children)
      : package_(package), limits_(limits), children_(children), text_(limits.max_text_bytes) {}

  Result<Extraction> Run() {
    TROVE_RETURN_IF_ERROR(CheckNotEncrypted());
    pugi::xml_document content;
    Status status = ReadXml(package_, "content.xml", content);
    if (status.Is(StatusCode::kNotFound)) return Status::Corrupt(status.message());
    TROVE_RETURN_IF_ERROR(status);

    const pugi::xml_node body = FindChild(content.document_element(), "body");
    pugi::xml_node kind_node;
    for (const pugi::xml_node& child : body.children()) {
      if (child.type() == pugi::node_element) {
        kind_node = child;
        break;
      }
    }
    const std::string_view kind = kind_node ? LocalName(kind_node) : std::string_view();
    OdfTextWalker walker(text_, out_, kind == "spreadsheet");
    walker.Walk(body);
    if (kind == "presentation" || kind == "drawing") out_.page_count = walker.page_count();

    TROVE_RETURN_IF_ERROR(ReadMasterPages());
    TROVE_RETURN_IF_ERROR(ReadMeta(kind == "text"));
    TROVE_RETURN_IF_ERROR(EmitEmbeddedObjects());
    out_.text = text_.Finish();
    out_.is_truncated = text_.is_truncated();
    return std::move(out_);
  }

 private:
  static pugi::xml_node FindChild(const pugi::xml_node& parent, std::string_view local_name) {
    for (const pugi::xml_node& child : parent.children()) {
      if (IsElement(child, local_name)) return child;
    }
    return {};
  }

  // Password-protected ODF keeps its zip structure but encrypts members; the manifest says so
  // with <manifest:encryption-data>.
  Status CheckNotEncrypted() {
    TROVE_ASSIGN_OR_RETURN(has_manifest_,
                           ReadOptionalXml(package_, "META-INF/manifest.xml", manifest_));
    if (!has_manifest_) return Status::Ok();
    bool is_encrypted = false;
    WalkXml(
        manifest_,
        [&is_encrypted](const pugi::xml_node& node) {
          if (IsElement(node, "encryption-data")) is_encrypted = true;
          return !is_encrypted;
        },
        [](const pugi::xml_node&) {});
    if (is_encrypted) return Status::Unsupported("encrypted OpenDocument");
    return Status::Ok();
  }

  // The manifest lists every object: a top-level folder with a document type, or a top-level
  // OLE object file. Nested objects ("Object 1/Object 2/") are their own package's children.
  Status EmitEmbeddedObjects() {
    if (!has_manifest_) return Status::Ok();
    std::size_t count = 0;
    for (const pugi::xml_node& entry : manifest_.document_element().children()) {
      if (!IsElement(entry, "file-entry")) continue;
      const std::string path = AttributeByLocalName(entry, "full-path").value();
      const std::string_view type = AttributeByLocalName(entry, "media-type").value();
      const std::size_t slash = path.find('/');
      const bool is_folder = slash != std::string::npos && slash > 0 && slash + 1 == path.size();
      const bool is_ole_object = slash == std::string::npos && !path.empty() &&
                                 (type == kOleObjectType || path.starts_with("Object "));
      const std::string_view extension = is_folder ? OdfExtension(type) : std::string_view();
      if (extension.empty() && !is_ole_object) continue;
      if (is_ole_object && !package_.Has(path)) continue;
      if (++count > kMaxEmbeddedObjects) {
        children_.OnChildFailed(
            path, Status::LimitExceeded("more than " + std::to_string(kMaxEmbeddedObjects) +
                                        " embedded objects; the rest are not read"));
        break;
      }
      if (is_ole_object) {
        TROVE_RETURN_IF_ERROR(EmitEmbeddedPart(package_, path, limits_, children_));
        continue;
      }
      std::string name = SanitizeUtf8(path.substr(0, slash)) + std::string(extension);
      Result<std::string> package = package_.RepackageFolder(path, type, limits_.max_child_bytes);
      if (!package.ok()) {
        children_.OnChildFailed(std::move(name), package.status());
        continue;
      }
      TROVE_RETURN_IF_ERROR(children_.OnChild(
          ChildFile{std::move(name), std::move(package).value(), std::string(type), std::nullopt}));
    }
    return Status::Ok();
  }

  Status ReadMasterPages() {
    pugi::xml_document styles;
    TROVE_ASSIGN_OR_RETURN(const bool found, ReadOptionalXml(package_, "styles.xml", styles));
    if (!found) return Status::Ok();
    const pugi::xml_node master_styles = FindChild(styles.document_element(), "master-styles");
    for (const pugi::xml_node& master_page : master_styles.children()) {
      for (const pugi::xml_node& part : master_page.children()) {
        const std::string_view name = LocalName(part);
        if (name != "header" && name != "footer" && name != "header-first" &&
            name != "footer-first" && name != "header-left" && name != "footer-left") {
          continue;
        }
        text_.Separate('\n');
        OdfTextWalker walker(text_, out_, /*is_spreadsheet=*/false);
        walker.Walk(part);
      }
    }
    return Status::Ok();
  }

  Status ReadMeta(bool is_text_document) {
    pugi::xml_document meta;
    TROVE_ASSIGN_OR_RETURN(const bool found, ReadOptionalXml(package_, "meta.xml", meta));
    if (!found) return Status::Ok();
    const pugi::xml_node fields = FindChild(meta.document_element(), "meta");
    std::string initial_creator, last_creator;
    std::optional<std::int64_t> created, modified;
    std::size_t user_defined = 0;
    for (const pugi::xml_node& field : fields.children()) {
      const std::string_view name = LocalName(field);
      if (name == "document-statistic") {
        const int pages = AttributeByLocalName(field, "page-count").as_int(0);
        if (is_text_document && pages > 0) out_.page_count = pages;
        continue;
      }
      std::string value = MetadataValue(field);
      if (value.empty()) continue;
      if (name == "title") {
        out_.title = std::move(value);
      } else if (name == "initial-creator") {
        initial_creator = std::move(value);
      } else if (name == "creator") {
        last_creator = std::move(value);
      } else if (name == "creation-date") {
        created = PlausibleDate(ParseIsoDateTime(value));
      } else if (name == "date") {
        modified = PlausibleDate(ParseIsoDateTime(value));
        out_.metadata.emplace_back("modified", std::move(value));
      } else if (name == "subject" || name == "description") {
        out_.metadata.emplace_back(std::string(name), std::move(value));
      } else if (name == "keyword") {
        out_.metadata.emplace_back("keywords", std::move(value));
      } else if (name == "generator") {
        out_.metadata.emplace_back("application", std::move(value));
      } else if (name == "user-defined" && user_defined < kMaxUserDefinedFields) {
        std::string key = SanitizeUtf8(AttributeByLocalName(field, "name").value());
        if (key.empty() || key.size() > 64) continue;
        ++user_defined;
        out_.metadata.emplace_back(std::move(key), std::move(value));
      }
    }
    // In ODF dc:creator is the last person who saved; meta:initial-creator is the author.
    out_.author = !initial_creator.empty() ? initial_creator : last_creator;
    if (!last_creator.empty()) out_.metadata.emplace_back("last_modified_by", last_creator);
    out_.date = created ? created : modified;
    return Status::Ok();
  }

  ZipPackage& package_;
  const Limits& limits_;
  ChildSink& children_;
  pugi::xml_document manifest_;
  bool has_manifest_ = false;
  TextBuilder text_;
  Extraction out_;
};

class OdfExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "odf"; }

  bool Accepts(std::string_view media_type) const override {
    return std::find(std::begin(kAcceptedTypes), std::end(kAcceptedTypes), media_type) !=
           std::end(kAcceptedTypes);
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    try {
      Result<std::unique_ptr<ZipPackage>> package = ZipPackage::Open(input.bytes);
      if (!package.ok()) return package.status();
      OdfReader reader(**package, input.limits, children);
      return reader.Run();
    } catch (const std::bad_alloc&) {
      return Status::LimitExceeded("OpenDocument needs more memory than available");
    } catch (const std::exception& e) {
      return Status::Corrupt(std::string("damaged OpenDocument: ") + e.what());
    }
  }
};

}  // namespace

std::unique_ptr<Extractor> NewOdfExtractor() { return std::make_unique<OdfExtractor>(); }

}  // namespace trove::extract::internal

// OoxmlExtractor: Word, Excel and PowerPoint 2007+ packages (docx, xlsx, pptx and their macro and
// template variants), read with libzip and pugixml.
//
// Text:
//   word          body paragraphs in order (w:t, w:tab, w:br), then footnotes, endnotes,
//                 comments, headers and footers; page_count from docProps/app.xml (Pages).
//   spreadsheet   per sheet: its name on a line, then one line per row, cells tab-separated
//                 (shared and inline strings, numbers as stored); sheets separated by a blank
//                 line; each sheet name also goes to metadata ("sheet").
//   presentation  slides in presentation order, each followed by its notes, separated by
//                 kPageBreak; page_count is the number of slides.
// Metadata from docProps/core.xml and docProps/app.xml. Deleted tracked-change text and field
// codes are left out.
// Children: the parts under word/, xl/ or ppt/embeddings/ (embedded workbooks, documents, PDFs,
// packaged files), in directory order: an Office 2007+ file as it is, named by its part path; an
// OLE object (oleObject1.bin) unwrapped by ole/embedded_object.h. Pictures (word/media) are not
// children.
// Failures: Unsupported("encrypted Office document") for a password-protected file (an OLE
// compound file holding an EncryptionInfo stream); Corrupt for a damaged zip or main part;
// LimitExceeded naming the member for zip bombs.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

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

constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
// Hostile packages can list millions of sheets or slides; a real one has at most a few thousand.
constexpr std::size_t kMaxParts = 10000;

constexpr std::string_view kAcceptedTypes[] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template",
    "application/vnd.ms-word.document.macroEnabled.12",
    "application/vnd.ms-word.template.macroEnabled.12",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template",
    "application/vnd.ms-excel.sheet.macroEnabled.12",
    "application/vnd.ms-excel.template.macroEnabled.12",
    "application/vnd.ms-excel.addin.macroEnabled.12",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
    "application/vnd.openxmlformats-officedocument.presentationml.template",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.12",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.12",
    "application/vnd.ms-powerpoint.template.macroEnabled.12",
};

// The last segment of a relationship type URI: ".../relationships/officeDocument" ->
// "officeDocument". Transitional and Strict OOXML differ only before it.
std::string_view RelationshipKind(std::string_view type) {
  const std::size_t slash = type.rfind('/');
  return slash == std::string_view::npos ? type : type.substr(slash + 1);
}

// The value of an r:id-style attribute, whatever prefix the relationships namespace got.
std::string_view RelationshipIdAttribute(const pugi::xml_node& node) {
  for (const pugi::xml_attribute& attribute : node.attributes()) {
    const std::string_view name = attribute.name();
    if (name.size() > 3 && name.substr(name.size() - 3) == ":id") return attribute.value();
  }
  return {};
}

// Appends the text of WordprocessingML / DrawingML / SpreadsheetML rich text under `root`.
// Paragraphs end with a newline.
void AppendRunText(const pugi::xml_node& root, TextBuilder& text) {
  WalkXml(
      root,
      [&text](const pugi::xml_node& node) {
        if (text.full() || node.type() != pugi::node_element) return false;
        const std::string_view name = LocalName(node);
        if (name == "t") {
          text.Append(node.child_value());
          return false;
        }
        if (name == "tab") {
          text.Append('\t');
          return false;
        }
        if (name == "br" || name == "cr") {
          text.Append('\n');
          return false;
        }
        if (name == "noBreakHyphen") {
          text.Append('-');
          return false;
        }
        // Tracked deletions, field codes, phonetic guides, properties, and mc:Fallback (a
        // second copy of the mc:Choice content for older readers) add no visible text.
        static constexpr std::string_view kSkipped[] = {
            "delText", "delInstrText", "instrText", "rPh",     "rPr",
            "pPr",     "sectPr",       "Fallback",  "fldData", "fld"};
        for (std::string_view skipped : kSkipped) {
          if (name == skipped) return false;
        }
        return true;
      },
      [&text](const pugi::xml_node& node) {
        if (node.type() == pugi::node_element && LocalName(node) == "p") text.Separate('\n');
      });
}

// True when an OLE compound file carries an "EncryptionInfo" stream (MS-OFFCRYPTO). Directory
// entry names are UTF-16LE and compared without case (some writers use "ENCRYPTIONINFO"), so we
// look for the name in that encoding rather than parse the compound file.
bool HasEncryptionInfoStream(std::string_view bytes) {
  constexpr std::string_view kName = "encryptioninfo";
  const std::size_t needed = kName.size() * 2;
  for (std::size_t pos = 0; pos + needed <= bytes.size(); ++pos) {
    std::size_t matched = 0;
    while (matched < kName.size()) {
      const char low = bytes[pos + 2 * matched];
      const char high = bytes[pos + 2 * matched + 1];
      if (high != '\0' || std::tolower(static_cast<unsigned char>(low)) != kName[matched]) {
        break;
      }
      ++matched;
    }
    if (matched == kName.size()) return true;
  }
  return false;
}

enum class PackageKind { kWord, kSpreadsheet, kPresentation };

// True for a part in an embeddings folder of the package ("word/embeddings/oleObject1.bin").
bool IsEmbeddedPart(std::string_view name) {
  if (name.empty() || name.back() == '/') return false;
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("/embeddings/") != std::string::npos;
}

class OoxmlReader {
 public:
  OoxmlReader(ZipPackage& package, const Limits& limits, ChildSink& children)
      : package_(package), limits_(limits), children_(children), text_(limits.max_text_bytes) {}

  Result<Extraction> Run() {
    std::vector<Relationship> package_rels;
    TROVE_RETURN_IF_ERROR(ReadRelationships("", package_rels));
    std::string main_part;
    std::string core_part = "docProps/core.xml";
    std::string app_part = "docProps/app.xml";
    for (const Relationship& relationship : package_rels) {
      const std::string_view kind = RelationshipKind(relationship.type);
      if (kind == "officeDocument" && main_part.empty()) main_part = relationship.target;
      if (kind == "core-properties") core_part = relationship.target;
      if (kind == "extended-properties") app_part = relationship.target;
    }
    if (main_part.empty()) {
      for (const char* guess : {"word/document.xml", "xl/workbook.xml", "ppt/presentation.xml"}) {
        if (package_.Has(guess)) {
          main_part = guess;
          break;
        }
      }
    }
    if (main_part.empty()) return Status::Corrupt("OOXML package without a main document part");

    pugi::xml_document main;
    Status status = ReadXml(package_, main_part, main);
    if (status.Is(StatusCode::kNotFound)) return Status::Corrupt(status.message());
    TROVE_RETURN_IF_ERROR(status);
    const std::string_view root_name = LocalName(main.document_element());
    if (root_name == "document") {
      kind_ = PackageKind::kWord;
      TROVE_RETURN_IF_ERROR(ReadWord(main_part, main));
    } else if (root_name == "workbook") {
      kind_ = PackageKind::kSpreadsheet;
      TROVE_RETURN_IF_ERROR(ReadSpreadsheet(main_part, main));
    } else if (root_name == "presentation") {
      kind_ = PackageKind::kPresentation;
      TROVE_RETURN_IF_ERROR(ReadPresentation(main_part, main));
    } else {
      return Status::Unsupported("OOXML main part " + main_part + " has root element <" +
                                 std::string(root_name.substr(0, 64)) + ">");
    }
    TROVE_RETURN_IF_ERROR(ReadCoreProperties(core_part));
    TROVE_RETURN_IF_ERROR(ReadAppProperties(app_part));
    for (const std::string& name : package_.names()) {
      if (name.ends_with("vbaProject.bin")) {
        out_.metadata.emplace_back("macros", "yes");
        break;
      }
    }
    TROVE_RETURN_IF_ERROR(EmitEmbeddedParts());
    out_.text = text_.Finish();
    out_.is_truncated = text_.is_truncated();
    return std::move(out_);
  }

 private:
  // The embeddings folders hold every embedded object and package whatever part refers to it;
  // reading the folder rather than each part's relationships finds them in one pass.
  Status EmitEmbeddedParts() {
    std::size_t count = 0;
    for (const std::string& name : package_.names()) {
      if (!IsEmbeddedPart(name)) continue;
      if (++count > kMaxEmbeddedObjects) {
        children_.OnChildFailed(
            name, Status::LimitExceeded("more than " + std::to_string(kMaxEmbeddedObjects) +
                                        " embedded objects; the rest are not read"));
        break;
      }
      TROVE_RETURN_IF_ERROR(EmitEmbeddedPart(package_, name, limits_, children_));
    }
    return Status::Ok();
  }

  Status ReadRelationships(const std::string& source_part, std::vector<Relationship>& out) {
    pugi::xml_document rels;
    TROVE_ASSIGN_OR_RETURN(const bool found,
                           ReadOptionalXml(package_, RelationshipsPartFor(source_part), rels));
    if (found) out = ParseRelationships(rels, source_part);
    return Status::Ok();
  }

  Status ReadWord(const std::string& main_part, const pugi::xml_document& main) {
    AppendRunText(main.document_element(), text_);
    std::vector<Relationship> rels;
    TROVE_RETURN_IF_ERROR(ReadRelationships(main_part, rels));
    // Notes and comments belong with the body; headers and footers repeat on every page and
    // come last.
    for (std::string_view wanted : {"footnotes", "endnotes", "comments", "header", "footer"}) {
      std::unordered_set<std::string> seen;
      for (const Relationship& relationship : rels) {
        if (RelationshipKind(relationship.type) != wanted || relationship.target.empty() ||
            !seen.insert(relationship.target).second) {
          continue;
        }
        pugi::xml_document part;
        TROVE_ASSIGN_OR_RETURN(const bool found,
                               ReadOptionalXml(package_, relationship.target, part));
        if (!found) continue;
        text_.Separate('\n');
        AppendRunText(part.document_element(), text_);
      }
    }
    return Status::Ok();
  }

  Status ReadSpreadsheet(const std::string& main_part, const pugi::xml_document& main) {
    std::vector<Relationship> rels;
    TROVE_RETURN_IF_ERROR(ReadRelationships(main_part, rels));
    std::unordered_map<std::string, std::string> target_by_id;
    std::string shared_strings_part;
    for (const Relationship& relationship : rels) {
      target_by_id.emplace(relationship.id, relationship.target);
      if (RelationshipKind(relationship.type) == "sharedStrings") {
        shared_strings_part = relationship.target;
      }
    }
    if (shared_strings_part.empty()) shared_strings_part = "xl/sharedStrings.xml";
    std::vector<std::string> shared_strings;
    TROVE_RETURN_IF_ERROR(ReadSharedStrings(shared_strings_part, shared_strings));

    const pugi::xml_node sheets = FindChildByLocalName(main.document_element(), "sheets");
    std::size_t sheet_count = 0;
    for (const pugi::xml_node& sheet : sheets.children()) {
      if (LocalName(sheet) != "sheet") continue;
      if (++sheet_count > kMaxParts) break;
      const std::string sheet_name = SheetName(sheet);
      if (!sheet_name.empty()) out_.metadata.emplace_back("sheet", sheet_name);
      const auto target = target_by_id.find(std::string(RelationshipIdAttribute(sheet)));
      if (target == target_by_id.end() || target->second.empty()) continue;
      pugi::xml_document worksheet;
      TROVE_ASSIGN_OR_RETURN(const bool found,
                             ReadOptionalXml(package_, target->second, worksheet));
      if (!found) continue;
      if (!text_.empty()) {
        text_.Separate('\n');
        text_.Append('\n');
      }
      text_.Append(sheet_name);
      text_.Append('\n');
      AppendSheetRows(worksheet, shared_strings);
      if (text_.full()) break;
    }
    return Status::Ok();
  }

  static pugi::xml_node FindChildByLocalName(const pugi::xml_node& parent, std::string_view name) {
    for (const pugi::xml_node& child : parent.children()) {
      if (LocalName(child) == name) return child;
    }
    return {};
  }

  static std::string SheetName(const pugi::xml_node& sheet) {
    std::string name = sheet.attribute("name").value();
    for (char& c : name) {
      if (c == '\n' || c == '\r' || c == '\t' || c == '\f') c = ' ';
    }
    // Cut first, then sanitise: the cut may split a character.
    return SanitizeUtf8(name.substr(0, 256));
  }

  Status ReadSharedStrings(const std::string& part, std::vector<std::string>& out) {
    pugi::xml_document doc;
    TROVE_ASSIGN_OR_RETURN(const bool found, ReadOptionalXml(package_, part, doc));
    if (!found) return Status::Ok();
    for (const pugi::xml_node& item : doc.document_element().children()) {
      if (LocalName(item) != "si") continue;
      // Each string is built with its own bound: a shared string repeats in many cells, and
      // the sheet text has the real limit.
      TextBuilder string_text(1 << 20);
      AppendRunText(item, string_text);
      out.push_back(string_text.Finish());
    }
    return Status::Ok();
  }

  void AppendSheetRows(const pugi::xml_document& worksheet,
                       const std::vector<std::string>& shared_strings) {
    const pugi::xml_node data = FindChildByLocalName(worksheet.document_element(), "sheetData");
    for (const pugi::xml_node& row : data.children()) {
      if (text_.full()) return;
      if (LocalName(row) != "row") continue;
      bool first_cell = true;
      for (const pugi::xml_node& cell : row.children()) {
        if (LocalName(cell) != "c") continue;
        const std::string value = CellValue(cell, shared_strings);
        if (!first_cell) text_.Append('\t');
        first_cell = false;
        text_.Append(value);
      }
      text_.TrimTrailing("\t");
      text_.Separate('\n');
    }
  }

  static std::string CellValue(const pugi::xml_node& cell,
                               const std::vector<std::string>& shared_strings) {
    const std::string_view type = cell.attribute("t").value();
    const pugi::xml_node value = FindChildByLocalName(cell, "v");
    if (type == "inlineStr") {
      TextBuilder inline_text(1 << 20);
      AppendRunText(FindChildByLocalName(cell, "is"), inline_text);
      return inline_text.Finish();
    }
    const std::string_view raw = value.child_value();
    if (type == "s") {
      std::size_t index = 0;
      for (char c : raw) {
        if (c < '0' || c > '9' || index > shared_strings.size()) return {};
        index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      if (raw.empty() || index >= shared_strings.size()) return {};
      return shared_strings[index];
    }
    if (type == "b") return raw == "1" ? "TRUE" : "FALSE";
    std::string text(raw.substr(0, 1 << 16));
    for (char& c : text) {
      if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    }
    return text;
  }

  Status ReadPresentation(const std::string& main_part, const pugi::xml_document& main) {
    std::vector<Relationship> rels;
    TROVE_RETURN_IF_ERROR(ReadRelationships(main_part, rels));
    std::unordered_map<std::string, std::string> target_by_id;
    for (const Relationship& relationship : rels) {
      if (RelationshipKind(relationship.type) == "slide") {
        target_by_id.emplace(relationship.id, relationship.target);
      }
    }
    const pugi::xml_node slide_list = FindChildByLocalName(main.document_element(), "sldIdLst");
    std::vector<std::string> slides;
    for (const pugi::xml_node& slide : slide_list.children()) {
      if (slides.size() >= kMaxParts) break;
      const auto target = target_by_id.find(std::string(RelationshipIdAttribute(slide)));
      if (target != target_by_id.end() && !target->second.empty()) {
        slides.push_back(target->second);
      }
    }
    out_.page_count = static_cast<int>(slides.size());
    for (std::size_t slide_idx = 0; slide_idx < slides.size() && !text_.full(); ++slide_idx) {
      if (slide_idx > 0) text_.Append(kPageBreak);
      pugi::xml_document slide;
      TROVE_ASSIGN_OR_RETURN(const bool found, ReadOptionalXml(package_, slides[slide_idx], slide));
      if (!found) continue;
      AppendRunText(slide.document_element(), text_);
      std::vector<Relationship> slide_rels;
      TROVE_RETURN_IF_ERROR(ReadRelationships(slides[slide_idx], slide_rels));
      // Speaker notes, then reviewers' comments (p:cm/p:text, plain text), after the slide.
      for (std::string_view wanted : {"notesSlide", "comments"}) {
        for (const Relationship& relationship : slide_rels) {
          if (RelationshipKind(relationship.type) != wanted || relationship.target.empty()) {
            continue;
          }
          pugi::xml_document part;
          TROVE_ASSIGN_OR_RETURN(const bool part_found,
                                 ReadOptionalXml(package_, relationship.target, part));
          if (!part_found) continue;
          text_.Separate('\n');
          if (wanted == "notesSlide") {
            AppendRunText(part.document_element(), text_);
          } else {
            AppendSlideComments(part.document_element());
          }
          break;
        }
      }
      text_.TrimTrailing("\n ");
    }
    return Status::Ok();
  }

  void AppendSlideComments(const pugi::xml_node& comment_list) {
    for (const pugi::xml_node& comment : comment_list.children()) {
      if (LocalName(comment) != "cm") continue;
      text_.Append(FindChildByLocalName(comment, "text").child_value());
      text_.Separate('\n');
    }
  }

  Status ReadCoreProperties(const std::string& part) {
    pugi::xml_document doc;
    TROVE_ASSIGN_OR_RETURN(const bool found, ReadOptionalXml(package_, part, doc));
    if (!found) return Status::Ok();
    std::optional<std::int64_t> created, modified;
    for (const pugi::xml_node& property : doc.document_element().children()) {
      const std::string_view name = LocalName(property);
      std::string value = MetadataValue(property);
      if (value.empty()) continue;
      if (name == "title") {
        out_.title = std::move(value);
      } else if (name == "creator") {
        out_.author = std::move(value);
      } else if (name == "created") {
        created = PlausibleDate(ParseIsoDateTime(value));
      } else if (name == "modified") {
        modified = PlausibleDate(ParseIsoDateTime(value));
        out_.metadata.emplace_back("modified", std::move(value));
      } else if (name == "subject" || name == "keywords" || name == "description" ||
                 name == "category") {
        out_.metadata.emplace_back(std::string(name), std::move(value));
      } else if (name == "lastModifiedBy") {
        out_.metadata.emplace_back("last_modified_by", std::move(value));
      }
    }
    out_.date = created ? created : modified;
    return Status::Ok();
  }

  Status ReadAppProperties(const std::string& part) {
    pugi::xml_document doc;
    TROVE_ASSIGN_OR_RETURN(const bool found, ReadOptionalXml(package_, part, doc));
    if (!found) return Status::Ok();
    for (const pugi::xml_node& property : doc.document_element().children()) {
      const std::string_view name = LocalName(property);
      std::string value = MetadataValue(property);
      if (value.empty()) continue;
      if (name == "Application") {
        out_.metadata.emplace_back("application", std::move(value));
      } else if (name == "Company") {
        out_.metadata.emplace_back("company", std::move(value));
      } else if (name == "Template") {
        out_.metadata.emplace_back("template", std::move(value));
      } else if (name == "Pages" && kind_ == PackageKind::kWord) {
        // Word's own count at the last save; we do not lay pages out ourselves.
        const int pages = std::atoi(value.substr(0, 9).c_str());
        if (pages > 0) out_.page_count = pages;
      }
    }
    return Status::Ok();
  }

  ZipPackage& package_;
  const Limits& limits_;
  ChildSink& children_;
  TextBuilder text_;
  Extraction out_;
  PackageKind kind_ = PackageKind::kWord;
};

class OoxmlExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "ooxml"; }

  bool Accepts(std::string_view media_type) const override {
    return std::find(std::begin(kAcceptedTypes), std::end(kAcceptedTypes), media_type) !=
           std::end(kAcceptedTypes);
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    try {
      return ExtractOrThrow(input, children);
    } catch (const std::bad_alloc&) {
      return Status::LimitExceeded("Office document needs more memory than available");
    } catch (const std::exception& e) {
      return Status::Corrupt(std::string("damaged Office document: ") + e.what());
    }
  }

 private:
  static Result<Extraction> ExtractOrThrow(const Input& input, ChildSink& children) {
    if (input.bytes.substr(0, kOleMagic.size()) == kOleMagic) {
      if (HasEncryptionInfoStream(input.bytes)) {
        return Status::Unsupported("encrypted Office document");
      }
      return Status::Unsupported("OLE compound file, not an OOXML package (legacy Office format?)");
    }
    Result<std::unique_ptr<ZipPackage>> package = ZipPackage::Open(input.bytes);
    if (!package.ok()) return package.status();
    OoxmlReader reader(**package, input.limits, children);
    return reader.Run();
  }
};

}  // namespace

std::unique_ptr<Extractor> NewOoxmlExtractor() { return std::make_unique<OoxmlExtractor>(); }

}  // namespace trove::extract::internal

// EPUB (application/epub+zip): a zip of XHTML chapters. The package document (OPF, found through
// META-INF/container.xml) gives the Dublin Core metadata and the reading order (spine); each
// chapter is read with the office zip reader (bounded, bomb-safe) and rendered with the HTML text
// code, one page per chapter. DRM-encrypted chapters cannot be read and are reported.
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/html/html_text.h"
#include "extract/internal/builtin.h"
#include "extract/office/office_common.h"
#include "extract/office/zip_package.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

constexpr std::string_view kContainer = "META-INF/container.xml";
constexpr std::string_view kEncryption = "META-INF/encryption.xml";
// A spine longer than this is cut (real books have a few hundred chapters at most).
constexpr std::size_t kMaxChapters = 10'000;

std::string PercentDecoded(std::string_view href) {
  std::string out;
  for (std::size_t pos = 0; pos < href.size(); ++pos) {
    if (href[pos] == '%' && pos + 2 < href.size() &&
        std::isxdigit(static_cast<unsigned char>(href[pos + 1])) &&
        std::isxdigit(static_cast<unsigned char>(href[pos + 2]))) {
      out += static_cast<char>(std::stoi(std::string(href.substr(pos + 1, 2)), nullptr, 16));
      pos += 2;
    } else {
      out += href[pos];
    }
  }
  const std::size_t fragment = out.find('#');
  if (fragment != std::string::npos) out.resize(fragment);
  return out;
}

bool IsHtmlName(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.ends_with(".xhtml") || lower.ends_with(".html") || lower.ends_with(".htm");
}

// The package document's path: container.xml's first rootfile, else the first .opf member.
std::string FindPackageDocument(ZipPackage& package) {
  pugi::xml_document container;
  if (ReadXml(package, std::string(kContainer), container).ok()) {
    std::string found;
    WalkXml(
        container,
        [&found](const pugi::xml_node& node) {
          if (found.empty() && LocalName(node) == "rootfile") {
            found = AttributeByLocalName(node, "full-path").value();
          }
          return found.empty();
        },
        [](const pugi::xml_node&) {});
    if (!found.empty()) return ResolvePartPath("", PercentDecoded(found));
  }
  for (const std::string& name : package.names()) {
    if (name.size() > 4 && name.substr(name.size() - 4) == ".opf") return name;
  }
  return {};
}

// True when encryption.xml encrypts content documents (DRM), not only fonts (font obfuscation).
Result<bool> HasEncryptedChapters(ZipPackage& package) {
  pugi::xml_document encryption;
  TROVE_ASSIGN_OR_RETURN(bool is_present,
                         ReadOptionalXml(package, std::string(kEncryption), encryption));
  if (!is_present) return false;
  bool is_encrypted = false;
  WalkXml(
      encryption,
      [&is_encrypted](const pugi::xml_node& node) {
        if (LocalName(node) == "CipherReference" &&
            IsHtmlName(AttributeByLocalName(node, "URI").value())) {
          is_encrypted = true;
        }
        return !is_encrypted;
      },
      [](const pugi::xml_node&) {});
  return is_encrypted;
}

struct Package {
  std::vector<std::string> chapters;  // member names in reading order
};

Package ReadPackageDocument(const pugi::xml_document& opf, const std::string& opf_path,
                            Extraction* extraction) {
  std::unordered_map<std::string, std::string> href_by_id;
  std::vector<std::string> spine;
  std::vector<std::string> creators;
  WalkXml(
      opf,
      [&](const pugi::xml_node& node) {
        const std::string_view name = LocalName(node);
        if (name == "item") {
          href_by_id[AttributeByLocalName(node, "id").value()] =
              ResolvePartPath(opf_path, PercentDecoded(AttributeByLocalName(node, "href").value()));
          return false;
        }
        if (name == "itemref") {
          if (spine.size() < kMaxChapters)
            spine.emplace_back(AttributeByLocalName(node, "idref").value());
          return false;
        }
        const std::string value = MetadataValue(node);
        if (name == "title" && extraction->title.empty()) {
          extraction->title = value;
        } else if (name == "creator" && !value.empty()) {
          creators.push_back(value);
        } else if (name == "date" && !extraction->date) {
          extraction->date = ParseIsoDateTime(value);
        } else if ((name == "publisher" || name == "description" || name == "subject" ||
                    name == "language" || name == "contributor") &&
                   !value.empty() && node.parent() && LocalName(node.parent()) == "metadata") {
          extraction->metadata.emplace_back(std::string(name), value);
        }
        return name == "package" || name == "metadata" || name == "manifest" || name == "spine";
      },
      [](const pugi::xml_node&) {});
  if (!creators.empty()) {
    extraction->author = creators.front();
    for (std::size_t idx = 1; idx < creators.size(); ++idx) {
      extraction->metadata.emplace_back("creator", creators[idx]);
    }
  }
  Package package;
  for (const std::string& id : spine) {
    const auto found = href_by_id.find(id);
    if (found != href_by_id.end() && !found->second.empty())
      package.chapters.push_back(found->second);
  }
  return package;
}

class EpubExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "epub"; }

  bool Accepts(std::string_view media_type) const override {
    return BareMediaType(media_type) == "application/epub+zip";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    TROVE_ASSIGN_OR_RETURN(std::unique_ptr<ZipPackage> package, ZipPackage::Open(input.bytes));
    TROVE_ASSIGN_OR_RETURN(bool is_drm, HasEncryptedChapters(*package));
    if (is_drm) {
      return Status::Unsupported("EPUB " + std::string(input.name) +
                                 " is DRM-protected: its chapters are encrypted");
    }
    Extraction extraction;
    std::vector<std::string> chapters;
    const std::string opf_path = FindPackageDocument(*package);
    if (!opf_path.empty()) {
      pugi::xml_document opf;
      TROVE_ASSIGN_OR_RETURN(bool has_opf, ReadOptionalXml(*package, opf_path, opf));
      if (has_opf) chapters = ReadPackageDocument(opf, opf_path, &extraction).chapters;
    }
    if (chapters.empty()) {  // no usable spine: every HTML member in directory order
      for (const std::string& name : package->names()) {
        if (IsHtmlName(name) && chapters.size() < kMaxChapters) chapters.push_back(name);
      }
    }
    TextBuilder text(input.limits.max_text_bytes);
    for (const std::string& chapter : chapters) {
      if (text.full()) break;
      Result<std::string> bytes = package->Read(chapter);
      if (!bytes.ok()) {
        if (bytes.status().Is(StatusCode::kNotFound)) continue;  // a spine entry without a file
        if (bytes.status().Is(StatusCode::kLimitExceeded)) return bytes.status();
        children.OnChildFailed(chapter, bytes.status());
        continue;
      }
      const DecodedText decoded = DecodeToUtf8OrDetect(*bytes, DeclaredHtmlCharset(*bytes));
      const HtmlContent content = ParseHtml(decoded.text, input.limits.max_text_bytes);
      if (extraction.title.empty()) extraction.title = content.title;
      std::string_view body = content.text;
      while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back())))
        body.remove_suffix(1);
      if (body.empty()) continue;
      if (!text.empty()) text.Append(kPageBreak);
      text.Append(body);
      ++extraction.page_count;
    }
    extraction.is_truncated = text.is_truncated();
    extraction.text = text.Finish();
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewEpubExtractor() { return std::make_unique<EpubExtractor>(); }

}  // namespace trove::extract::internal

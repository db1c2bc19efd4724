// The catch-all extractor for plain text: text/* not claimed by a more specific extractor, and
// textual application types (JSON, XML, scripts). The text is decoded to UTF-8 and kept as is;
// markup in XML is not interpreted.
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

// Text types with their own extractor (html/, text/csv_extractor.cc, rtf/).
constexpr std::array<std::string_view, 6> kClaimedTextTypes = {
    "text/html", "text/csv",   "text/tab-separated-values",
    "text/rtf",  "text/x-csv", "text/comma-separated-values"};

constexpr std::array<std::string_view, 12> kTextualApplicationTypes = {
    "application/json",          "application/xml",        "application/javascript",
    "application/x-javascript",  "application/ecmascript", "application/x-sh",
    "application/x-shellscript", "application/sql",        "application/yaml",
    "application/x-yaml",        "application/toml",       "application/x-tex"};

// The encoding named by an XML declaration (<?xml version="1.0" encoding="ISO-8859-1"?>), or
// empty. Only the declaration at the very start counts, as in XML itself.
std::string XmlDeclaredEncoding(std::string_view bytes) {
  if (!bytes.starts_with("<?xml")) return {};
  constexpr std::size_t kMaxDeclarationBytes = 1024;
  const std::string_view head = bytes.substr(0, kMaxDeclarationBytes);
  const std::string_view declaration = head.substr(0, head.find("?>"));
  const std::size_t key = declaration.find("encoding");
  if (key == std::string_view::npos) return {};
  std::size_t pos = declaration.find_first_of("\"'", key);
  if (pos == std::string_view::npos) return {};
  const char quote = declaration[pos++];
  const std::size_t end = declaration.find(quote, pos);
  if (end == std::string_view::npos || end - pos > 64) return {};
  return std::string(declaration.substr(pos, end - pos));
}

class TextExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "text"; }

  bool Accepts(std::string_view media_type) const override {
    const std::string type = BareMediaType(media_type);
    if (type.starts_with("text/")) {
      for (const std::string_view claimed : kClaimedTextTypes) {
        if (type == claimed) return false;
      }
      return true;
    }
    for (const std::string_view textual : kTextualApplicationTypes) {
      if (type == textual) return true;
    }
    // Structured-syntax suffixes (RFC 6839): application/atom+xml, application/ld+json...
    return type.starts_with("application/") && type != "application/xhtml+xml" &&
           (type.ends_with("+xml") || type.ends_with("+json"));
  }

  Result<Extraction> Extract(const Input& input, ChildSink& /*children*/) const override {
    std::string declared = CharsetParameter(input.media_type);
    if (declared.empty()) declared = XmlDeclaredEncoding(input.bytes);
    DecodedText decoded = DecodeToUtf8OrDetect(input.bytes, declared, input.limits.max_text_bytes);
    Extraction extraction;
    extraction.text = NormalizeNewlines(decoded.text);
    extraction.is_truncated = decoded.is_truncated;
    extraction.metadata.emplace_back("charset", std::move(decoded.charset));
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewTextExtractor() { return std::make_unique<TextExtractor>(); }

}  // namespace trove::extract::internal

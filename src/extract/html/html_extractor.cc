// text/html and application/xhtml+xml: the declared charset (else detection), then gumbo.
#include <memory>
#include <string>
#include <string_view>

#include "extract/extractor.h"
#include "extract/html/html_text.h"
#include "extract/internal/builtin.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

// A declaration of UTF-16 or UTF-32 read from ASCII-compatible bytes is false by construction
// (the HTML standard reads such pages as UTF-8); a real one comes with a byte-order mark.
std::string UsableDeclaration(std::string label) {
  if (label.starts_with("utf-16") || label.starts_with("utf-32") || label == "x-user-defined") {
    return {};
  }
  return label;
}

class HtmlExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "html"; }

  bool Accepts(std::string_view media_type) const override {
    const std::string type = BareMediaType(media_type);
    return type == "text/html" || type == "application/xhtml+xml";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& /*children*/) const override {
    std::string declared = CharsetParameter(input.media_type);
    if (declared.empty()) declared = UsableDeclaration(DeclaredHtmlCharset(input.bytes));
    // The markup is decoded whole: the limit applies to the visible text, which is smaller.
    DecodedText decoded = DecodeToUtf8OrDetect(input.bytes, declared);
    HtmlContent content = ParseHtml(decoded.text, input.limits.max_text_bytes);

    Extraction extraction;
    extraction.text = std::move(content.text);
    extraction.title = std::move(content.title);
    extraction.author = std::move(content.author);
    extraction.is_truncated = content.is_truncated;
    extraction.metadata = std::move(content.metadata);
    extraction.metadata.emplace_back("charset", std::move(decoded.charset));
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewHtmlExtractor() { return std::make_unique<HtmlExtractor>(); }

}  // namespace trove::extract::internal

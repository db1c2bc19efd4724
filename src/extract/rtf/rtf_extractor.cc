// text/rtf and application/rtf through the hand-written reader in rtf_reader.cc.
#include <memory>
#include <string>
#include <string_view>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/rtf/rtf_reader.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

class RtfExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "rtf"; }

  bool Accepts(std::string_view media_type) const override {
    const std::string type = BareMediaType(media_type);
    return type == "text/rtf" || type == "application/rtf" || type == "application/x-rtf";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& /*children*/) const override {
    TROVE_ASSIGN_OR_RETURN(RtfContent content, RtfToText(input.bytes, input.limits.max_text_bytes));
    Extraction extraction;
    extraction.text = std::move(content.text);
    extraction.title = std::move(content.title);
    extraction.author = std::move(content.author);
    extraction.date = content.date;
    extraction.is_truncated = content.is_truncated;
    extraction.metadata = std::move(content.metadata);
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewRtfExtractor() { return std::make_unique<RtfExtractor>(); }

}  // namespace trove::extract::internal

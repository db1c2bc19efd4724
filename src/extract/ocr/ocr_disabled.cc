// Built without TROVE_WITH_OCR: no OCR, and images are recorded as unsupported.
#include <memory>

#include "extract/internal/builtin.h"
#include "extract/ocr.h"

namespace trove::extract {

bool IsOcrReadable(std::string_view /*media_type*/) { return false; }

Status CheckOcrLanguages(std::string_view /*languages*/) {
  return Status::Unsupported("this trove was built without OCR (TROVE_WITH_OCR=OFF)");
}

Result<std::unique_ptr<OcrEngine>> OcrEngine::Create(const OcrOptions& /*options*/) {
  return Status::Unsupported("this trove was built without OCR (TROVE_WITH_OCR=OFF)");
}

namespace internal {

namespace {

// Accepts nothing: images stay "unsupported type" without OCR.
class NoImageExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "image"; }
  bool Accepts(std::string_view /*media_type*/) const override { return false; }
  Result<Extraction> Extract(const Input& /*input*/, ChildSink& /*children*/) const override {
    return Status::Unsupported("built without OCR");
  }
};

}  // namespace

std::unique_ptr<Extractor> NewImageExtractor() { return std::make_unique<NoImageExtractor>(); }

}  // namespace internal
}  // namespace trove::extract

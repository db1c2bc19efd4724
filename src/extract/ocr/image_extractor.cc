// ImageExtractor: images (PNG, JPEG, TIFF, GIF, BMP, WebP) as documents whose text OCR reads.
//
// Extraction reads the header only: size, frames (a multi-page TIFF has one page per frame) and
// every page as an OCR candidate. The text comes later, from the OCR stage of the pipeline,
// so an image is indexed (by name, path and size) before it is read. Failures:
//   Corrupt("damaged image: ...")  Leptonica cannot read the header.
#include <memory>
#include <string>
#include <string_view>

#include "core/document.h"
#include "core/status.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/ocr/image_frames.h"

namespace trove::extract::internal {
namespace {

class ImageExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "image"; }

  bool Accepts(std::string_view media_type) const override {
    return ocr_internal::IsImageType(media_type);
  }

  Result<Extraction> Extract(const Input& input, ChildSink& /*children*/) const override {
    TROVE_ASSIGN_OR_RETURN(const ocr_internal::ImageInfo info,
                           ocr_internal::ReadImageInfo(input.bytes));
    Extraction out;
    out.page_count = info.frames;
    out.metadata.emplace_back("width", std::to_string(info.width));
    out.metadata.emplace_back("height", std::to_string(info.height));
    if (info.frames > 1) out.metadata.emplace_back("frames", std::to_string(info.frames));
    for (int page_idx = 0; page_idx < info.frames; ++page_idx) {
      out.ocr_candidates.push_back(page_idx);
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewImageExtractor() { return std::make_unique<ImageExtractor>(); }

}  // namespace trove::extract::internal

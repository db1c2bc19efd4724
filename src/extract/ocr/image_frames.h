// Image decoding for OCR and the image extractor (Leptonica). Internal to extract/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

struct Pix;  // Leptonica's image

namespace trove::extract::ocr_internal {

// The image types read: PNG, JPEG, TIFF, GIF, BMP, WebP (and PNM, which Leptonica reads too).
bool IsImageType(std::string_view media_type);

struct ImageInfo {
  int width = 0;  // of the first frame
  int height = 0;
  int frames = 1;      // pages of a multi-page TIFF; 1 for the other formats
  std::string format;  // "png", "jpeg", "tiff", "gif", "bmp", "webp", "pnm"
};

// Reads the header only. Corrupt when the bytes are not an image Leptonica reads.
Result<ImageInfo> ReadImageInfo(std::string_view bytes);

// Decodes frame `frame_idx`; the caller owns the result (pixDestroy). LimitExceeded when the
// frame has more than `max_pixels` pixels (checked before decoding), InvalidArgument for a frame
// that does not exist, Corrupt when decoding fails.
Result<Pix*> DecodeFrame(std::string_view bytes, int frame_idx, std::uint64_t max_pixels);

}  // namespace trove::extract::ocr_internal

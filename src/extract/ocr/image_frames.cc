#include "extract/ocr/image_frames.h"

#include <cstdio>
#include <memory>

#include <leptonica/allheaders.h>

namespace trove::extract::ocr_internal {
namespace {

// A multi-page TIFF with more frames than this is read for its first ones only.
constexpr int kMaxFrames = 10'000;

std::string FormatName(int format) {
  switch (format) {
    case IFF_PNG:
      return "png";
    case IFF_JFIF_JPEG:
      return "jpeg";
    case IFF_TIFF:
    case IFF_TIFF_PACKBITS:
    case IFF_TIFF_RLE:
    case IFF_TIFF_G3:
    case IFF_TIFF_G4:
    case IFF_TIFF_LZW:
    case IFF_TIFF_ZIP:
    case IFF_TIFF_JPEG:
      return "tiff";
    case IFF_GIF:
      return "gif";
    case IFF_BMP:
      return "bmp";
    case IFF_WEBP:
      return "webp";
    case IFF_PNM:
      return "pnm";
    default:
      return "";
  }
}

const l_uint8* Data(std::string_view bytes) {
  return reinterpret_cast<const l_uint8*>(bytes.data());
}

}  // namespace

bool IsImageType(std::string_view media_type) {
  return media_type == "image/png" || media_type == "image/jpeg" || media_type == "image/pjpeg" ||
         media_type == "image/tiff" || media_type == "image/gif" || media_type == "image/bmp" ||
         media_type == "image/x-ms-bmp" || media_type == "image/x-bmp" ||
         media_type == "image/webp" || media_type == "image/x-portable-pixmap" ||
         media_type == "image/x-portable-graymap" || media_type == "image/x-portable-bitmap";
}

Result<ImageInfo> ReadImageInfo(std::string_view bytes) {
  setMsgSeverity(L_SEVERITY_NONE);
  if (bytes.size() < 12) return Status::Corrupt("damaged image: too short");
  l_int32 format = 0, width = 0, height = 0, bps = 0, spp = 0, is_colormapped = 0;
  if (pixReadHeaderMem(Data(bytes), bytes.size(), &format, &width, &height, &bps, &spp,
                       &is_colormapped) != 0) {
    return Status::Corrupt("damaged image: cannot read its header");
  }
  ImageInfo info;
  info.width = width;
  info.height = height;
  info.format = FormatName(format);
  if (info.format.empty()) return Status::Unsupported("image format not read by OCR");
  if (info.format == "tiff") {
    // Leptonica counts TIFF directories from a FILE*; fmemopen reads the bytes in place.
    FILE* file = fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb");
    l_int32 frames = 1;
    if (file != nullptr) {
      if (tiffGetCount(file, &frames) != 0 || frames < 1) frames = 1;
      std::fclose(file);
    }
    info.frames = std::min(frames, kMaxFrames);
  }
  return info;
}

Result<Pix*> DecodeFrame(std::string_view bytes, int frame_idx, std::uint64_t max_pixels) {
  TROVE_ASSIGN_OR_RETURN(const ImageInfo info, ReadImageInfo(bytes));
  const std::string page = "page " + std::to_string(frame_idx + 1);
  if (frame_idx < 0 || frame_idx >= info.frames) {
    return Status::InvalidArgument(page + " does not exist (" + std::to_string(info.frames) +
                                   " in the image)");
  }
  if (static_cast<std::uint64_t>(info.width) * static_cast<std::uint64_t>(info.height) >
      max_pixels) {
    return Status::LimitExceeded(page + ": image of " + std::to_string(info.width) + "x" +
                                 std::to_string(info.height) + " pixels is over the OCR limit");
  }
  Pix* pix = info.format == "tiff" ? pixReadMemTiff(Data(bytes), bytes.size(), frame_idx)
                                   : pixReadMem(Data(bytes), bytes.size());
  if (pix == nullptr) return Status::Corrupt(page + ": damaged " + info.format + " image");
  // Frames of a TIFF may each have their own size: check the decoded one too.
  if (static_cast<std::uint64_t>(pixGetWidth(pix)) * static_cast<std::uint64_t>(pixGetHeight(pix)) >
      max_pixels) {
    pixDestroy(&pix);
    return Status::LimitExceeded(page + ": image is over the OCR pixel limit");
  }
  return pix;
}

}  // namespace trove::extract::ocr_internal

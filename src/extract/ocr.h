// Optical character recognition: the text of scanned pages and images, through Tesseract.
//
// The engine reads one page at a time: a PDF page (rendered by poppler at OcrOptions::dpi) or a
// frame of an image (PNG, JPEG, TIFF including multi-page, GIF, BMP, WebP). It runs Tesseract in
// the calling thread only; a worker process should hold one engine and set OMP_THREAD_LIMIT=1
// before Tesseract is loaded (OpenMP threads of several workers oversubscribe the cores and
// make Tesseract many times slower). Images are hostile input: call it in a worker process.
//
// Built without TROVE_WITH_OCR, OcrEngine::Create and CheckOcrLanguages fail with Unsupported.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "extract/extractor.h"

namespace trove::extract {

struct OcrOptions {
  std::string languages = "eng+fra";  // Tesseract language codes joined by '+'
  int dpi = 300;                      // resolution PDF pages are rendered at
  // A page larger than this many pixels is rendered at a lower resolution (PDF) or refused
  // (image, LimitExceeded): a 200-inch page at 300 DPI would need gigabytes.
  std::uint64_t max_pixels = 120'000'000;
};

// The text Tesseract read on one page.
struct OcrPage {
  std::string text;       // UTF-8; lines separated by '\n'
  double confidence = 0;  // mean word confidence, 0..100 (0 when no word was found)
};

// True for the media types OcrEngine reads: application/pdf and the image types above.
bool IsOcrReadable(std::string_view media_type);

// Ok when OCR is built in and every language of `languages` ("eng+fra+deu") has its Tesseract
// data installed; InvalidArgument naming a malformed or missing language (and the package that
// provides it); Unsupported when trove was built without OCR. Reads no image.
Status CheckOcrLanguages(std::string_view languages);

// One Tesseract instance. Not thread-safe: one engine per thread (per worker process).
class OcrEngine {
 public:
  // Loads Tesseract's data for options.languages: InvalidArgument when one is missing,
  // Unsupported when built without OCR.
  static Result<std::unique_ptr<OcrEngine>> Create(const OcrOptions& options);
  virtual ~OcrEngine() = default;

  // Reads page `page_idx` (0-based) of `input`. Fails with Unsupported for a media type it does
  // not read, InvalidArgument for a page that does not exist, Corrupt when the page cannot be
  // decoded or rendered, LimitExceeded for an image over max_pixels; messages name the page.
  virtual Result<OcrPage> RecognizePage(const Input& input, int page_idx) = 0;
};

}  // namespace trove::extract

// OcrEngine: Tesseract (one thread) over Leptonica-decoded images and poppler-rendered PDF pages.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <tesseract/baseapi.h>

#include "core/text.h"
#include "extract/ocr.h"
#include "extract/ocr/image_frames.h"

namespace trove::extract {
namespace {

std::vector<std::string> SplitLanguages(std::string_view languages) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= languages.size()) {
    const std::size_t plus = languages.find('+', start);
    const std::size_t end = plus == std::string_view::npos ? languages.size() : plus;
    out.emplace_back(languages.substr(start, end - start));
    if (plus == std::string_view::npos) break;
    start = plus + 1;
  }
  return out;
}

// Where Tesseract looks for <lang>.traineddata: $TESSDATA_PREFIX, else Debian's directories.
std::vector<std::filesystem::path> TessdataDirs() {
  std::vector<std::filesystem::path> dirs;
  if (const char* prefix = std::getenv("TESSDATA_PREFIX"); prefix != nullptr && *prefix != '\0') {
    dirs.emplace_back(prefix);
    dirs.emplace_back(std::filesystem::path(prefix) / "tessdata");
  }
  for (const char* dir :
       {"/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
        "/usr/share/tessdata", "/usr/local/share/tessdata"}) {
    dirs.emplace_back(dir);
  }
  return dirs;
}

struct TessDeleter {
  void operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;
  }
};

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

class TesseractEngine final : public OcrEngine {
 public:
  TesseractEngine(OcrOptions options, std::unique_ptr<tesseract::TessBaseAPI, TessDeleter> api)
      : options_(std::move(options)), api_(std::move(api)) {}

  Result<OcrPage> RecognizePage(const Input& input, int page_idx) override {
    if (page_idx < 0)
      return Status::InvalidArgument("page " + std::to_string(page_idx + 1) + " does not exist");
    try {
      if (input.media_type == "application/pdf" || input.media_type == "application/x-pdf") {
        return RecognizePdfPage(input, page_idx);
      }
      if (!IsOcrReadable(input.media_type)) {
        return Status::Unsupported("OCR does not read " + std::string(input.media_type));
      }
      return RecognizeImageFrame(input, page_idx);
    } catch (const std::bad_alloc&) {
      return Status::LimitExceeded("page " + std::to_string(page_idx + 1) +
                                   ": OCR needs more memory than available");
    } catch (const std::exception& e) {
      return Status::Corrupt("page " + std::to_string(page_idx + 1) + ": " + e.what());
    }
  }

 private:
  Result<OcrPage> RecognizePdfPage(const Input& input, int page_idx) {
    const std::string page_name = "page " + std::to_string(page_idx + 1);
    if (input.bytes.size() > static_cast<std::size_t>(INT32_MAX)) {
      return Status::LimitExceeded("PDF larger than 2 GiB");
    }
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        input.bytes.data(), static_cast<int>(input.bytes.size())));
    if (doc == nullptr) return Status::Corrupt("damaged PDF: poppler cannot open it");
    if (doc->is_locked()) return Status::Unsupported("encrypted PDF");
    if (page_idx >= doc->pages()) {
      return Status::InvalidArgument(page_name + " does not exist (" +
                                     std::to_string(doc->pages()) + " pages)");
    }
    std::unique_ptr<poppler::page> page(doc->create_page(page_idx));
    if (page == nullptr) return Status::Corrupt(page_name + " cannot be read");
    // Points are 1/72 inch. A huge page is rendered at a lower resolution instead of refused.
    const poppler::rectf box = page->page_rect();
    double dpi = options_.dpi;
    const double pixels = (box.width() / 72.0 * dpi) * (box.height() / 72.0 * dpi);
    if (pixels > static_cast<double>(options_.max_pixels)) {
      dpi *= std::sqrt(static_cast<double>(options_.max_pixels) / pixels);
    }
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_image_format(poppler::image::format_gray8);
    const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
    if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
      return Status::Corrupt(page_name + " cannot be rendered");
    }
    api_->SetImage(reinterpret_cast<const unsigned char*>(image.const_data()), image.width(),
                   image.height(), /*bytes_per_pixel=*/1, image.bytes_per_row());
    api_->SetSourceResolution(static_cast<int>(dpi));
    return Recognize();
  }

  Result<OcrPage> RecognizeImageFrame(const Input& input, int page_idx) {
    TROVE_ASSIGN_OR_RETURN(Pix * raw,
                           ocr_internal::DecodeFrame(input.bytes, page_idx, options_.max_pixels));
    PixPtr pix(raw);
    api_->SetImage(pix.get());
    // Scans often carry no resolution (or a screen's 72): Tesseract then guesses from the text
    // size, and says so on stderr; 300 is what document scanners write.
    if (pixGetXRes(pix.get()) < 70) api_->SetSourceResolution(300);
    return Recognize();
  }

  Result<OcrPage> Recognize() {
    std::unique_ptr<char[]> text(api_->GetUTF8Text());
    OcrPage page;
    if (text != nullptr) page.text = SanitizeUtf8(text.get());
    // Tesseract ends lines with '\n' and paragraphs with a blank line; a form feed would read
    // as a page break.
    for (char& c : page.text) {
      if (c == '\f') c = '\n';
    }
    while (!page.text.empty() && (page.text.back() == '\n' || page.text.back() == ' ')) {
      page.text.pop_back();
    }
    page.confidence = page.text.empty() ? 0 : std::max(0, api_->MeanTextConf());
    api_->Clear();
    return page;
  }

  OcrOptions options_;
  std::unique_ptr<tesseract::TessBaseAPI, TessDeleter> api_;
};

}  // namespace

bool IsOcrReadable(std::string_view media_type) {
  return media_type == "application/pdf" || media_type == "application/x-pdf" ||
         ocr_internal::IsImageType(media_type);
}

Status CheckOcrLanguages(std::string_view languages) {
  if (languages.empty()) return Status::InvalidArgument("no OCR language given");
  const std::vector<std::filesystem::path> dirs = TessdataDirs();
  for (const std::string& lang : SplitLanguages(languages)) {
    const bool is_well_formed =
        !lang.empty() && lang.size() <= 32 && std::all_of(lang.begin(), lang.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_';
        });
    if (!is_well_formed) {
      return Status::InvalidArgument("OCR language '" + lang + "' in '" + std::string(languages) +
                                     "' is not a Tesseract language code (eng, fra, deu...)");
    }
    bool is_installed = false;
    std::error_code ec;
    for (const auto& dir : dirs)
      is_installed |= std::filesystem::exists(dir / (lang + ".traineddata"), ec);
    if (!is_installed) {
      std::string package = lang;
      for (char& c : package) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
      return Status::InvalidArgument("OCR language '" + lang + "' is not installed (no " + lang +
                                     ".traineddata; on Debian: apt install tesseract-ocr-" +
                                     package + ", or set TESSDATA_PREFIX)");
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<OcrEngine>> OcrEngine::Create(const OcrOptions& options) {
  TROVE_RETURN_IF_ERROR(CheckOcrLanguages(options.languages));
  // Leptonica reports every decoding problem on stderr; our errors say what went wrong.
  setMsgSeverity(L_SEVERITY_NONE);
  std::unique_ptr<tesseract::TessBaseAPI, TessDeleter> api(new tesseract::TessBaseAPI());
  // The LSTM engine only: the legacy one is not in Debian's fast traineddata anyway.
  if (api->Init(nullptr, options.languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    return Status::InvalidArgument("Tesseract cannot load languages '" + options.languages + "'");
  }
  // Full automatic page segmentation, without orientation detection (which needs osd data).
  api->SetPageSegMode(tesseract::PSM_AUTO);
  return std::unique_ptr<OcrEngine>(new TesseractEngine(options, std::move(api)));
}

}  // namespace trove::extract

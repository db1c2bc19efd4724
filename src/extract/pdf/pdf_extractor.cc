// PdfExtractor: text and document-info metadata of PDF files, through poppler-cpp.
//
// Accepts application/pdf. Text is extracted page by page in reading order and pages are joined
// with kPageBreak; it stops growing at Limits::max_text_bytes (is_truncated). Failures:
//   Unsupported("encrypted PDF")     a user password is needed to open the file;
//   Corrupt("damaged PDF: <why>")    poppler cannot open it (the reason is poppler's last error);
//   LimitExceeded                    the file is larger than poppler's int-sized length, or a
//                                    page content stream uses an image filter (a JBIG2/JPX
//                                    decompression bomb poppler would decode to find text).
// Title, author, creator, producer, subject, keywords and custom Info keys come from the Info
// dictionary; date is the creation date, else the modification date.
// Embedded files (attachments) are not reported as children yet.
// OCR: a page whose text layer is missing or unusable (fewer than kMinUsableTextChars = 16
// letters and digits, or mostly undecodable glyphs) in a file that has image XObjects is listed in
// Extraction::ocr_candidates. A PDF without images (born-digital) never has a candidate.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include "core/document.h"
#include "core/status.h"
#include "core/text.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"

namespace trove::extract::internal {
namespace {

// Info-dictionary values longer than this are cut: a hostile file can store megabytes there.
constexpr std::size_t kMaxInfoValueBytes = 4096;
// At most this many non-standard info keys are copied into metadata.
constexpr std::size_t kMaxCustomInfoKeys = 32;
// A page with fewer letters and digits than this has no usable text layer: a scan, perhaps with
// a Bates number or a stamp written over it. A born-digital page with an image and a caption
// ("Testing Testing Incremental", 26) keeps its text layer.
constexpr std::size_t kMinUsableTextChars = 16;

// True when the page's text is worth keeping instead of OCR: enough letters and digits, and not
// mostly U+FFFD (glyphs without a Unicode mapping, which poppler cannot decode).
bool IsUsableText(std::string_view text) {
  std::size_t alnum = 0, undecodable = 0, visible = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
        static_cast<unsigned char>(text[i + 2]) == 0xBD) {
      ++undecodable;
      ++visible;
      i += 2;
      continue;
    }
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0) {
      ++alnum;  // a UTF-8 lead byte counts as one letter
    }
    if (c > ' ' && (c < 0x80 || c >= 0xC0)) ++visible;
  }
  return alnum >= kMinUsableTextChars && undecodable * 4 < visible;
}

// True when some object of the file is an image XObject (/Subtype /Image): a page can only
// need OCR then. The ProcSet names /ImageB, /ImageC and /ImageI, which most born-digital PDFs
// carry, are not images.
bool HasImages(std::string_view bytes) {
  for (std::size_t pos = bytes.find("/Image"); pos != std::string_view::npos;
       pos = bytes.find("/Image", pos + 6)) {
    if (pos + 6 >= bytes.size()) return true;
    const auto next = static_cast<unsigned char>(bytes[pos + 6]);
    const bool is_longer_name = (next >= 'A' && next <= 'Z') || (next >= 'a' && next <= 'z') ||
                                (next >= '0' && next <= '9') || next == '_' || next == '.';
    if (!is_longer_name) return true;
  }
  return false;
}

// poppler reports every syntax problem through one global callback (it prints to stderr by
// default, which floods worker logs on damaged files). We keep the last message per thread so
// that a failure to open can say why.
thread_local std::string* g_last_poppler_error = nullptr;

void CollectPopplerError(const std::string& message, void* /*closure*/) {
  if (g_last_poppler_error != nullptr && message.size() < 1024) *g_last_poppler_error = message;
}

void InstallPopplerErrorHandler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(&CollectPopplerError, nullptr); });
}

// Points the callback at `sink` for the lifetime of this object.
class ScopedErrorCapture {
 public:
  explicit ScopedErrorCapture(std::string* sink) : previous_(g_last_poppler_error) {
    g_last_poppler_error = sink;
  }
  ~ScopedErrorCapture() { g_last_poppler_error = previous_; }
  ScopedErrorCapture(const ScopedErrorCapture&) = delete;
  ScopedErrorCapture& operator=(const ScopedErrorCapture&) = delete;

 private:
  std::string* previous_;
};

std::string ToUtf8(const poppler::ustring& value) {
  const poppler::byte_array bytes = value.to_utf8();
  std::string out(bytes.begin(), bytes.end());
  // poppler appends the terminating NUL in some versions.
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

// Cuts `s` to at most `max_bytes` without splitting a UTF-8 sequence.
void TruncateUtf8(std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
}

// A single-line, valid UTF-8, bounded info value.
std::string CleanInfoValue(const poppler::ustring& value) {
  std::string out = SanitizeUtf8(ToUtf8(value));
  TruncateUtf8(out, kMaxInfoValueBytes);
  const auto first = out.find_first_not_of(" \t\r\n\f");
  if (first == std::string::npos) return {};
  const auto last = out.find_last_not_of(" \t\r\n\f");
  return out.substr(first, last - first + 1);
}

// The object number of the first stream that carries an image-only filter (JBIG2Decode,
// JPXDecode, DCTDecode, CCITTFaxDecode) without being an image (XObject or thumbnail), or -1. Such
// a stream can only be a page content stream or a form, which poppler must decode to find text:
// pdf.js's bomb_giant.pdf declares 100000x100000 JBIG2 regions there and makes poppler allocate
// gigabytes. Stream dictionaries are never inside object streams, so a scan of the raw bytes sees
// them all. The scan is linear: each dictionary is searched once, in a window bounded by the
// previous stream keyword.
long FindImageFilteredNonImageStream(std::string_view bytes) {
  static constexpr std::string_view kImageFilters[] = {"JBIG2Decode", "JPXDecode", "DCTDecode",
                                                       "CCITTFaxDecode"};
  constexpr std::size_t kMaxDictionaryBytes = 4096;
  std::size_t window_start = 0;
  for (std::size_t pos = bytes.find("stream"); pos != std::string_view::npos;
       pos = bytes.find("stream", pos + 6)) {
    if (pos >= 3 && bytes.substr(pos - 3, 3) == "end") continue;  // "endstream"
    const std::size_t from = std::max(
        window_start, pos > kMaxDictionaryBytes ? pos - kMaxDictionaryBytes : std::size_t{0});
    window_start = pos + 6;
    std::string_view dictionary = bytes.substr(from, pos - from);
    const std::size_t obj = dictionary.rfind(" obj");
    if (obj == std::string_view::npos) continue;
    const std::string_view header = dictionary.substr(0, obj);
    dictionary.remove_prefix(obj);
    bool has_image_filter = false;
    for (std::string_view filter : kImageFilters) {
      has_image_filter |= dictionary.find(filter) != std::string_view::npos;
    }
    // Image XObjects say /Subtype /Image; thumbnails (/Thumb) have no subtype but a /Width.
    if (!has_image_filter || dictionary.find("/Image") != std::string_view::npos ||
        dictionary.find("/Width") != std::string_view::npos) {
      continue;
    }
    // "12 0 obj": the object number is the second number before " obj".
    std::size_t end = header.find_last_not_of("0123456789 \r\n");
    end = end == std::string_view::npos ? 0 : end + 1;
    long number = -1;
    std::string_view digits = header.substr(end);
    while (!digits.empty() &&
           (digits.front() == ' ' || digits.front() == '\r' || digits.front() == '\n')) {
      digits.remove_prefix(1);
    }
    const std::size_t space = digits.find(' ');
    if (space != std::string_view::npos && space > 0 && space < 10) {
      number = std::strtol(std::string(digits.substr(0, space)).c_str(), nullptr, 10);
    }
    return number < 0 ? 0 : number;
  }
  return -1;
}

class PdfExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "pdf"; }

  bool Accepts(std::string_view media_type) const override {
    return media_type == "application/pdf" || media_type == "application/x-pdf";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& /*children*/) const override {
    InstallPopplerErrorHandler();
    std::string last_error;
    ScopedErrorCapture capture(&last_error);
    try {
      return ExtractOrThrow(input, last_error);
    } catch (const std::bad_alloc&) {
      return Status::LimitExceeded("PDF needs more memory than available");
    } catch (const std::exception& e) {
      return Status::Corrupt(std::string("damaged PDF: ") + e.what());
    } catch (...) {
      return Status::Corrupt("damaged PDF: unknown error in poppler");
    }
  }

 private:
  static Result<Extraction> ExtractOrThrow(const Input& input, const std::string& last_error) {
    if (input.bytes.empty()) return Status::Corrupt("damaged PDF: empty file");
    if (input.bytes.size() > static_cast<std::size_t>(INT_MAX)) {
      return Status::LimitExceeded("PDF larger than 2 GiB");
    }
    // load_from_raw_data reads `bytes` in place; they outlive `doc`.
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        input.bytes.data(), static_cast<int>(input.bytes.size())));
    if (doc == nullptr) {
      return Status::Corrupt("damaged PDF: " + (last_error.empty()
                                                    ? std::string("poppler cannot open it")
                                                    : SanitizeUtf8(last_error)));
    }
    // poppler returns a locked document (rather than nullptr) when a user password is needed.
    if (doc->is_locked()) return Status::Unsupported("encrypted PDF");

    Extraction out;
    out.page_count = doc->pages();
    if (out.page_count < 0) out.page_count = 0;
    out.title = CleanInfoValue(doc->get_title());
    out.author = CleanInfoValue(doc->get_author());
    AddMetadata(out, "creator", doc->get_creator());
    AddMetadata(out, "producer", doc->get_producer());
    AddMetadata(out, "subject", doc->get_subject());
    AddMetadata(out, "keywords", doc->get_keywords());
    AddCustomInfo(*doc, out);
    if (doc->is_encrypted()) out.metadata.emplace_back("encrypted", "owner password only");

    // time_t(-1) means "absent or unparsable".
    std::time_t date = doc->get_creation_date_t();
    if (date == static_cast<std::time_t>(-1)) date = doc->get_modification_date_t();
    if (date != static_cast<std::time_t>(-1)) out.date = static_cast<std::int64_t>(date);

    const long bomb_object = FindImageFilteredNonImageStream(input.bytes);
    if (bomb_object >= 0) {
      return Status::LimitExceeded("content stream in object " + std::to_string(bomb_object) +
                                   " uses an image filter; refused as a decompression bomb");
    }
    ExtractText(*doc, input.limits.max_text_bytes, HasImages(input.bytes), out);
    return out;
  }

  static void AddMetadata(Extraction& out, std::string key, const poppler::ustring& value) {
    std::string clean = CleanInfoValue(value);
    if (!clean.empty()) out.metadata.emplace_back(std::move(key), std::move(clean));
  }

  // Non-standard Info keys (a leak's "Company", "SourceModified"...), lower-cased.
  static void AddCustomInfo(const poppler::document& doc, Extraction& out) {
    static constexpr std::string_view kStandard[] = {"Title",        "Author",  "Subject",
                                                     "Keywords",     "Creator", "Producer",
                                                     "CreationDate", "ModDate", "Trapped"};
    std::size_t added = 0;
    for (const std::string& key : doc.info_keys()) {
      if (added >= kMaxCustomInfoKeys) break;
      bool is_standard = false;
      for (std::string_view standard : kStandard) is_standard |= (key == standard);
      if (is_standard || key.empty() || key.size() > 64) continue;
      std::string clean_key = SanitizeUtf8(key);
      for (char& c : clean_key) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      std::string value = CleanInfoValue(doc.info_key(key));
      if (value.empty()) continue;
      out.metadata.emplace_back(std::move(clean_key), std::move(value));
      ++added;
    }
  }

  static void ExtractText(const poppler::document& doc, std::uint64_t max_text_bytes,
                          bool has_images, Extraction& out) {
    for (int page_idx = 0; page_idx < out.page_count; ++page_idx) {
      if (page_idx > 0) {
        if (out.text.size() + 1 > max_text_bytes) {
          out.is_truncated = true;
          break;
        }
        out.text.push_back(kPageBreak);
      }
      std::unique_ptr<poppler::page> page(doc.create_page(page_idx));
      if (page == nullptr) continue;  // an unreadable page stays empty; the others still count
      std::string page_text = SanitizeUtf8(
          ToUtf8(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout)));
      // Our page breaks separate pages; a form feed inside a page would add a phantom page.
      for (char& c : page_text) {
        if (c == kPageBreak) c = '\n';
      }
      if (has_images && !IsUsableText(page_text)) out.ocr_candidates.push_back(page_idx);
      const std::uint64_t room = max_text_bytes - out.text.size();
      if (page_text.size() > room) {
        TruncateUtf8(page_text, static_cast<std::size_t>(room));
        out.text += page_text;
        out.is_truncated = true;
        break;
      }
      out.text += page_text;
    }
  }
};

}  // namespace

std::unique_ptr<Extractor> NewPdfExtractor() { return std::make_unique<PdfExtractor>(); }

}  // namespace trove::extract::internal

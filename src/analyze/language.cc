#include "analyze/language.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

namespace trove::analyze {
namespace {
constexpr std::size_t kSampleBytes = 64 * 1024;
// Fewer letters than this and CLD2's guesses are noise.
constexpr std::size_t kMinSampleBytes = 24;
}  // namespace

std::string DetectLanguage(std::string_view utf8_text) {
  std::size_t len = std::min(utf8_text.size(), kSampleBytes);
  // Cut at a character boundary.
  while (len > 0 && len < utf8_text.size() &&
         (static_cast<unsigned char>(utf8_text[len]) & 0xC0) == 0x80) {
    --len;
  }
  if (len < kMinSampleBytes) return {};
  bool is_reliable = false;
  const CLD2::Language lang = CLD2::DetectLanguage(utf8_text.data(), static_cast<int>(len),
                                                   /*is_plain_text=*/true, &is_reliable);
  if (!is_reliable || lang == CLD2::UNKNOWN_LANGUAGE) return {};
  std::string code = CLD2::LanguageCode(lang);
  // CLD2 gives some languages longer codes ("zh-Hant"); keep the ISO 639-1 part.
  if (const auto dash = code.find('-'); dash != std::string::npos) code.resize(dash);
  if (code == "un" || code == "xx") return {};
  return code;
}

}  // namespace trove::analyze

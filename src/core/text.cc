#include "core/text.h"

#include <array>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace trove {
namespace {

enum class CharClass : unsigned char { kSeparator, kWord, kIdeograph };

// Decodes one code point at `pos`; returns -1 (and advances one byte) on invalid UTF-8.
UChar32 DecodeAt(std::string_view s, std::size_t* pos) {
  UChar32 c;
  int32_t i = static_cast<int32_t>(*pos);
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
  *pos = static_cast<std::size_t>(i);
  return c;
}

CharClass Classify(UChar32 c) {
  if (c < 0) return CharClass::kSeparator;
  if (c < 0x80) {
    const bool is_alnum =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return is_alnum ? CharClass::kWord : CharClass::kSeparator;
  }
  if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC)) return CharClass::kIdeograph;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  if (script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA || script == USCRIPT_THAI) {
    return CharClass::kIdeograph;  // no spaces between words: index each character
  }
  if (u_isalnum(c)) return CharClass::kWord;
  const int8_t type = u_charType(c);
  if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK) {
    return CharClass::kWord;
  }
  return CharClass::kSeparator;
}

// Letters that NFD does not decompose but that readers treat as accented forms.
const char* SpecialFold(UChar32 c) {
  switch (c) {
    case 0x00DF:
      return "ss";  // ß
    case 0x00E6:
      return "ae";  // æ
    case 0x0153:
      return "oe";  // œ
    case 0x00F8:
      return "o";  // ø
    case 0x0142:
      return "l";  // ł
    case 0x0111:
      return "d";  // đ
    case 0x00F0:
      return "d";  // ð
    case 0x00FE:
      return "th";  // þ
    case 0x0131:
      return "i";  // dotless i
    default:
      return nullptr;
  }
}

}  // namespace

bool TokenIterator::Next(Token* token) {
  while (pos_ < text_.size()) {
    const std::size_t start = pos_;
    const CharClass cls = Classify(DecodeAt(text_, &pos_));
    if (cls == CharClass::kSeparator) continue;
    if (cls == CharClass::kIdeograph) {
      *token = Token{text_.substr(start, pos_ - start), start};
      return true;
    }
    std::size_t end = pos_;
    while (pos_ < text_.size()) {
      std::size_t next = pos_;
      if (Classify(DecodeAt(text_, &next)) != CharClass::kWord) break;
      pos_ = next;
      end = next;
    }
    *token = Token{text_.substr(start, end - start), start};
    return true;
  }
  return false;
}

std::string FoldToken(std::string_view token) {
  bool is_ascii = true;
  for (const char ch : token) {
    if (static_cast<unsigned char>(ch) >= 0x80) {
      is_ascii = false;
      break;
    }
  }
  if (is_ascii) {
    std::string out(token);
    for (char& ch : out) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString folded =
      icu::UnicodeString::fromUTF8(
          icu::StringPiece(token.data(), static_cast<int32_t>(token.size())))
          .foldCase();
  icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(folded, status) : folded;
  if (U_FAILURE(status)) decomposed = folded;
  std::string out;
  out.reserve(token.size());
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    if (const char* special = SpecialFold(c)) {
      out += special;
      continue;
    }
    std::array<char, 4> buf{};
    int32_t len = 0;
    UBool is_error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf.data()), len, 4, c, is_error);
    if (!is_error) out.append(buf.data(), static_cast<std::size_t>(len));
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    if (DecodeAt(s, &pos) < 0) return false;
  }
  return true;
}

std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t start = pos;
    const UChar32 c = DecodeAt(s, &pos);
    if (c < 0) {
      out += "\xEF\xBF\xBD";
      continue;
    }
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') continue;
    if (c == 0x7F) continue;
    out.append(s.substr(start, pos - start));
  }
  return out;
}

std::string FoldedWords(std::string_view text) {
  std::string out;
  ForEachFoldedWord(text, [&](const std::string& folded, const Token& /*token*/) {
    if (!out.empty()) out += ' ';
    out += folded;
  });
  return out;
}

}  // namespace trove

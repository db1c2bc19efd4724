#include "extract/text/decode.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include <uchardet/uchardet.h>
#include <unicode/ucnv.h>

#include "core/text.h"

namespace trove::extract::internal {
namespace {

// uchardet reads at most this much; more rarely changes its answer and costs time.
constexpr std::size_t kDetectBytes = 1 << 20;
// A label longer than this is not a charset name; it is also cut in error messages.
constexpr std::size_t kMaxLabelBytes = 64;

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

struct DetectorDeleter {
  void operator()(uchardet* detector) const { uchardet_delete(detector); }
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// "  \"UTF-8\" " -> "utf-8".
std::string NormalizeLabel(std::string_view label) {
  auto is_trim = [](char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '"' || ch == '\'';
  };
  while (!label.empty() && is_trim(label.front())) label.remove_prefix(1);
  while (!label.empty() && is_trim(label.back())) label.remove_suffix(1);
  return Lower(label);
}

// A label safe to put in a message: printable ASCII, bounded.
std::string Printable(std::string_view label) {
  std::string out;
  for (const char ch : label.substr(0, kMaxLabelBytes)) {
    out += (ch >= 0x20 && ch < 0x7F) ? ch : '?';
  }
  return out;
}

enum class LabelKind { kUtf8, kAscii, kOther };

LabelKind KindOf(const std::string& label) {
  if (label == "utf-8" || label == "utf8" || label == "unicode-1-1-utf-8") return LabelKind::kUtf8;
  if (label == "us-ascii" || label == "ascii" || label == "ansi_x3.4-1968" || label == "us") {
    return LabelKind::kAscii;
  }
  return LabelKind::kOther;
}

// Labels whose real-world content is a superset of what the label says (the WHATWG Encoding
// Standard maps them the same way): decoding with the superset loses nothing.
std::string_view SupersetOf(const std::string& label) {
  if (label == "iso-8859-1" || label == "iso8859-1" || label == "iso_8859-1" || label == "latin1" ||
      label == "l1" || label == "cp819" || label == "ibm819" || label == "iso-ir-100") {
    return "windows-1252";
  }
  if (label == "iso-8859-9" || label == "latin5") return "windows-1254";
  if (label == "tis-620" || label == "iso-8859-11") return "windows-874";
  if (label == "gb2312" || label == "gbk" || label == "x-gbk" || label == "euc-cn") {
    return "GB18030";
  }
  if (label == "ks_c_5601-1987" || label == "euc-kr") return "windows-949";
  if (label == "shift_jis" || label == "sjis" || label == "x-sjis" || label == "ms_kanji") {
    return "windows-31j";
  }
  if (label == "big5") return "windows-950";
  return label;
}

// Backs `pos` off to the start of the UTF-8 sequence it falls in (valid UTF-8 assumed).
std::size_t Utf8Boundary(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return s.size();
  int steps = 0;
  while (pos > 0 && steps < 3 && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) {
    --pos;
    ++steps;
  }
  return pos;
}

std::string StandardName(UConverter* converter) {
  UErrorCode err = U_ZERO_ERROR;
  const char* internal_name = ucnv_getName(converter, &err);
  if (U_FAILURE(err) || internal_name == nullptr) return "unknown";
  for (const char* standard : {"MIME", "IANA"}) {
    err = U_ZERO_ERROR;
    const char* name = ucnv_getStandardName(internal_name, standard, &err);
    if (U_SUCCESS(err) && name != nullptr) return name;
  }
  return internal_name;
}

ConverterPtr OpenConverter(std::string_view name) {
  if (name.empty() || name.size() > kMaxLabelBytes) return nullptr;
  const std::string name_z(name);
  UErrorCode err = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name_z.c_str(), &err));
  if (U_FAILURE(err)) return nullptr;
  return converter;
}

DecodedText FromUtf8(std::string_view bytes, std::size_t max_bytes) {
  DecodedText out;
  out.charset = "UTF-8";
  if (bytes.size() > max_bytes) {
    bytes = bytes.substr(0, Utf8Boundary(bytes, max_bytes));
    out.is_truncated = true;
  }
  out.text = SanitizeUtf8(bytes);
  if (TruncateUtf8(&out.text, max_bytes)) out.is_truncated = true;
  return out;
}

// Converts with ICU in bounded chunks, so that at most about `max_bytes` of output is held.
Result<DecodedText> Convert(std::string_view bytes, UConverter* source, std::size_t max_bytes) {
  UErrorCode err = U_ZERO_ERROR;
  ConverterPtr utf8(ucnv_open("UTF-8", &err));
  if (U_FAILURE(err)) return Status::Internal("cannot open the ICU UTF-8 converter");

  DecodedText out;
  out.charset = StandardName(source);
  std::string converted;
  std::array<UChar, 4096> pivot{};
  UChar* pivot_source = pivot.data();
  UChar* pivot_target = pivot.data();
  std::array<char, 1 << 16> buffer{};
  const char* src = bytes.data();
  const char* const src_limit = bytes.data() + bytes.size();
  bool reset = true;
  for (;;) {
    char* target = buffer.data();
    err = U_ZERO_ERROR;
    ucnv_convertEx(utf8.get(), source, &target, buffer.data() + buffer.size(), &src, src_limit,
                   pivot.data(), &pivot_source, &pivot_target, pivot.data() + pivot.size(), reset,
                   /*flush=*/true, &err);
    reset = false;
    converted.append(buffer.data(), static_cast<std::size_t>(target - buffer.data()));
    if (converted.size() > max_bytes) {
      out.is_truncated = true;
      break;
    }
    if (err == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(err)) {
      return Status::Corrupt("cannot decode text as " + out.charset + " at byte " +
                             std::to_string(src - bytes.data()) + ": " + u_errorName(err));
    }
    break;
  }
  out.text = SanitizeUtf8(converted);
  if (TruncateUtf8(&out.text, max_bytes)) out.is_truncated = true;
  return out;
}

// uchardet's guess for bytes that are not valid UTF-8, or empty.
std::string Detect(std::string_view bytes) {
  std::unique_ptr<uchardet, DetectorDeleter> detector(uchardet_new());
  if (!detector) return {};
  const std::string_view sample = bytes.substr(0, kDetectBytes);
  if (uchardet_handle_data(detector.get(), sample.data(), sample.size()) != 0) return {};
  uchardet_data_end(detector.get());
  const char* charset = uchardet_get_charset(detector.get());
  return charset == nullptr ? std::string() : Lower(charset);
}

Result<DecodedText> DecodeWithBom(std::string_view bytes, std::size_t max_bytes, bool* found) {
  struct Bom {
    std::string_view marker;
    const char* charset;
  };
  // UTF-32LE before UTF-16LE: its mark starts with the UTF-16LE one.
  static constexpr std::array<Bom, 5> kBoms = {{
      {{"\xEF\xBB\xBF", 3}, "UTF-8"},
      {{"\xFF\xFE\x00\x00", 4}, "UTF-32LE"},
      {{"\x00\x00\xFE\xFF", 4}, "UTF-32BE"},
      {{"\xFF\xFE", 2}, "UTF-16LE"},
      {{"\xFE\xFF", 2}, "UTF-16BE"},
  }};
  *found = false;
  for (const Bom& bom : kBoms) {
    if (!bytes.starts_with(bom.marker)) continue;
    *found = true;
    const std::string_view rest = bytes.substr(bom.marker.size());
    if (bom.marker.size() == 3) return FromUtf8(rest, max_bytes);
    ConverterPtr converter = OpenConverter(bom.charset);
    if (!converter) return Status::Internal(std::string("ICU lacks ") + bom.charset);
    return Convert(rest, converter.get(), max_bytes);
  }
  return DecodedText{};
}

Result<DecodedText> DecodeDetected(std::string_view bytes, std::size_t max_bytes) {
  if (IsValidUtf8(bytes)) return FromUtf8(bytes, max_bytes);
  const std::string guess = Detect(bytes);
  if (KindOf(guess) == LabelKind::kUtf8) return FromUtf8(bytes, max_bytes);
  ConverterPtr converter;
  if (!guess.empty() && KindOf(guess) != LabelKind::kAscii) {
    converter = OpenConverter(SupersetOf(guess));
  }
  if (!converter) converter = OpenConverter("windows-1252");
  if (!converter) return Status::Internal("ICU lacks windows-1252");
  return Convert(bytes, converter.get(), max_bytes);
}

}  // namespace

bool TruncateUtf8(std::string* text, std::size_t max_bytes) {
  if (text->size() <= max_bytes) return false;
  text->resize(Utf8Boundary(*text, max_bytes));
  return true;
}

Result<DecodedText> DecodeToUtf8(std::string_view bytes, std::string_view declared_charset,
                                 std::size_t max_bytes) {
  bool has_bom = false;
  TROVE_ASSIGN_OR_RETURN(DecodedText with_bom, DecodeWithBom(bytes, max_bytes, &has_bom));
  if (has_bom) return with_bom;

  const std::string label = NormalizeLabel(declared_charset);
  if (label.empty()) return DecodeDetected(bytes, max_bytes);
  switch (KindOf(label)) {
    case LabelKind::kUtf8:
    case LabelKind::kAscii:
      // Mislabelled mail and pages are common: believe the bytes over the label.
      return DecodeDetected(bytes, max_bytes);
    case LabelKind::kOther:
      break;
  }
  ConverterPtr converter = OpenConverter(SupersetOf(label));
  if (!converter) return Status::Unsupported("unsupported charset " + Printable(declared_charset));
  return Convert(bytes, converter.get(), max_bytes);
}

DecodedText DecodeToUtf8OrDetect(std::string_view bytes, std::string_view declared_charset,
                                 std::size_t max_bytes) {
  Result<DecodedText> declared = DecodeToUtf8(bytes, declared_charset, max_bytes);
  if (declared.ok()) return std::move(declared).value();
  Result<DecodedText> detected = DecodeToUtf8(bytes, {}, max_bytes);
  if (detected.ok()) return std::move(detected).value();
  // Only an ICU installation without UTF-8 or windows-1252 gets here; keep what is valid.
  return FromUtf8(bytes, max_bytes);
}

std::string NormalizeNewlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
      continue;
    }
    out += '\n';
    if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
  }
  return out;
}

std::string BareMediaType(std::string_view media_type) {
  const std::size_t semicolon = media_type.find(';');
  std::string out = NormalizeLabel(media_type.substr(0, semicolon));
  return out;
}

std::string CharsetParameter(std::string_view media_type) {
  const std::string lower = Lower(media_type);
  std::size_t pos = lower.find(';');
  while (pos != std::string::npos) {
    std::size_t start = pos + 1;
    while (start < lower.size() && (lower[start] == ' ' || lower[start] == '\t')) ++start;
    const std::size_t next = lower.find(';', start);
    const std::string_view param = std::string_view(lower).substr(
        start, next == std::string::npos ? std::string::npos : next - start);
    if (param.starts_with("charset=")) return NormalizeLabel(param.substr(8));
    pos = next;
  }
  return {};
}

}  // namespace trove::extract::internal

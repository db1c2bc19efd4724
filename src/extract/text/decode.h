// Decoding of text of unknown or declared encoding to UTF-8, shared by the text, CSV, HTML and
// e-mail extractors.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

#include "core/status.h"

namespace trove::extract::internal {

struct DecodedText {
  std::string text;           // valid UTF-8, sanitised with SanitizeUtf8 (no NUL or C0 controls)
  std::string charset;        // the encoding used, as its IANA/MIME name ("UTF-8", "windows-1252")
  bool is_truncated = false;  // the output reached `max_bytes` and the rest was not decoded
};

inline constexpr std::size_t kNoTextLimit = std::numeric_limits<std::size_t>::max();

// Decodes `bytes` to UTF-8. A byte-order mark (UTF-8, UTF-16 or UTF-32) wins over everything.
// Otherwise `declared_charset` (a MIME or HTML label, may be empty) is used, except that a
// declared UTF-8 or ASCII that the bytes contradict is ignored and ISO-8859-1 is read as
// windows-1252, as browsers do. Without a usable declaration, valid UTF-8 stays UTF-8 and
// anything else goes through uchardet, falling back to windows-1252 (every byte maps).
// At most `max_bytes` bytes of output are produced, cut at a character boundary.
// Fails with Unsupported ("unsupported charset x-foo") when `declared_charset` names an encoding
// ICU does not know; callers that prefer detection then retry with an empty declaration.
// Thread-compatible; holds no state between calls.
Result<DecodedText> DecodeToUtf8(std::string_view bytes, std::string_view declared_charset,
                                 std::size_t max_bytes = kNoTextLimit);

// Like DecodeToUtf8, but an unknown declared charset falls back to detection instead of
// failing. Never fails for lack of an encoding; kept separate so that callers state their choice.
DecodedText DecodeToUtf8OrDetect(std::string_view bytes, std::string_view declared_charset,
                                 std::size_t max_bytes = kNoTextLimit);

// Cuts `text` (valid UTF-8) to at most `max_bytes`, backing off to a character boundary.
// Returns true when something was cut.
bool TruncateUtf8(std::string* text, std::size_t max_bytes);

// Replaces CRLF and lone CR line ends with LF.
std::string NormalizeNewlines(std::string_view text);

// The media type without parameters, lower-cased: "Text/HTML; charset=x" -> "text/html".
std::string BareMediaType(std::string_view media_type);

// The value of the charset parameter of a media type ("text/plain; charset=utf-8" -> "utf-8"),
// or empty.
std::string CharsetParameter(std::string_view media_type);

}  // namespace trove::extract::internal

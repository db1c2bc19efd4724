// A small RTF-to-text reader. Debian packages no maintained C or C++ RTF library (librtf and
// unrtf are abandoned command-line tools), so this hand-written reader covers what indexing
// needs: groups, control words, skipped destinations, \info fields, \'hh bytes in the document's
// or the font's code page (via ICU), and \uN with \ucN fallback skipping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {

struct RtfContent {
  std::string text;                  // \par, \line, \row -> newline; \tab, \cell -> tab
  std::string title;                 // {\info{\title ...}}
  std::string author;                // {\info{\author ...}}
  std::optional<std::int64_t> date;  // {\info{\creatim\yr..\mo..}}, read as UTC
  // "subject", "keywords", "company", "comments" from \info when present.
  std::vector<std::pair<std::string, std::string>> metadata;
  bool is_truncated = false;  // text reached `max_text_bytes`
};

// Reads an RTF document. Fails with Corrupt when `rtf` does not start with "{\rtf". Truncated or
// unbalanced input yields the text read so far. Work is linear in the input; groups nested deeper
// than a fixed limit are skipped; \binN skips at most the bytes that remain. Every returned
// string is valid UTF-8.
Result<RtfContent> RtfToText(std::string_view rtf, std::size_t max_text_bytes = kNoTextLimit);

}  // namespace trove::extract::internal

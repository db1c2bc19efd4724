// HTML to plain text with gumbo, shared by the HTML extractor and the e-mail extractor (HTML
// bodies). Documents are hostile: the output is plain text only, never markup.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/text/decode.h"

namespace trove::extract::internal {

struct HtmlContent {
  std::string text;    // visible text; block elements end lines, whitespace collapsed
  std::string title;   // the first HTML <title>, whitespace collapsed
  std::string author;  // <meta name="author">
  // <meta name="description">, "keywords" and "generator", under those names.
  std::vector<std::pair<std::string, std::string>> metadata;
  bool is_truncated = false;  // text reached `max_text_bytes`
};

// Parses `utf8_html` (invalid bytes become U+FFFD) and renders its visible text: script, style,
// noscript, template, iframe and head content (except the title) are dropped; p, div, br, li,
// tr, h1-h6, table and other blocks produce line breaks; table cells are separated by tabs;
// runs of whitespace collapse to one space except inside pre and textarea. Every returned string
// is valid UTF-8. Memory is linear in the input and the walk is iterative, so deep nesting cannot
// exhaust the stack.
HtmlContent ParseHtml(std::string_view utf8_html, std::size_t max_text_bytes = kNoTextLimit);

// ParseHtml(...).text.
std::string HtmlToText(std::string_view utf8_html, std::size_t max_text_bytes = kNoTextLimit);

// The charset the document declares near its start (<meta charset>, <meta http-equiv=
// "Content-Type" content="...; charset=...">, or an XML declaration's encoding), lower-cased;
// empty when there is none.
std::string DeclaredHtmlCharset(std::string_view html_bytes);

}  // namespace trove::extract::internal

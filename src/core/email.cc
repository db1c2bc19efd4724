#include "core/email.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.h"

namespace trove {
namespace {

// Reply and forward prefixes, folded (lower case, no accents), as clients write them before ':'.
constexpr std::array<std::string_view, 17> kPrefixes = {"re",  "fw",  "fwd",  "aw",  "wg", "tr",
                                                        "sv",  "vs",  "antw", "rif", "r",  "rv",
                                                        "enc", "odp", "ref",  "res", "ynt"};

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// When `s` starts with a reply prefix (a known word, an optional "[2]" or "(2)" counter, then a
// colon), removes it and returns true.
bool StripPrefix(std::string_view* s) {
  std::size_t end = 0;
  while (end < s->size() && end < 8 &&
         (std::isalpha(static_cast<unsigned char>((*s)[end])) ||
          static_cast<unsigned char>((*s)[end]) >= 0x80)) {
    ++end;
  }
  if (end == 0) return false;
  const std::string word = FoldToken(s->substr(0, end));
  if (std::find(kPrefixes.begin(), kPrefixes.end(), word) == kPrefixes.end()) return false;
  std::size_t at = end;
  if (at < s->size() && ((*s)[at] == '[' || (*s)[at] == '(')) {
    const char close = (*s)[at] == '[' ? ']' : ')';
    std::size_t digit = at + 1;
    while (digit < s->size() && std::isdigit(static_cast<unsigned char>((*s)[digit]))) ++digit;
    if (digit == at + 1 || digit >= s->size() || (*s)[digit] != close) return false;
    at = digit + 1;
  }
  while (at < s->size() && (*s)[at] == ' ') ++at;  // "Re :" (French clients put a space)
  if (at >= s->size() || (*s)[at] != ':') return false;
  s->remove_prefix(at + 1);
  return true;
}

// A leading "[list name]" tag.
bool StripTag(std::string_view* s) {
  if (s->empty() || s->front() != '[') return false;
  const std::size_t close = s->find(']');
  if (close == std::string_view::npos || close > 64) return false;
  s->remove_prefix(close + 1);
  return true;
}

}  // namespace

NormalizedSubject NormalizeSubject(std::string_view subject) {
  NormalizedSubject out;
  std::string_view rest = TrimLeft(subject);
  for (;;) {
    if (StripPrefix(&rest)) {
      out.is_reply = true;
    } else if (!StripTag(&rest)) {
      break;
    }
    rest = TrimLeft(rest);
  }
  // "... (fwd)", as old clients appended.
  std::string_view body = rest;
  while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
  if (body.size() >= 5) {
    std::string tail(body.substr(body.size() - 5));
    for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (tail == "(fwd)") {
      body.remove_suffix(5);
      out.is_reply = true;
    }
  }
  out.key = FoldedWords(body);
  return out;
}

}  // namespace trove

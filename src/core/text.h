// Unicode text primitives shared by indexing, querying and snippets, so that a word is cut and
// folded the same way when it is indexed, searched and highlighted.
//
// A token is a maximal run of letters, digits and combining marks; every ideograph is a token
// on its own; everything else (spaces, punctuation, apostrophes, invalid UTF-8) separates tokens.
// Apostrophes separate so that French elisions split ("l'élection" gives "l", "élection").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace trove {

struct Token {
  std::string_view text;   // a slice of the tokenised string
  std::size_t offset = 0;  // byte offset of `text` in that string
};

// Walks the tokens of a UTF-8 string in order. Not thread-safe; cheap to construct.
class TokenIterator {
 public:
  explicit TokenIterator(std::string_view text) : text_(text) {}
  // Stores the next token and returns true, or returns false at the end.
  bool Next(Token* token);

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Tokens longer than this many bytes are not indexed (base64 blobs, hex dumps).
inline constexpr std::size_t kMaxTokenBytes = 64;

// Lower-cases and removes accents: "François" -> "francois", "Straße" -> "strasse",
// "Œuvre" -> "oeuvre". The default search compares folded forms.
std::string FoldToken(std::string_view token);

// Calls fn(folded, token) for every token of `text` that is at most kMaxTokenBytes long and
// folds to something: the one reading of words that indexing, near-duplicate signatures and
// FoldedWords share.
template <typename Fn>
void ForEachFoldedWord(std::string_view text, Fn&& fn) {
  TokenIterator tokens(text);
  Token token;
  while (tokens.Next(&token)) {
    if (token.text.size() > kMaxTokenBytes) continue;
    const std::string folded = FoldToken(token.text);
    if (!folded.empty()) fn(folded, token);
  }
}

// The folded tokens of `text` (tokens over kMaxTokenBytes left out) joined by single spaces:
// "  Marine LE PEN," -> "marine le pen". Entity keys, subjects and quoted-text checks compare this.
std::string FoldedWords(std::string_view text);

// True when `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

// Replaces invalid UTF-8 sequences with U+FFFD and drops NUL and other C0 controls except tab,
// newline, carriage return and form feed (our page break).
std::string SanitizeUtf8(std::string_view s);

}  // namespace trove

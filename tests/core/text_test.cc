#include "core/text.h"

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace trove {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> out;
  TokenIterator it(text);
  Token token;
  while (it.Next(&token)) out.emplace_back(token.text);
  return out;
}

bool IsAsciiAlnum(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

// The tokeniser's contract, checked on one string: every token is a non-empty slice of the text
// at its offset, tokens come in order without overlapping, each is valid UTF-8 without ASCII
// separators, no ASCII letter or digit is lost between tokens, and two ASCII words never touch
// (they would have been one token).
void ExpectTokenizerContract(std::string_view text) {
  SCOPED_TRACE(::testing::Message() << "text (" << text.size()
                                    << " bytes): " << ::testing::PrintToString(std::string(text)));
  TokenIterator it(text);
  Token token;
  std::size_t covered_to = 0;
  bool has_previous = false;
  Token previous;
  int count = 0;
  while (it.Next(&token)) {
    ASSERT_LT(++count, 100000) << "the iterator does not end";
    ASSERT_FALSE(token.text.empty());
    ASSERT_LE(token.offset + token.text.size(), text.size());
    ASSERT_EQ(token.text.data(), text.data() + token.offset)
        << "token is not a slice at its offset";
    ASSERT_EQ(text.substr(token.offset, token.text.size()), token.text);
    ASSERT_GE(token.offset, covered_to) << "tokens overlap or go backwards";
    EXPECT_TRUE(IsValidUtf8(token.text))
        << "token " << ::testing::PrintToString(std::string(token.text));
    for (const char ch : token.text) {
      if (static_cast<unsigned char>(ch) < 0x80) {
        EXPECT_TRUE(IsAsciiAlnum(ch)) << "separator '" << ch << "' inside a token";
      }
    }
    for (std::size_t i = covered_to; i < token.offset; ++i) {
      EXPECT_FALSE(IsAsciiAlnum(text[i])) << "letter '" << text[i] << "' at " << i << " lost";
    }
    if (has_previous && previous.offset + previous.text.size() == token.offset) {
      EXPECT_FALSE(IsAsciiAlnum(previous.text.back()) && IsAsciiAlnum(token.text.front()))
          << "ASCII words " << previous.text << " and " << token.text << " were split";
    }
    covered_to = token.offset + token.text.size();
    previous = token;
    has_previous = true;
  }
  for (std::size_t i = covered_to; i < text.size(); ++i) {
    EXPECT_FALSE(IsAsciiAlnum(text[i])) << "letter '" << text[i] << "' at " << i << " lost";
  }
  EXPECT_FALSE(it.Next(&token)) << "the iterator restarted after its end";
}

// Pieces that random strings are made of: ASCII, accented and combining letters, apostrophes,
// ideographs, kana, Thai, emoji, controls and invalid or truncated UTF-8.
const std::vector<std::string>& Pieces() {
  static const std::vector<std::string> kPieces = {
      "a",
      "Z",
      "7",
      " ",
      "\t",
      "\n",
      "\f",
      "'",
      "\xE2\x80\x99" /* ’ */,
      "-",
      ".",
      ",",
      "@",
      "\xC3\xA9" /* é */,
      "\xC3\x89" /* É */,
      "e\xCC\x81" /* e + combining acute */,
      "\xC3\x9F" /* ß */,
      "\xC5\x92" /* Œ */,
      "\xE4\xB8\xAD" /* 中 */,
      "\xE6\x96\x87" /* 文 */,
      "\xE3\x81\x82" /* あ */,
      "\xE0\xB8\x81" /* ก */,
      "\xF0\x9F\x98\x80" /* 😀 */,
      "\xD0\x96" /* Ж */,
      "\xD9\x85" /* م */,
      "\xEF\xBF\xBD" /* U+FFFD */,
      std::string(1, '\0'),
      "\xFF",
      "\xC3",
      "\xE4\xB8",
      "\x80",
      "\xED\xA0\x80" /* surrogate */,
      "\xC0\xAF" /* overlong */,
      "\xF4\x90\x80\x80" /* above U+10FFFF */,
  };
  return kPieces;
}

TEST(TokenIterator, SplitsOnSpacesAndPunctuation) {
  EXPECT_THAT(Tokens("Hello, world! 42 times."), ElementsAre("Hello", "world", "42", "times"));
}

TEST(TokenIterator, ReportsOffsetsOfEachToken) {
  const std::string text = "  ab, cd";
  TokenIterator it(text);
  Token token;
  ASSERT_TRUE(it.Next(&token));
  EXPECT_EQ(token.offset, 2u);
  EXPECT_EQ(token.text, "ab");
  ASSERT_TRUE(it.Next(&token));
  EXPECT_EQ(token.offset, 6u);
  EXPECT_EQ(token.text, "cd");
  EXPECT_FALSE(it.Next(&token));
}

TEST(TokenIterator, SplitsFrenchElisions) {
  EXPECT_THAT(Tokens("l'élection d'Uruguay"), ElementsAre("l", "élection", "d", "Uruguay"));
  // The typographic apostrophe (U+2019) separates too.
  EXPECT_THAT(Tokens("l\xE2\x80\x99\xC3\xA9lection"), ElementsAre("l", "\xC3\xA9lection"));
}

TEST(TokenIterator, SplitsHyphenatedWords) {
  EXPECT_THAT(Tokens("États-Unis"), ElementsAre("États", "Unis"));
}

TEST(TokenIterator, KeepsAccentedAndNonLatinLettersInWords) {
  EXPECT_THAT(Tokens("Straße Œuvre Жизнь مرحبا"), ElementsAre("Straße", "Œuvre", "Жизнь", "مرحبا"));
}

TEST(TokenIterator, KeepsCombiningMarksWithTheirLetter) {
  EXPECT_THAT(Tokens("caf"
                     "e\xCC\x81"
                     " noir"),
              ElementsAre("cafe\xCC\x81", "noir"));
}

TEST(TokenIterator, MakesEachIdeographItsOwnToken) {
  EXPECT_THAT(Tokens("中华人民"), ElementsAre("中", "华", "人", "民"));
  EXPECT_THAT(Tokens("abc中文def"), ElementsAre("abc", "中", "文", "def"));
}

TEST(TokenIterator, MakesEachKanaAndThaiCharacterItsOwnToken) {
  EXPECT_THAT(Tokens("ひらがな"), ElementsAre("ひ", "ら", "が", "な"));
  EXPECT_THAT(Tokens("カタ"), ElementsAre("カ", "タ"));
  EXPECT_THAT(Tokens("กข"), ElementsAre("ก", "ข"));
}

TEST(TokenIterator, ReturnsNothingForEmptyOrSeparatorOnlyText) {
  EXPECT_THAT(Tokens(""), IsEmpty());
  EXPECT_THAT(Tokens(" \t\n,.;:!?'\"()[]{}-_/\\"), IsEmpty());
  EXPECT_THAT(Tokens("😀 ☃ → €"), IsEmpty());
}

TEST(TokenIterator, TreatsInvalidUtf8AsSeparator) {
  EXPECT_THAT(Tokens("abc\xFF\xFE"
                     "def"),
              ElementsAre("abc", "def"));
  EXPECT_THAT(Tokens("abc\xC3"), ElementsAre("abc"));  // truncated at the end
  EXPECT_THAT(Tokens("\xC3"
                     "abc"),
              ElementsAre("abc"));  // lead byte without its trail
  EXPECT_THAT(Tokens("\xE4\xB8"
                     "x"),
              ElementsAre("x"));  // truncated ideograph
  EXPECT_THAT(Tokens("\x80\x80\x80"), IsEmpty());
  EXPECT_THAT(Tokens("a\xED\xA0\x80"
                     "b"),
              ElementsAre("a", "b"));  // encoded surrogate
}

TEST(TokenIterator, OffsetsSliceBackToTokensOfHandPickedText) {
  for (const char* text : {"", "a", "l'été", "  x  ", "中文 and English", "e\xCC\x81\xCC\x81",
                           "\xCC\x81"
                           "a",
                           "a\xC3", "\xC3\xA9\xC3",
                           "\xF0\x9F\x98\x80"
                           "x"}) {
    ExpectTokenizerContract(text);
  }
}

TEST(TokenIterator, OffsetsSliceBackToTokensOfRandomText) {
  std::mt19937 rng(20240611);
  const auto& pieces = Pieces();
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) text += pieces[pick(rng)];
    ExpectTokenizerContract(text);
    if (HasFailure()) return;
  }
}

TEST(TokenIterator, OffsetsSliceBackToTokensOfRandomBytes) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 64);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) text += static_cast<char>(byte(rng));
    ExpectTokenizerContract(text);
    if (HasFailure()) return;
  }
}

// Sentences of the WikiANN French sample: real French with names, elisions and punctuation.
std::vector<std::string> WikiannSentences() {
  std::ifstream in(std::string(TROVE_SOURCE_DIR) + "/../shared/data/wikiann-fr/dev.txt");
  std::vector<std::string> sentences;
  std::string line, sentence;
  while (std::getline(in, line)) {
    if (line.empty()) {
      if (!sentence.empty()) sentences.push_back(sentence);
      sentence.clear();
      continue;
    }
    const auto colon = line.find(':');
    const auto tab = line.find('\t');
    if (colon == std::string::npos || tab == std::string::npos || tab < colon) continue;
    if (!sentence.empty()) sentence += ' ';
    sentence += line.substr(colon + 1, tab - colon - 1);
  }
  if (!sentence.empty()) sentences.push_back(sentence);
  return sentences;
}

TEST(TokenIterator, OffsetsSliceBackToTokensOfFrenchCorpus) {
  const std::vector<std::string> sentences = WikiannSentences();
  if (sentences.empty()) GTEST_SKIP() << "shared/data/wikiann-fr/dev.txt is not available";
  ASSERT_GT(sentences.size(), 1000u);
  std::size_t checked = 0;
  for (const std::string& sentence : sentences) {
    ExpectTokenizerContract(sentence);
    if (HasFailure()) return;
    if (++checked == 5000) break;
  }
}

TEST(FoldToken, RemovesAccentsAndCase) {
  EXPECT_EQ(FoldToken("François"), "francois");
  EXPECT_EQ(FoldToken("ÉLECTION"), "election");
  EXPECT_EQ(FoldToken("Ångström"), "angstrom");
  EXPECT_EQ(FoldToken("naïve"), "naive");
}

TEST(FoldToken, ExpandsLettersThatDoNotDecompose) {
  EXPECT_EQ(FoldToken("Straße"), "strasse");
  EXPECT_EQ(FoldToken("Œuvre"), "oeuvre");
  EXPECT_EQ(FoldToken("œuvre"), "oeuvre");
  EXPECT_EQ(FoldToken("Æther"), "aether");
  EXPECT_EQ(FoldToken("Øresund"), "oresund");
  EXPECT_EQ(FoldToken("Łódź"), "lodz");
  EXPECT_EQ(FoldToken("Þór"), "thor");
}

TEST(FoldToken, FoldsCombiningSequencesLikePrecomposedLetters) {
  EXPECT_EQ(FoldToken("cafe\xCC\x81"), FoldToken("café"));
  EXPECT_EQ(FoldToken("café"), "cafe");
}

TEST(FoldToken, FoldsOtherScripts) {
  EXPECT_EQ(FoldToken("ЁЛКА"), "елка");
  EXPECT_EQ(FoldToken("ΣΊΣΥΦΟΣ"), FoldToken("σίσυφος"));
  EXPECT_EQ(FoldToken("İstanbul"), "istanbul");
  EXPECT_EQ(FoldToken("中"), "中");
}

TEST(FoldToken, LowercasesAsciiOnTheFastPath) {
  EXPECT_EQ(FoldToken("CIA"), "cia");
  EXPECT_EQ(FoldToken("Hello123"), "hello123");
  EXPECT_EQ(FoldToken("already"), "already");
  EXPECT_EQ(FoldToken(""), "");
  EXPECT_EQ(FoldToken("AZaz09"), "azaz09");
}

TEST(FoldToken, IsIdempotentOnCorpusWords) {
  std::vector<std::string> sentences = WikiannSentences();
  sentences.push_back("Straße Œuvre François ΣΊΣΥΦΟΣ İstanbul Ǆemal ﬁnance Ⅻ ǅ");
  std::size_t words = 0;
  for (std::size_t i = 0; i < sentences.size() && i < 3000; ++i) {
    TokenIterator it(sentences[i]);
    Token token;
    while (it.Next(&token)) {
      const std::string once = FoldToken(token.text);
      EXPECT_EQ(FoldToken(once), once) << "token " << token.text;
      EXPECT_TRUE(IsValidUtf8(once)) << "token " << token.text;
      ++words;
    }
  }
  EXPECT_GT(words, 0u);
}

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("é中😀"));
  EXPECT_TRUE(IsValidUtf8(std::string("nul\0inside", 10)));
}

TEST(IsValidUtf8, RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("abc\xC3"));           // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(SanitizeUtf8, LeavesValidTextUnchanged) {
  const std::string text = "Élection\tpage one\fpage two\r\nfin 中文 😀";
  EXPECT_EQ(SanitizeUtf8(text), text);
}

TEST(SanitizeUtf8, ReplacesInvalidBytesWithReplacementCharacter) {
  EXPECT_EQ(SanitizeUtf8("a\xFF"
                         "b"),
            "a\xEF\xBF\xBD"
            "b");
  const std::string out = SanitizeUtf8(
      "a\xC0\xAF"
      "b\xC3");
  EXPECT_TRUE(IsValidUtf8(out));
  EXPECT_EQ(out.front(), 'a');
  EXPECT_NE(out.find("b\xEF\xBF\xBD"), std::string::npos) << out;
  EXPECT_NE(out.find("\xEF\xBF\xBD"
                     "b"),
            std::string::npos)
      << out;
}

TEST(SanitizeUtf8, DropsNulAndControlsButKeepsLayoutCharacters) {
  EXPECT_EQ(SanitizeUtf8(std::string("a\0b\x01\x1B\x7F"
                                     "c",
                                     7)),
            "abc");
  EXPECT_EQ(SanitizeUtf8("a\tb\nc\rd\fe"), "a\tb\nc\rd\fe");
}

TEST(SanitizeUtf8, AlwaysProducesValidUtf8FromRandomBytes) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int i = 0; i < round % 50; ++i) text += static_cast<char>(byte(rng));
    const std::string out = SanitizeUtf8(text);
    ASSERT_TRUE(IsValidUtf8(out)) << ::testing::PrintToString(text);
    ASSERT_EQ(out.find('\0'), std::string::npos);
    ASSERT_EQ(SanitizeUtf8(out), out) << "not idempotent on " << ::testing::PrintToString(text);
  }
}

}  // namespace
}  // namespace trove

#include "extract/text/decode.h"

#include <string>

#include <gtest/gtest.h>

#include "core/text.h"

namespace trove::extract::internal {
namespace {

using namespace std::string_literals;

TEST(DecodeToUtf8, KeepsValidUtf8) {
  Result<DecodedText> decoded = DecodeToUtf8("caf\xC3\xA9 cr\xC3\xA8me", "");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->text, "caf\xC3\xA9 cr\xC3\xA8me");
  EXPECT_EQ(decoded->charset, "UTF-8");
  EXPECT_FALSE(decoded->is_truncated);
}

TEST(DecodeToUtf8, StripsUtf8ByteOrderMark) {
  Result<DecodedText> decoded = DecodeToUtf8("\xEF\xBB\xBFhello", "windows-1251");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "hello");
  EXPECT_EQ(decoded->charset, "UTF-8");
}

TEST(DecodeToUtf8, ReadsUtf16LittleEndianWithByteOrderMark) {
  const std::string bytes =
      "\xFF\xFE"
      "h\0\xE9\0l\0l\0o\0"s;
  Result<DecodedText> decoded = DecodeToUtf8(bytes, "");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "h\xC3\xA9llo");
  EXPECT_EQ(decoded->charset, "UTF-16LE");
}

TEST(DecodeToUtf8, ReadsUtf16BigEndianWithByteOrderMark) {
  const std::string bytes = "\xFE\xFF\0h\0i\x20\xAC"s;
  Result<DecodedText> decoded = DecodeToUtf8(bytes, "");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "hi\xE2\x82\xAC");
  EXPECT_EQ(decoded->charset, "UTF-16BE");
}

TEST(DecodeToUtf8, ReadsUtf32LittleEndianWithByteOrderMark) {
  const std::string bytes =
      "\xFF\xFE\0\0"
      "a\0\0\0\x00\xF6\x01\0"s;  // "a", U+1F600
  Result<DecodedText> decoded = DecodeToUtf8(bytes, "");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "a\xF0\x9F\x98\x80");
  EXPECT_EQ(decoded->charset, "UTF-32LE");
}

TEST(DecodeToUtf8, ReadsDeclaredLatin1AsWindows1252) {
  // 0x93/0x94 are C1 controls in ISO-8859-1 but curly quotes in windows-1252, which is what
  // "ISO-8859-1" text really is.
  Result<DecodedText> decoded = DecodeToUtf8("caf\xE9 \x93ok\x94", "ISO-8859-1");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "caf\xC3\xA9 \xE2\x80\x9Cok\xE2\x80\x9D");
  EXPECT_EQ(decoded->charset, "windows-1252");
}

TEST(DecodeToUtf8, ReadsDeclaredCyrillic) {
  Result<DecodedText> decoded = DecodeToUtf8("\xCF\xF0\xE8\xE2\xE5\xF2", "\"windows-1251\"");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");  // Привет
}

TEST(DecodeToUtf8, DetectsUndeclaredSingleByteText) {
  const std::string latin1 =
      "Der Chef von Gro\xDF"
      "britanniens gr\xF6\xDF"
      "ter Partei wohnt in einem schmalen "
      "Reihenhaus, nebenan stapelt sich der Sperrm\xFCll. Dar\xFC"
      "ber steht der Name.";
  Result<DecodedText> decoded = DecodeToUtf8(latin1, "");
  ASSERT_TRUE(decoded.ok());
  EXPECT_NE(decoded->text.find("Sperrm\xC3\xBCll"), std::string::npos) << decoded->text;
  EXPECT_NE(decoded->text.find("gr\xC3\xB6\xC3\x9F"
                               "ter"),
            std::string::npos);
  EXPECT_NE(decoded->charset, "UTF-8");
}

TEST(DecodeToUtf8, IgnoresUtf8LabelThatTheBytesContradict) {
  Result<DecodedText> decoded = DecodeToUtf8("na\xEFve caf\xE9", "utf-8");
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(IsValidUtf8(decoded->text));
  EXPECT_NE(decoded->text.find("caf\xC3\xA9"), std::string::npos) << decoded->text;
}

TEST(DecodeToUtf8, ReturnsUnsupportedForUnknownCharset) {
  Result<DecodedText> decoded = DecodeToUtf8("hello", "x-foo");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(decoded.status().message(), "unsupported charset x-foo");
}

TEST(DecodeToUtf8OrDetect, FallsBackToDetectionForUnknownCharset) {
  DecodedText decoded = DecodeToUtf8OrDetect("hello", "x-foo");
  EXPECT_EQ(decoded.text, "hello");
  EXPECT_EQ(decoded.charset, "UTF-8");
}

TEST(DecodeToUtf8, CutsAtCharacterBoundary) {
  Result<DecodedText> decoded = DecodeToUtf8("\xC3\xA9\xC3\xA9\xC3\xA9", "", 3);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "\xC3\xA9");
  EXPECT_TRUE(decoded->is_truncated);

  Result<DecodedText> converted = DecodeToUtf8("\xE9\xE9\xE9\xE9", "windows-1252", 5);
  ASSERT_TRUE(converted.ok());
  EXPECT_EQ(converted->text, "\xC3\xA9\xC3\xA9");
  EXPECT_TRUE(converted->is_truncated);
}

TEST(DecodeToUtf8, DropsControlCharacters) {
  Result<DecodedText> decoded = DecodeToUtf8(
      "a\0b\x01"
      "c\td\n"s,
      "");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "abc\td\n");
}

TEST(DecodeToUtf8, ReadsShiftJisWithCommonLabel) {
  Result<DecodedText> decoded = DecodeToUtf8("\x93\xfa\x96\x7b", "Shift_JIS");  // 日本
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "\xE6\x97\xA5\xE6\x9C\xAC");
}

TEST(MediaTypeHelpers, SplitTypeAndCharset) {
  EXPECT_EQ(BareMediaType("Text/HTML; charset=UTF-8"), "text/html");
  EXPECT_EQ(BareMediaType("text/plain"), "text/plain");
  EXPECT_EQ(CharsetParameter("text/plain; format=flowed; charset=\"ISO-8859-1\""), "iso-8859-1");
  EXPECT_EQ(CharsetParameter("text/plain"), "");
}

TEST(NormalizeNewlines, TurnsCrLfAndCrIntoLf) {
  EXPECT_EQ(NormalizeNewlines("a\r\nb\rc\nd\r"), "a\nb\nc\nd\n");
}

}  // namespace
}  // namespace trove::extract::internal

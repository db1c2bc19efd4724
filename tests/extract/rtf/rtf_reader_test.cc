#include "extract/rtf/rtf_reader.h"

#include <string>

#include <gtest/gtest.h>

#include "core/text.h"

namespace trove::extract::internal {
namespace {

RtfContent Read(std::string_view rtf, std::size_t max_text = kNoTextLimit) {
  Result<RtfContent> content = RtfToText(rtf, max_text);
  EXPECT_TRUE(content.ok()) << content.status().ToString();
  return content.ok() ? std::move(content).value() : RtfContent{};
}

TEST(RtfToText, ReadsParagraphsAndTabs) {
  const RtfContent content = Read(
      "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}{\\colortbl;\\red255\\green0\\blue0;}"
      "{\\stylesheet{\\s0 Normal;}}\\pard Hello {\\b bold}\\par\r\nSecond\\tab line\\line end}");
  EXPECT_EQ(content.text, "Hello bold\nSecond\tline\nend");
}

TEST(RtfToText, DecodesHexEscapesInDocumentCodepage) {
  EXPECT_EQ(Read("{\\rtf1\\ansi\\ansicpg1252 caf\\'e9 \\'93q\\'94}").text,
            "caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D");
  EXPECT_EQ(Read("{\\rtf1\\ansi\\ansicpg1251 \\'cf\\'f0\\'e8}").text, "\xD0\x9F\xD1\x80\xD0\xB8");
}

TEST(RtfToText, UsesFontCharsetForHexEscapes) {
  // WordPad writes Czech with \ansicpg1252 and a font declared \fcharset238 (windows-1250).
  const RtfContent content = Read(
      "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset238 Arial;}"
      "{\\f1\\fnil\\fcharset0 Arial;}}\\f0 \\'e8\\'ed\\'f8 {\\f1 \\'e9}}");
  EXPECT_EQ(content.text, "\xC4\x8D\xC3\xAD\xC5\x99 \xC3\xA9");  // číř é
}

TEST(RtfToText, DecodesDoubleByteCodepage) {
  EXPECT_EQ(Read("{\\rtf1\\ansi\\ansicpg932 \\'93\\'fa\\'96\\'7b}").text,
            "\xE6\x97\xA5\xE6\x9C\xAC");  // 日本
  // A Shift-JIS trail byte may be a plain ASCII character ("{" is 0x7B).
  EXPECT_EQ(Read("{\\rtf1\\ansi\\ansicpg932 \\'96\\{}").text, "\xE6\x9C\xAC");
}

TEST(RtfToText, ReadsUnicodeAndSkipsFallback) {
  EXPECT_EQ(Read("{\\rtf1 \\u233?t\\u233?}").text, "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(Read("{\\rtf1\\uc2 \\u8364\\'80\\'80 euro}").text, "\xE2\x82\xAC euro");
  EXPECT_EQ(Read("{\\rtf1\\uc0 \\u-3913 x}").text, "\xEF\x82\xB7x");
  EXPECT_EQ(Read("{\\rtf1\\uc1 \\u-10179?\\u-8704?}").text, "\xF0\x9F\x98\x80");  // U+1F600
}

TEST(RtfToText, ReadsInfoFields) {
  const RtfContent content = Read(
      "{\\rtf1{\\info{\\title Annual \\'e9tude}{\\author Jane Doe}{\\subject Money}"
      "{\\creatim\\yr2011\\mo11\\dy21\\hr10\\min0}{\\operator someone}}Body}");
  EXPECT_EQ(content.title, "Annual \xC3\xA9tude");
  EXPECT_EQ(content.author, "Jane Doe");
  ASSERT_TRUE(content.date.has_value());
  EXPECT_EQ(*content.date, 1321869600);
  ASSERT_EQ(content.metadata.size(), 1u);
  EXPECT_EQ(content.metadata[0].first, "subject");
  EXPECT_EQ(content.text, "Body");
}

TEST(RtfToText, SkipsDestinations) {
  const RtfContent content = Read(
      "{\\rtf1{\\*\\generator Riched20;}{\\*\\unknowndest secret}{\\pict\\pngblip 89504e47}"
      "{\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt link text}} "
      "{\\object{\\*\\objdata 0102}{\\result shown}} \\bin4 {}\\ after}");
  EXPECT_EQ(content.text, "link text shown after");
}

TEST(RtfToText, KeepsEscapedBracesAndBackslash) {
  EXPECT_EQ(Read("{\\rtf1 a\\{b\\}c\\\\d\\~e\\-f\\_g}").text, "a{b}c\\d ef-g");
}

TEST(RtfToText, SurvivesDeepNestingAndTruncation) {
  std::string rtf = "{\\rtf1 start";
  for (int idx = 0; idx < 100000; ++idx) rtf += "{\\b x";
  const RtfContent content = Read(rtf);
  EXPECT_TRUE(content.text.starts_with("startx"));
  EXPECT_TRUE(IsValidUtf8(content.text));
  EXPECT_EQ(Read("{\\rtf1 cut\\'e").text, "cut");
  EXPECT_EQ(Read("{\\rtf1 cut\\u").text, "cut");
}

TEST(RtfToText, SurvivesManyCodepages) {
  std::string rtf = "{\\rtf1{\\fonttbl";
  for (int font = 0; font < 2000; ++font) {
    rtf += "{\\f" + std::to_string(font) + "\\cpg" + std::to_string(font * 37) + " F;}";
  }
  rtf += "}";
  for (int font = 0; font < 2000; ++font) rtf += "{\\f" + std::to_string(font) + " x\\'e9}";
  rtf += "}";
  const RtfContent content = Read(rtf);
  EXPECT_TRUE(IsValidUtf8(content.text));
  EXPECT_TRUE(content.text.starts_with("x"));
}

TEST(RtfToText, CutsTextAtLimit) {
  const RtfContent content = Read("{\\rtf1 " + std::string(1000, 'a') + "}", 100);
  EXPECT_EQ(content.text.size(), 100u);
  EXPECT_TRUE(content.is_truncated);
}

TEST(RtfToText, ReturnsCorruptWithoutHeader) {
  Result<RtfContent> content = RtfToText("plain text");
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), StatusCode::kCorrupt);
  EXPECT_FALSE(RtfToText("").ok());
}

}  // namespace
}  // namespace trove::extract::internal

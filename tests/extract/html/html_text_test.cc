#include "extract/html/html_text.h"

#include <string>

#include <gtest/gtest.h>

#include "core/text.h"

namespace trove::extract::internal {
namespace {

TEST(ParseHtml, DropsScriptStyleAndHead) {
  const HtmlContent content = ParseHtml(
      "<html><head><title> The  Title </title><style>body{color:red}</style>"
      "<script>var secret = 1;</script><meta name=\"Description\" content=\"A  page\">"
      "<meta name=author content=\"Ann Author\"></head>"
      "<body><noscript>enable js</noscript><p>Hello <b>bold</b> world</p>"
      "<template><p>hidden template</p></template><script>alert(1)</script></body></html>");
  EXPECT_EQ(content.text, "Hello bold world");
  EXPECT_EQ(content.title, "The Title");
  EXPECT_EQ(content.author, "Ann Author");
  ASSERT_EQ(content.metadata.size(), 1u);
  EXPECT_EQ(content.metadata[0].first, "description");
  EXPECT_EQ(content.metadata[0].second, "A page");
}

TEST(ParseHtml, BlocksMakeLinesAndWhitespaceCollapses) {
  const HtmlContent content = ParseHtml(
      "<h1>Heading</h1><p>first\n   paragraph</p><div>a div</div>line<br>break<br><br>gap"
      "<ul><li>one</li><li>two</li></ul>");
  EXPECT_EQ(content.text, "Heading\n\nfirst paragraph\n\na div\nline\nbreak\n\ngap\n\none\ntwo");
}

TEST(ParseHtml, SeparatesTableCellsWithTabs) {
  const HtmlContent content = ParseHtml(
      "<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>42</td></tr></table>");
  EXPECT_EQ(content.text, "Name\tAge\nAnn\t42");
}

TEST(ParseHtml, KeepsPreformattedWhitespace) {
  const HtmlContent content = ParseHtml("<p>x</p><pre>a  b\n  c</pre><p>y   z</p>");
  EXPECT_EQ(content.text, "x\n\na  b\n  c\n\ny z");
}

TEST(ParseHtml, DecodesEntitiesAndNoBreakSpaces) {
  const HtmlContent content = ParseHtml("<p>caf&eacute;&nbsp;&amp;&nbsp;&lt;tea&gt; &#x263A;</p>");
  EXPECT_EQ(content.text, "caf\xC3\xA9 & <tea> \xE2\x98\xBA");
}

TEST(ParseHtml, OutputsNoMarkupFromHostileInput) {
  const HtmlContent content = ParseHtml(
      "<p onclick=\"evil()\">text<img src=x onerror=alert(1)><iframe src=\"javascript:x\">"
      "inner</iframe><!-- comment --><svg><title>svg title</title><text>drawn</text></svg></p>");
  EXPECT_EQ(content.text, "textdrawn");
  EXPECT_EQ(content.title, "");
}

TEST(ParseHtml, SurvivesDeepNesting) {
  std::string html;
  for (int idx = 0; idx < 200000; ++idx) html += "<div>";
  html += "deep";
  const HtmlContent content = ParseHtml(html);
  EXPECT_EQ(content.text, "deep");
}

TEST(ParseHtml, StaysFastOnMisnestedFormatting) {
  // Without taming, gumbo needs minutes for this (the adoption agency rebuilds <i><u> each time).
  std::string html;
  for (int idx = 0; idx < 20000; ++idx) html += "<b><i><u>a</b>";
  const HtmlContent content = ParseHtml(html);
  EXPECT_EQ(content.text, std::string(20000, 'a'));
}

TEST(ParseHtml, StaysFastOnMisnestedFormattingInsideSvgStyle) {
  std::string html = "<svg><style>";
  for (int idx = 0; idx < 20000; ++idx) html += "<b><i><u>a</b>";
  const HtmlContent content = ParseHtml(html);
  EXPECT_TRUE(IsValidUtf8(content.text));
}

TEST(ParseHtml, KeepsWordsPastTheNestingLimit) {
  std::string html;
  for (int idx = 0; idx < 5000; ++idx) html += "<div><font>w" + std::to_string(idx) + "</td>";
  const HtmlContent content = ParseHtml(html);
  EXPECT_NE(content.text.find("w0"), std::string::npos);
  EXPECT_NE(content.text.find("w4999"), std::string::npos);
}

TEST(ParseHtml, IgnoresMarkupInsideScriptAndAttributes) {
  const HtmlContent content = ParseHtml(
      "<p title=\"a > b\" data-x='<p>'>one</p><script>document.write('<p>no</p>')</script>"
      "<style>p > a { }</style><p>two</p>");
  EXPECT_EQ(content.text, "one\n\ntwo");
}

TEST(ParseHtml, CutsTextAtLimit) {
  const HtmlContent content = ParseHtml("<p>" + std::string(500, 'a') + "</p>", 100);
  EXPECT_EQ(content.text.size(), 100u);
  EXPECT_TRUE(content.is_truncated);
}

TEST(ParseHtml, ReplacesInvalidUtf8) {
  const HtmlContent content = ParseHtml("<p>bad \xFF\xFE bytes</p>");
  EXPECT_TRUE(IsValidUtf8(content.text));
  EXPECT_NE(content.text.find("bytes"), std::string::npos);
}

TEST(HtmlToText, ReturnsText) { EXPECT_EQ(HtmlToText("<b>x</b> y"), "x y"); }

TEST(DeclaredHtmlCharset, FindsMetaCharset) {
  EXPECT_EQ(DeclaredHtmlCharset("<html><head><META CharSet=\"Windows-1251\">"), "windows-1251");
  EXPECT_EQ(DeclaredHtmlCharset("<meta http-equiv=\"Content-Type\" "
                                "content=\"text/html; charset=ISO-8859-2\">"),
            "iso-8859-2");
  EXPECT_EQ(DeclaredHtmlCharset("<?xml version=\"1.0\" encoding='koi8-r'?><html>"), "koi8-r");
  EXPECT_EQ(DeclaredHtmlCharset("<html><p>charset=utf-8</p>"), "");
  EXPECT_EQ(DeclaredHtmlCharset(""), "");
}

}  // namespace
}  // namespace trove::extract::internal

#include "extract/html/html_text.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include <gumbo.h>

#include "core/text.h"

namespace trove::extract::internal {
namespace {

// Titles and meta values longer than this are cut: they are shown in result lists.
constexpr std::size_t kMaxFieldBytes = 4096;
// Where a charset declaration may appear (the HTML standard's prescan looks at 1024 bytes;
// real pages put long comments first).
constexpr std::size_t kPrescanBytes = 4096;
// gumbo stops recording parse errors after this many; we never read them.
constexpr int kMaxParseErrors = 16;

// All of gumbo's memory comes from here and is released at once by the destructor. This replaces
// gumbo_destroy_output, which recurses once per nesting level and so could overflow the stack on
// a hostile document with a million nested elements. Blocks are kept on an intrusive list so
// that gumbo's own frees (buffer growth) still return memory early.
class GumboArena {
 public:
  GumboArena() = default;
  GumboArena(const GumboArena&) = delete;
  GumboArena& operator=(const GumboArena&) = delete;
  ~GumboArena() {
    while (head_ != nullptr) {
      Block* next = head_->next;
      std::free(head_);
      head_ = next;
    }
  }

  static void* Allocate(void* userdata, std::size_t size) {
    auto* arena = static_cast<GumboArena*>(userdata);
    auto* block = static_cast<Block*>(std::malloc(sizeof(Block) + size));
    if (block == nullptr) return nullptr;
    block->prev = nullptr;
    block->next = arena->head_;
    if (arena->head_ != nullptr) arena->head_->prev = block;
    arena->head_ = block;
    return block + 1;
  }

  static void Deallocate(void* userdata, void* ptr) {
    if (ptr == nullptr) return;
    auto* arena = static_cast<GumboArena*>(userdata);
    Block* block = static_cast<Block*>(ptr) - 1;
    if (block->prev != nullptr) block->prev->next = block->next;
    if (block->next != nullptr) block->next->prev = block->prev;
    if (arena->head_ == block) arena->head_ = block->next;
    std::free(block);
  }

 private:
  // Aligned like malloc's result, so that the memory after the header is too.
  struct alignas(alignof(std::max_align_t)) Block {
    Block* prev;
    Block* next;
  };
  Block* head_ = nullptr;
};

// gumbo's tree builder costs O(depth) per tag (scope checks walk the stack of open elements), so
// a hostile page of 20 000 nested or misnested tags ("<b><i><u>a</b>" repeated) takes minutes.
// gumbo also compares every attribute with the previous ones of its tag. Before gumbo sees a
// page, TameHtml rewrites it in one linear pass:
//  - formatting elements (b, i, font, a...) are dropped: they never change the text, and they
//    are what the adoption agency algorithm reconstructs into ever deeper stacks;
//  - attributes are dropped, except on <meta>, whose name and content we read;
//  - comments are dropped; raw-text elements (script, style, title, textarea...) are copied
//    unchanged up to their end tag, so that markup inside them is not mistaken for tags (except
//    inside SVG and MathML, where they are not raw text);
//  - an approximate stack of open elements is kept (an end tag closes up to its match, as in
//    HTML); past kMaxNesting open elements, every later tag becomes a space, so the rest of
//    the page still gives its words, without structure.
constexpr std::size_t kMaxNesting = 512;
constexpr std::size_t kMaxTagName = 32;
constexpr std::size_t kMaxMetaTagBytes = 4096;

bool IsAsciiAlpha(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }

bool IsSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f'; }

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (const std::string_view candidate : names) {
    if (name == candidate) return true;
  }
  return false;
}

// The HTML standard's "formatting" elements, plus inline elements of the same kind.
bool IsFormatting(std::string_view name) {
  return IsOneOf(name,
                 {"a",       "b",     "big",    "code",   "em",   "font", "i",     "nobr",
                  "s",       "small", "strike", "strong", "tt",   "u",    "span",  "abbr",
                  "acronym", "cite",  "dfn",    "kbd",    "mark", "q",    "samp",  "sub",
                  "sup",     "var",   "ins",    "del",    "bdi",  "bdo",  "blink", "marquee"});
}

bool IsVoid(std::string_view name) {
  return IsOneOf(name, {"area",     "base",    "br",    "col",    "embed",  "hr",     "img",
                        "input",    "link",    "meta",  "param",  "source", "track",  "wbr",
                        "basefont", "bgsound", "frame", "keygen", "image",  "isindex"});
}

// Elements whose end tag is optional and which close their predecessor instead of nesting;
// counting them would count every unclosed <p> of an old page.
bool IsSelfClosingByHabit(std::string_view name) {
  return IsOneOf(name, {"p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rp", "rtc",
                        "html", "head", "body"});
}

bool IsRawText(std::string_view name) {
  return IsOneOf(name,
                 {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"});
}

// Position of the '>' that ends the tag starting at `pos` (just after the name), honouring
// quoted attribute values; npos when the tag never ends.
std::size_t FindTagEnd(std::string_view html, std::size_t pos, bool* is_self_closing) {
  bool after_equals = false;
  *is_self_closing = false;
  while (pos < html.size()) {
    const char ch = html[pos];
    if (ch == '>') {
      *is_self_closing = pos > 0 && html[pos - 1] == '/';
      return pos;
    }
    if (after_equals && (ch == '"' || ch == '\'')) {
      const std::size_t close = html.find(ch, pos + 1);
      if (close == std::string_view::npos) return std::string_view::npos;
      pos = close + 1;
      after_equals = false;
      continue;
    }
    if (ch == '=') {
      after_equals = true;
    } else if (!IsSpace(ch)) {
      after_equals = false;
    }
    ++pos;
  }
  return std::string_view::npos;
}

// Start of "</name" (any case, followed by space, '/' or '>') at or after `pos`, or npos.
std::size_t FindEndTag(std::string_view html, std::size_t pos, std::string_view name) {
  while ((pos = html.find("</", pos)) != std::string_view::npos) {
    const std::size_t after = pos + 2 + name.size();
    if (after > html.size()) return std::string_view::npos;
    bool is_match = true;
    for (std::size_t idx = 0; idx < name.size(); ++idx) {
      const char ch = html[pos + 2 + idx];
      if (static_cast<char>(std::tolower(static_cast<unsigned char>(ch))) != name[idx]) {
        is_match = false;
        break;
      }
    }
    if (is_match && (after == html.size() || IsSpace(html[after]) || html[after] == '/' ||
                     html[after] == '>')) {
      return pos;
    }
    pos += 2;
  }
  return std::string_view::npos;
}

std::string TameHtml(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  std::vector<std::string> open;  // approximate stack of open elements
  std::map<std::string, std::size_t, std::less<>> open_counts;  // name -> times on `open`
  bool is_overflowing = false;
  std::size_t pos = 0;
  while (pos < html.size()) {
    const std::size_t lt = html.find('<', pos);
    if (lt == std::string_view::npos) {
      out.append(html.substr(pos));
      break;
    }
    out.append(html.substr(pos, lt - pos));
    pos = lt;
    const std::string_view rest = html.substr(pos);
    if (rest.starts_with("<!--")) {
      const std::size_t end = html.find("-->", pos + 4);
      pos = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    if (rest.starts_with("<![CDATA[")) {
      const std::size_t end = html.find("]]>", pos);
      const std::size_t stop = end == std::string_view::npos ? html.size() : end + 3;
      out.append(html.substr(pos, stop - pos));
      pos = stop;
      continue;
    }
    if (rest.starts_with("<!") || rest.starts_with("<?")) {
      const std::size_t end = html.find('>', pos);
      const std::size_t stop = end == std::string_view::npos ? html.size() : end + 1;
      out.append(html.substr(pos, stop - pos));
      pos = stop;
      continue;
    }
    const bool is_end = rest.starts_with("</");
    const std::size_t name_start = pos + (is_end ? 2 : 1);
    if (name_start >= html.size() || !IsAsciiAlpha(html[name_start])) {
      out += '<';  // a lone '<' is text
      ++pos;
      continue;
    }
    std::size_t name_end = name_start;
    while (name_end < html.size() && !IsSpace(html[name_end]) && html[name_end] != '/' &&
           html[name_end] != '>') {
      ++name_end;
    }
    std::string name(html.substr(name_start, std::min(name_end - name_start, kMaxTagName)));
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool is_self_closing = false;
    const std::size_t tag_end = FindTagEnd(html, name_end, &is_self_closing);
    if (tag_end == std::string_view::npos) break;  // a tag cut by the end of input: no text
    const std::string_view tag = html.substr(pos, tag_end + 1 - pos);
    pos = tag_end + 1;

    if (is_end) {
      if (IsFormatting(name)) continue;
      if (is_overflowing) {
        out += ' ';
        continue;
      }
      auto found = open_counts.find(name);
      if (found != open_counts.end() && found->second > 0) {
        while (!open.empty()) {
          const std::string top = std::move(open.back());
          open.pop_back();
          --open_counts[top];
          if (top == name) break;
        }
      }
      out += "</" + name + ">";
      continue;
    }
    if (IsFormatting(name)) continue;
    if (is_overflowing) {
      out += ' ';
      continue;
    }
    if (name == "meta" && tag.size() <= kMaxMetaTagBytes) {
      out.append(tag);
    } else {
      out += '<' + name + (is_self_closing ? "/>" : ">");
    }
    if (name == "plaintext") {
      out.append(html.substr(pos));  // everything after <plaintext> is text
      break;
    }
    // Inside SVG or MathML nothing is raw text: gumbo parses markup in an <svg><style>, so the
    // taming must go on there too.
    const auto is_open = [&open_counts](std::string_view element) {
      const auto found = open_counts.find(element);
      return found != open_counts.end() && found->second > 0;
    };
    if (IsRawText(name) && !is_open("svg") && !is_open("math")) {
      const std::size_t end = FindEndTag(html, pos, name);
      const std::size_t stop = end == std::string_view::npos ? html.size() : end;
      out.append(html.substr(pos, stop - pos));
      pos = stop;
      continue;
    }
    if (is_self_closing || IsVoid(name) || IsSelfClosingByHabit(name)) continue;
    ++open_counts[name];
    open.push_back(std::move(name));
    if (open.size() > kMaxNesting) is_overflowing = true;
  }
  return out;
}

// Separators between pieces of text, weakest first; the strongest one pending wins.
enum class Gap { kNone, kSpace, kTab, kLine, kParagraph };

// Builds the text: collapses whitespace, places separators, stops at the size limit.
class TextBuilder {
 public:
  explicit TextBuilder(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  void Request(Gap gap) { pending_ = std::max(pending_, gap); }

  // A <br>: a second one in a row makes an empty line.
  void LineBreak() { pending_ = pending_ >= Gap::kLine ? Gap::kParagraph : Gap::kLine; }

  void Append(std::string_view text, bool is_preformatted) {
    for (std::size_t idx = 0; idx < text.size() && !is_full(); ++idx) {
      const char ch = text[idx];
      if (is_preformatted) {
        if (ch == '\n') {
          Flush();
          out_ += '\n';
          continue;
        }
        if (ch == '\r') continue;
      } else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
        Request(Gap::kSpace);
        continue;
      }
      // U+00A0 (no-break space) is a space for search; in collapsed text, a collapsible one.
      if (ch == '\xC2' && idx + 1 < text.size() && text[idx + 1] == '\xA0') {
        ++idx;
        if (is_preformatted) {
          Flush();
          out_ += ' ';
        } else {
          Request(Gap::kSpace);
        }
        continue;
      }
      Flush();
      out_ += ch;
    }
  }

  bool is_full() const { return out_.size() >= max_bytes_; }

  // The text, sanitised and cut at the limit; `is_truncated` says whether it was cut.
  std::string Finish(bool* is_truncated) {
    std::string text = SanitizeUtf8(out_);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t')) {
      text.pop_back();
    }
    *is_truncated = is_full();
    if (TruncateUtf8(&text, max_bytes_)) *is_truncated = true;
    return text;
  }

 private:
  void Flush() {
    if (!out_.empty()) {
      switch (pending_) {
        case Gap::kNone:
          break;
        case Gap::kSpace:
          out_ += ' ';
          break;
        case Gap::kTab:
          out_ += '\t';
          break;
        case Gap::kLine:
          out_ += '\n';
          break;
        case Gap::kParagraph:
          out_ += "\n\n";
          break;
      }
    }
    pending_ = Gap::kNone;
  }

  std::size_t max_bytes_;
  std::string out_;
  Gap pending_ = Gap::kNone;
};

enum class Role { kInline, kSkip, kLine, kParagraph, kCell, kBreak, kPreformatted };

// The separator around a block element, before and after it; kNone for the rest.
Gap BlockGap(Role role) {
  switch (role) {
    case Role::kLine:
      return Gap::kLine;
    case Role::kParagraph:
    case Role::kPreformatted:
      return Gap::kParagraph;
    default:
      return Gap::kNone;
  }
}

Role RoleOf(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_TITLE:  // read separately; a title in the body is not body text
      return Role::kSkip;
    case GUMBO_TAG_BR:
      return Role::kBreak;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_XMP:
      return Role::kPreformatted;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      return Role::kCell;
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FIGURE:
      return Role::kParagraph;
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_HGROUP:
      return Role::kLine;
    default:
      return Role::kInline;
  }
}

// Collapses whitespace, trims, sanitises and bounds a title or meta value.
std::string CleanField(std::string_view raw) {
  TextBuilder builder(kMaxFieldBytes);
  builder.Append(raw, /*is_preformatted=*/false);
  bool is_truncated = false;
  return builder.Finish(&is_truncated);
}

// The text of an element's descendants (title), walked without recursion.
std::string DescendantText(const GumboNode* node) {
  std::string text;
  std::vector<const GumboNode*> stack = {node};
  while (!stack.empty() && text.size() < kMaxFieldBytes) {
    const GumboNode* current = stack.back();
    stack.pop_back();
    if (current->type == GUMBO_NODE_TEXT || current->type == GUMBO_NODE_WHITESPACE ||
        current->type == GUMBO_NODE_CDATA) {
      text += current->v.text.text;
    } else if (current->type == GUMBO_NODE_ELEMENT) {
      const GumboVector& children = current->v.element.children;
      for (unsigned int idx = children.length; idx > 0; --idx) {
        stack.push_back(static_cast<const GumboNode*>(children.data[idx - 1]));
      }
    }
  }
  return text;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

void ReadMeta(const GumboElement& element, HtmlContent* content) {
  const GumboAttribute* name = gumbo_get_attribute(&element.attributes, "name");
  const GumboAttribute* value = gumbo_get_attribute(&element.attributes, "content");
  if (name == nullptr || value == nullptr) return;
  const std::string key = LowerAscii(name->value);
  if (key == "title") {
    // Only a fallback: <title> wins (see ParseHtml).
    if (content->title.empty()) content->title = CleanField(value->value);
    return;
  }
  if (key == "author") {
    if (content->author.empty()) content->author = CleanField(value->value);
    return;
  }
  if (key != "description" && key != "keywords" && key != "generator") return;
  for (const auto& [existing, unused] : content->metadata) {
    if (existing == key) return;
  }
  std::string cleaned = CleanField(value->value);
  if (!cleaned.empty()) content->metadata.emplace_back(key, std::move(cleaned));
}

// One step of the depth-first walk: a node and, once entered, what to do when leaving it.
struct Frame {
  const GumboNode* node;
  unsigned int next_child = 0;
  bool is_entered = false;
  Role role = Role::kInline;
};

void Walk(const GumboNode* root, TextBuilder* builder, HtmlContent* content) {
  std::vector<Frame> stack;
  stack.push_back(Frame{root});
  int preformatted_depth = 0;
  bool has_title = false;
  while (!stack.empty() && !builder->is_full()) {
    Frame& frame = stack.back();
    const GumboNode* node = frame.node;
    if (!frame.is_entered) {
      frame.is_entered = true;
      switch (node->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
          builder->Append(node->v.text.text, preformatted_depth > 0);
          stack.pop_back();
          continue;
        case GUMBO_NODE_COMMENT:
          stack.pop_back();
          continue;
        case GUMBO_NODE_DOCUMENT:
          break;
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE: {
          const GumboElement& element = node->v.element;
          const bool is_html = element.tag_namespace == GUMBO_NAMESPACE_HTML;
          if (is_html && element.tag == GUMBO_TAG_TITLE && !has_title) {
            has_title = true;
            if (std::string title = CleanField(DescendantText(node)); !title.empty()) {
              content->title = std::move(title);
            }
          }
          if (is_html && element.tag == GUMBO_TAG_META) ReadMeta(element, content);
          frame.role = node->type == GUMBO_NODE_TEMPLATE ? Role::kSkip : RoleOf(element.tag);
          // SVG and MathML <title>/<style>/<script> are skipped too, but a foreign <a> or <p>
          // does not start an HTML block.
          if (!is_html && frame.role != Role::kSkip) frame.role = Role::kInline;
          switch (frame.role) {
            case Role::kSkip:
              if (element.tag == GUMBO_TAG_HEAD) {
                // The head holds the metadata: visit it for title and meta, emit nothing.
                for (unsigned int idx = 0; idx < element.children.length; ++idx) {
                  const auto* child = static_cast<const GumboNode*>(element.children.data[idx]);
                  if (child->type != GUMBO_NODE_ELEMENT) continue;
                  if (child->v.element.tag == GUMBO_TAG_TITLE && !has_title) {
                    has_title = true;
                    if (std::string title = CleanField(DescendantText(child)); !title.empty()) {
                      content->title = std::move(title);
                    }
                  } else if (child->v.element.tag == GUMBO_TAG_META) {
                    ReadMeta(child->v.element, content);
                  }
                }
              }
              stack.pop_back();
              continue;
            case Role::kBreak:
              builder->LineBreak();
              stack.pop_back();
              continue;
            case Role::kCell:
              builder->Request(Gap::kTab);
              break;
            case Role::kLine:
            case Role::kParagraph:
            case Role::kPreformatted:
              builder->Request(BlockGap(frame.role));
              if (frame.role == Role::kPreformatted) ++preformatted_depth;
              break;
            case Role::kInline:
              break;
          }
          break;
        }
      }
    }
    const GumboVector& children =
        node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
    if (frame.next_child < children.length) {
      const auto* child = static_cast<const GumboNode*>(children.data[frame.next_child++]);
      stack.push_back(Frame{child});  // invalidates `frame`
      continue;
    }
    // A block ends as it began: with its gap.
    builder->Request(BlockGap(frame.role));
    if (frame.role == Role::kPreformatted) --preformatted_depth;
    stack.pop_back();
  }
}

bool IsCharsetChar(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.' ||
         ch == ':' || ch == '+';
}

// The token after `key`, optional spaces, '=' and an optional quote, in `s` from `pos`.
std::string ValueAfter(std::string_view s, std::size_t pos, std::string_view key) {
  pos += key.size();
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n')) ++pos;
  if (pos >= s.size() || s[pos] != '=') return {};
  ++pos;
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '"' || s[pos] == '\'')) ++pos;
  const std::size_t start = pos;
  while (pos < s.size() && IsCharsetChar(s[pos]) && pos - start < 64) ++pos;
  return std::string(s.substr(start, pos - start));
}

}  // namespace

HtmlContent ParseHtml(std::string_view utf8_html, std::size_t max_text_bytes) {
  HtmlContent content;
  GumboArena arena;
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &GumboArena::Allocate;
  options.deallocator = &GumboArena::Deallocate;
  options.userdata = &arena;
  options.max_errors = kMaxParseErrors;
  // gumbo reads a length-bounded buffer; interior NULs are fine.
  const std::string tamed = TameHtml(utf8_html);
  GumboOutput* output = gumbo_parse_with_options(&options, tamed.data(), tamed.size());
  if (output == nullptr || output->document == nullptr) return content;
  TextBuilder builder(max_text_bytes);
  Walk(output->document, &builder, &content);
  content.text = builder.Finish(&content.is_truncated);
  // No gumbo_destroy_output: `arena` frees everything (see GumboArena).
  return content;
}

std::string HtmlToText(std::string_view utf8_html, std::size_t max_text_bytes) {
  return ParseHtml(utf8_html, max_text_bytes).text;
}

std::string DeclaredHtmlCharset(std::string_view html_bytes) {
  const std::string head = LowerAscii(html_bytes.substr(0, kPrescanBytes));
  if (head.starts_with("<?xml")) {
    const std::size_t end = head.find("?>");
    const std::size_t encoding = head.find("encoding");
    if (encoding != std::string::npos && encoding < end) {
      std::string value = ValueAfter(head, encoding, "encoding");
      if (!value.empty()) return value;
    }
  }
  std::size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const std::size_t end = head.find('>', pos);
    const std::string_view tag = std::string_view(head).substr(
        pos, end == std::string::npos ? std::string::npos : end - pos);
    const std::size_t charset = tag.find("charset");
    if (charset != std::string_view::npos) {
      std::string value = ValueAfter(tag, charset, "charset");
      if (!value.empty()) return value;
    }
    if (end == std::string::npos) break;
    pos = end;
  }
  return {};
}

}  // namespace trove::extract::internal

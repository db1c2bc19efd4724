// MHTML (multipart/related, RFC 2557): a web page saved with its resources as one MIME message.
// GMime parses the MIME structure; the page's HTML (the first text/html part) becomes the text
// through the HTML reader. Page resources (images, style sheets, scripts) are not documents and
// are skipped; any other part (a PDF the page embedded) becomes a child.
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/text.h"
#include "extract/email/gmime_support.h"
#include "extract/extractor.h"
#include "extract/html/html_text.h"
#include "extract/internal/builtin.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

constexpr int kMaxMimeDepth = 64;

bool IsPageResource(std::string_view media_type) {
  return media_type.starts_with("image/") || media_type == "text/css" ||
         media_type == "text/javascript" || media_type == "application/javascript" ||
         media_type == "application/x-javascript" || media_type.starts_with("font/") ||
         media_type == "application/font-woff" || media_type == "application/vnd.ms-fontobject";
}

class MhtmlWalker {
 public:
  MhtmlWalker(const Input& input, ChildSink& sink) : input_(input), sink_(sink) {}

  Status Walk(GMimeObject* object, int depth) {
    if (object == nullptr || depth > kMaxMimeDepth) return Status::Ok();
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      const int count = g_mime_multipart_get_count(multipart);
      for (int idx = 0; idx < count; ++idx) {
        TROVE_RETURN_IF_ERROR(Walk(g_mime_multipart_get_part(multipart, idx), depth + 1));
      }
      return Status::Ok();
    }
    if (!GMIME_IS_PART(object)) return Status::Ok();
    GMimePart* part = GMIME_PART(object);
    const std::string media_type = MimeTypeOf(object);
    if (media_type == "text/html" && !has_page_) {
      Result<std::string> bytes = DecodedContent(part, input_.bytes.size());
      if (!bytes.ok()) return Status::Ok();
      std::string charset = FromC(g_mime_object_get_content_type_parameter(object, "charset"));
      if (charset.empty()) charset = DeclaredHtmlCharset(*bytes);
      page_ = ParseHtml(DecodeToUtf8OrDetect(*bytes, charset).text, input_.limits.max_text_bytes);
      has_page_ = true;
      return Status::Ok();
    }
    if (IsPageResource(media_type) || media_type.starts_with("text/")) return Status::Ok();
    std::string name = SanitizeUtf8(FromC(g_mime_part_get_filename(part)));
    if (name.empty()) {
      const std::string location =
          SanitizeUtf8(FromC(g_mime_object_get_header(object, "Content-Location")));
      const std::size_t slash = location.find_last_of('/');
      name = slash == std::string::npos ? location : location.substr(slash + 1);
    }
    const std::size_t slash = name.find_last_of("/\\");
    if (slash != std::string::npos) name.erase(0, slash + 1);
    if (name.empty() || name == "." || name == "..")
      name = "resource-" + std::to_string(++generated_);
    TruncateUtf8(&name, 255);
    Result<std::string> bytes = DecodedContent(part, input_.limits.max_child_bytes);
    if (!bytes.ok()) {
      sink_.OnChildFailed(name, bytes.status());
      return Status::Ok();
    }
    return sink_.OnChild(ChildFile{name, std::move(bytes).value(), media_type, std::nullopt});
  }

  bool has_page() const { return has_page_; }
  HtmlContent& page() { return page_; }

 private:
  const Input& input_;
  ChildSink& sink_;
  bool has_page_ = false;
  HtmlContent page_;
  int generated_ = 0;
};

class MhtmlExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "mhtml"; }

  bool Accepts(std::string_view media_type) const override {
    const std::string type = BareMediaType(media_type);
    return type == "multipart/related" || type == "application/x-mimearchive";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    TROVE_ASSIGN_OR_RETURN(std::unique_ptr<BorrowedStream> stream,
                           BorrowedStream::Create(input.bytes));
    ParserOptionsPtr options = NewParserOptions();
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream->get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
    if (!message) {
      return Status::Corrupt("MHTML " + std::string(input.name) +
                             " has no MIME header block at the start");
    }
    MhtmlWalker walker(input, children);
    TROVE_RETURN_IF_ERROR(walker.Walk(g_mime_message_get_mime_part(message.get()), 0));
    if (!walker.has_page()) {
      return Status::Corrupt("MHTML " + std::string(input.name) + " holds no HTML page");
    }
    Extraction extraction;
    HtmlContent& page = walker.page();
    extraction.text = std::move(page.text);
    extraction.is_truncated = page.is_truncated;
    extraction.title = std::move(page.title);
    if (extraction.title.empty()) {
      extraction.title = SanitizeUtf8(FromC(g_mime_message_get_subject(message.get())));
    }
    extraction.author = std::move(page.author);
    extraction.metadata = std::move(page.metadata);
    if (GDateTime* date = g_mime_message_get_date(message.get())) {
      extraction.date = g_date_time_to_unix(date);
    }
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewMhtmlExtractor() { return std::make_unique<MhtmlExtractor>(); }

}  // namespace trove::extract::internal

// message/rfc822 (.eml) with GMime: headers into the Extraction, the text body as text, and
// every other part (attachments, inline images, attached messages, signatures) as a child file.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"
#include "extract/email/gmime_support.h"
#include "extract/extractor.h"
#include "extract/html/html_text.h"
#include "extract/internal/builtin.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

// GMime itself stops nesting at its MAX_LEVEL; this bounds our own walk independently of it.
constexpr int kMaxMimeDepth = 64;
// Address groups cannot nest (RFC 5322), but a hostile header may try.
constexpr int kMaxGroupDepth = 4;
// Child file names are cut to this many bytes.
constexpr std::size_t kMaxNameBytes = 255;

// Extensions for generated attachment names, so that the name hints at the type.
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kExtensions = {{
    {"application/pdf", ".pdf"},
    {"application/zip", ".zip"},
    {"application/msword", ".doc"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
    {"application/vnd.ms-excel", ".xls"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
    {"application/vnd.ms-powerpoint", ".ppt"},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"},
    {"application/rtf", ".rtf"},
    {"application/pgp-signature", ".asc"},
    {"application/pkcs7-signature", ".p7s"},
    {"application/pkcs7-mime", ".p7m"},
    {"application/ms-tnef", ".dat"},
    {"message/rfc822", ".eml"},
    {"message/delivery-status", ".txt"},
    {"text/plain", ".txt"},
    {"text/html", ".html"},
    {"text/calendar", ".ics"},
    {"text/rtf", ".rtf"},
    {"image/jpeg", ".jpg"},
    {"image/png", ".png"},
    {"image/gif", ".gif"},
    {"image/tiff", ".tif"},
    {"image/bmp", ".bmp"},
}};

std::string_view ExtensionFor(std::string_view media_type) {
  for (const auto& [type, extension] : kExtensions) {
    if (type == media_type) return extension;
  }
  return ".bin";
}

// Header text on one line, valid UTF-8.
std::string CleanHeader(const char* value) {
  std::string out = SanitizeUtf8(FromC(value));
  for (char& ch : out) {
    if (ch == '\r' || ch == '\n' || ch == '\t' || ch == '\f') ch = ' ';
  }
  const std::size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return {};
  return out.substr(begin, out.find_last_not_of(' ') - begin + 1);
}

// An attachment's own name, made safe as the last element of a path chain: no directories
// ("../../etc/passwd" -> "passwd"), valid UTF-8, bounded.
std::string SafeFileName(const char* raw) {
  std::string name = CleanHeader(raw);
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name.erase(0, slash + 1);
  if (name == "." || name == "..") name.clear();
  TruncateUtf8(&name, kMaxNameBytes);
  return name;
}

void AppendAddresses(InternetAddressList* list, int depth, std::vector<std::string>* out) {
  if (list == nullptr || depth > kMaxGroupDepth) return;
  const int count = internet_address_list_length(list);
  for (int idx = 0; idx < count; ++idx) {
    InternetAddress* address = internet_address_list_get_address(list, idx);
    if (INTERNET_ADDRESS_IS_GROUP(address)) {
      InternetAddressList* members =
          internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address));
      if (members == nullptr || internet_address_list_length(members) == 0) {
        // An empty group names recipients without an address ("undisclosed-recipients:;", or
        // an Outlook recipient known only by name, see outlook/mapi_message.cc): keep the name.
        std::string name = CleanHeader(internet_address_get_name(address));
        if (!name.empty()) out->push_back(std::move(name));
        continue;
      }
      AppendAddresses(members, depth + 1, out);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    const std::string name = CleanHeader(internet_address_get_name(address));
    const std::string addr =
        CleanHeader(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)));
    if (addr.empty()) {
      if (!name.empty()) out->push_back(name);
    } else if (name.empty() || name == addr) {
      out->push_back(addr);
    } else {
      out->push_back(name + " <" + addr + ">");
    }
  }
}

std::string DecodeMessageId(const char* header) {
  if (header == nullptr) return {};
  char* id = g_mime_utils_decode_message_id(header);
  std::string out = CleanHeader(id);
  g_free(id);
  return out;
}

void ReadHeaders(GMimeMessage* message, GMimeParserOptions* options, Extraction* extraction) {
  GMimeObject* object = GMIME_OBJECT(message);
  extraction->title = CleanHeader(g_mime_message_get_subject(message));
  AppendAddresses(g_mime_message_get_from(message), 0, &extraction->from);
  AppendAddresses(g_mime_message_get_to(message), 0, &extraction->to);
  AppendAddresses(g_mime_message_get_cc(message), 0, &extraction->cc);
  AppendAddresses(g_mime_message_get_bcc(message), 0, &extraction->bcc);
  if (GDateTime* date = g_mime_message_get_date(message)) {
    extraction->date = g_date_time_to_unix(date);
  }
  extraction->message_id = CleanHeader(g_mime_message_get_message_id(message));
  extraction->in_reply_to = DecodeMessageId(g_mime_object_get_header(object, "In-Reply-To"));
  if (const char* references = g_mime_object_get_header(object, "References")) {
    GMimeReferences* parsed = g_mime_references_parse(options, references);
    if (parsed != nullptr) {
      const int count = g_mime_references_length(parsed);
      for (int idx = 0; idx < count; ++idx) {
        std::string id = CleanHeader(g_mime_references_get_message_id(parsed, idx));
        if (!id.empty()) extraction->references.push_back(std::move(id));
      }
      g_mime_references_free(parsed);
    }
  }
  for (const char* header : {"User-Agent", "X-Mailer"}) {
    std::string value = CleanHeader(g_mime_object_get_header(object, header));
    if (!value.empty()) {
      extraction->metadata.emplace_back("mailer", std::move(value));
      break;
    }
  }
}

// Walks the MIME tree: text bodies are collected, everything else goes to the sink.
class PartWalker {
 public:
  PartWalker(const Input& input, ChildSink& sink) : input_(input), sink_(sink) {}

  Status Walk(GMimeObject* object, int depth) {
    if (object == nullptr) return Status::Ok();
    if (GMIME_IS_MULTIPART(object)) {
      if (depth >= kMaxMimeDepth) {
        sink_.OnChildFailed(NextGeneratedName("multipart/mixed"),
                            Status::LimitExceeded("MIME parts nested deeper than " +
                                                  std::to_string(kMaxMimeDepth) + " levels"));
        return Status::Ok();
      }
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      const int count = g_mime_multipart_get_count(multipart);
      for (int idx = 0; idx < count; ++idx) {
        TROVE_RETURN_IF_ERROR(Walk(g_mime_multipart_get_part(multipart, idx), depth + 1));
      }
      return Status::Ok();
    }
    if (GMIME_IS_MESSAGE_PART(object)) return EmitMessage(object);
    if (GMIME_IS_PART(object)) return VisitLeaf(GMIME_PART(object));
    return Status::Ok();
  }

  // The plain-text bodies if there are any, else the text of the HTML bodies, separated by
  // blank lines.
  std::string BodyText(bool* is_truncated) const {
    const std::size_t max_text = input_.limits.max_text_bytes;
    const bool is_plain = !plain_bodies_.empty();
    std::string text;
    for (const std::string& body : is_plain ? plain_bodies_ : html_bodies_) {
      std::string part = is_plain ? body : HtmlToText(body, max_text);
      const std::size_t end = part.find_last_not_of(" \t\r\n");
      part.resize(end == std::string::npos ? 0 : end + 1);
      if (part.empty()) continue;
      if (!text.empty()) text += "\n\n";
      text += part;
      if (text.size() >= max_text) break;
    }
    *is_truncated = truncated_body_ || TruncateUtf8(&text, max_text);
    return text;
  }

 private:
  std::string NextGeneratedName(std::string_view media_type) {
    return "attachment-" + std::to_string(++generated_names_) +
           std::string(ExtensionFor(media_type));
  }

  // A leaf is a body when it is text/plain or text/html, not marked as an attachment and
  // without a file name; a named or attached text file is a child like any other.
  Status VisitLeaf(GMimePart* part) {
    GMimeObject* object = GMIME_OBJECT(part);
    const std::string media_type = MimeTypeOf(object);
    const char* file_name = g_mime_part_get_filename(part);
    const std::string disposition = CleanHeader(g_mime_object_get_disposition(object));
    const bool is_text_body = (media_type == "text/plain" || media_type == "text/html") &&
                              file_name == nullptr &&
                              g_ascii_strcasecmp(disposition.c_str(), "attachment") != 0;
    if (!is_text_body) {
      const std::string name = ChildName(object, media_type);
      Result<std::string> bytes = DecodedContent(part, input_.limits.max_child_bytes);
      if (!bytes.ok()) {
        sink_.OnChildFailed(name, bytes.status());
        return Status::Ok();
      }
      return sink_.OnChild(ChildFile{name, std::move(bytes).value(), media_type, std::nullopt});
    }
    // A body is bounded by the input, which is already in memory.
    Result<std::string> bytes = DecodedContent(part, input_.bytes.size());
    if (!bytes.ok()) return Status::Ok();
    const char* charset = g_mime_object_get_content_type_parameter(object, "charset");
    if (media_type == "text/plain") {
      DecodedText decoded =
          DecodeToUtf8OrDetect(*bytes, FromC(charset), input_.limits.max_text_bytes);
      truncated_body_ = truncated_body_ || decoded.is_truncated;
      plain_bodies_.push_back(NormalizeNewlines(decoded.text));
    } else {
      std::string declared = FromC(charset);
      if (declared.empty()) declared = DeclaredHtmlCharset(*bytes);
      html_bodies_.push_back(DecodeToUtf8OrDetect(*bytes, declared).text);
    }
    return Status::Ok();
  }

  // GMime keeps no offsets for parts, so an attached message is written back from its parse;
  // GMime writes the headers and content as they were read.
  Status EmitMessage(GMimeObject* object) {
    const std::string name = ChildName(object, "message/rfc822");
    GMimeMessage* message = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (message == nullptr) {
      sink_.OnChildFailed(name, Status::Corrupt("attached message " + name + " is empty"));
      return Status::Ok();
    }
    Result<std::string> bytes =
        SerializeObject(GMIME_OBJECT(message), input_.bytes.size(), input_.limits.max_child_bytes);
    if (!bytes.ok()) {
      sink_.OnChildFailed(name, bytes.status());
      return Status::Ok();
    }
    return sink_.OnChild(ChildFile{name, std::move(bytes).value(), "message/rfc822", std::nullopt});
  }

  // The part's own file name (GMime undoes RFC 2231 and RFC 2047 encoding), else a generated
  // "attachment-N.ext".
  std::string ChildName(GMimeObject* object, std::string_view media_type) {
    const char* file_name =
        GMIME_IS_PART(object) ? g_mime_part_get_filename(GMIME_PART(object)) : nullptr;
    if (file_name == nullptr) {
      file_name = g_mime_object_get_content_disposition_parameter(object, "filename");
    }
    if (file_name == nullptr) file_name = g_mime_object_get_content_type_parameter(object, "name");
    std::string name = SafeFileName(file_name);
    return name.empty() ? NextGeneratedName(media_type) : name;
  }

  const Input& input_;
  ChildSink& sink_;
  int generated_names_ = 0;
  bool truncated_body_ = false;
  std::vector<std::string> plain_bodies_;
  std::vector<std::string> html_bodies_;
};

class EmailExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "email"; }

  bool Accepts(std::string_view media_type) const override {
    return BareMediaType(media_type) == "message/rfc822";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    // A message saved from a mailbox may keep its "From sender date" line: GMime skips it.
    TROVE_ASSIGN_OR_RETURN(std::unique_ptr<BorrowedStream> stream,
                           BorrowedStream::Create(input.bytes));
    ParserOptionsPtr options = NewParserOptions();
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream->get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
    if (!message) {
      return Status::Corrupt("not an e-mail message: no RFC 822 header block at the start");
    }
    Extraction extraction;
    ReadHeaders(message.get(), options.get(), &extraction);
    PartWalker walker(input, children);
    TROVE_RETURN_IF_ERROR(walker.Walk(g_mime_message_get_mime_part(message.get()), 0));
    extraction.text = walker.BodyText(&extraction.is_truncated);
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewEmailExtractor() { return std::make_unique<EmailExtractor>(); }

}  // namespace trove::extract::internal

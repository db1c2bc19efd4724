// application/mbox: GMime's mbox parser walks the "From " separated messages; each one goes to
// the sink as a message/rfc822 child, as raw bytes sliced from the input (not re-encoded; mboxrd
// ">From " quoting is left as it is). The mailbox itself has no text.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/text.h"
#include "extract/email/gmime_support.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

constexpr std::size_t kMaxNameBytes = 255;

// The message between its headers' start and the next "From " line, without the blank line
// that mbox writers put before a separator.
std::string_view MessageBytes(std::string_view mbox, gint64 begin, gint64 end) {
  if (begin < 0 || end < begin || static_cast<std::uint64_t>(end) > mbox.size()) return {};
  std::string_view message =
      mbox.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
  if (message.ends_with("\r\n\r\n")) {
    message.remove_suffix(2);
  } else if (message.ends_with("\n\n")) {
    message.remove_suffix(1);
  }
  return message;
}

std::string ChildName(GMimeMessage* message, int index) {
  std::string id = SanitizeUtf8(FromC(g_mime_message_get_message_id(message)));
  if (id.empty() || id.find_first_of("\r\n") != std::string::npos) {
    return "message-" + std::to_string(index);
  }
  TruncateUtf8(&id, kMaxNameBytes);
  return "<" + id + ">";
}

class MboxExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "mbox"; }

  bool Accepts(std::string_view media_type) const override {
    const std::string type = BareMediaType(media_type);
    return type == "application/mbox" || type == "application/x-mbox";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    TROVE_ASSIGN_OR_RETURN(std::unique_ptr<BorrowedStream> stream,
                           BorrowedStream::Create(input.bytes));
    ParserOptionsPtr options = NewParserOptions();
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream->get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MBOX);
    // Content-Length headers lie in hostile (and in many honest) mailboxes; "From " lines rule.
    g_mime_parser_set_respect_content_length(parser.get(), FALSE);

    int index = 0;
    while (!g_mime_parser_eos(parser.get())) {
      const gint64 start = g_mime_parser_tell(parser.get());
      GObjectPtr<GMimeMessage> message(
          g_mime_parser_construct_message(parser.get(), options.get()));
      ++index;
      if (!message) {
        if (index == 1) {
          return Status::Corrupt("not an mbox: no \"From \" line at the start");
        }
        // GMime cannot resynchronise after a failure; what follows is lost.
        children.OnChildFailed("message-" + std::to_string(index),
                               Status::Corrupt("unreadable mbox message at byte " +
                                               std::to_string(start) + "; the rest is skipped"));
        break;
      }
      const gint64 begin = g_mime_parser_get_headers_begin(parser.get());
      const gint64 end = g_mime_parser_tell(parser.get());
      const std::string name = ChildName(message.get(), index);
      const std::string_view bytes = MessageBytes(input.bytes, begin, end);
      // A message without headers is still worth reading (its body is text); one without
      // anything at all is not a message.
      if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        children.OnChildFailed(
            name, Status::Corrupt("mbox message " + std::to_string(index) + " at byte " +
                                  std::to_string(start) + " is empty"));
        continue;
      }
      if (bytes.size() > input.limits.max_child_bytes) {
        children.OnChildFailed(
            name,
            Status::LimitExceeded("mbox message " + std::to_string(index) + " of " +
                                  std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                                  std::to_string(input.limits.max_child_bytes)));
        continue;
      }
      TROVE_RETURN_IF_ERROR(
          children.OnChild(ChildFile{name, std::string(bytes), "message/rfc822", std::nullopt}));
    }

    Extraction extraction;
    extraction.metadata.emplace_back("messages", std::to_string(index));
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewMboxExtractor() { return std::make_unique<MboxExtractor>(); }

}  // namespace trove::extract::internal

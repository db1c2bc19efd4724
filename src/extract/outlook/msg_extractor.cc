// Outlook .msg files (application/vnd.ms-outlook): an OLE2 compound file holding the MAPI
// properties of one message (MS-OXMSG). No Debian library reads .msg (libpff reads only PST/OST,
// libytnef only TNEF), so we read the property streams ourselves on top of libgsf's OLE2 reader
// (ole/ole_file.h), build an RFC 822 message (mapi_message.h) and hand it to the e-mail
// extractor, so that a .msg and the same message in a PST or an .eml come out alike.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/ole/ole_file.h"
#include "extract/outlook/mapi_message.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

constexpr std::string_view kPropertiesStream = "__properties_version1.0";
constexpr std::string_view kRecipientPrefix = "__recip_version1.0_#";
constexpr std::string_view kAttachmentPrefix = "__attach_version1.0_#";
constexpr std::string_view kEmbeddedMessage = "__substg1.0_3701000D";
// Attached messages inside attached messages: real mail nests a few levels; a hostile file may
// nest thousands.
constexpr int kMaxNesting = 8;
// MAPI property types in stream names.
constexpr std::uint16_t kTypeUnicode = 0x001F;
constexpr std::uint16_t kTypeString8 = 0x001E;
constexpr std::uint16_t kTypeBinary = 0x0102;
// Attachment methods (PR_ATTACH_METHOD).
constexpr std::uint64_t kAttachEmbeddedMessage = 5;
constexpr std::uint64_t kAttachOle = 6;

std::string Hex4(std::uint16_t value) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out(4, '0');
  for (int idx = 3; idx >= 0; --idx) {
    out[static_cast<std::size_t>(idx)] = kDigits[value & 0xF];
    value = static_cast<std::uint16_t>(value >> 4);
  }
  return out;
}

// The ICU name of a Windows code page, for 8-bit string properties.
std::string CodePageCharset(std::uint64_t code_page) {
  if (code_page == 65001) return "utf-8";
  if (code_page == 20127) return "us-ascii";
  if (code_page >= 28591 && code_page <= 28599)
    return "iso-8859-" + std::to_string(code_page - 28590);
  if (code_page == 932) return "shift_jis";
  if (code_page == 936) return "gbk";
  if (code_page == 949) return "euc-kr";
  if (code_page == 950) return "big5";
  if (code_page == 0) return "windows-1252";
  return "windows-" + std::to_string(code_page);
}

// The properties of one object (the message, a recipient, an attachment, an attached
// message) stored under `path` in the compound file.
class MsgProperties final : public MapiProperties {
 public:
  // `header_bytes`: the fixed-property stream starts with 32 bytes for the top message, 24 for
  // an attached message, 8 for recipients and attachments (MS-OXMSG 2.4).
  MsgProperties(const OleFile& file, std::vector<std::string> path, std::size_t header_bytes,
                std::uint64_t max_bytes, std::string charset)
      : file_(file), path_(std::move(path)), max_bytes_(max_bytes), charset_(std::move(charset)) {
    Result<std::string> fixed = file_.Read(Child(std::string(kPropertiesStream)), 1 << 20);
    if (fixed.ok() && fixed->size() >= header_bytes) fixed_ = fixed->substr(header_bytes);
  }

  void set_charset(std::string charset) { charset_ = std::move(charset); }

  std::string String(std::uint16_t id) const override {
    Result<std::string> unicode = file_.Read(Child(StreamName(id, kTypeUnicode)), max_bytes_);
    if (unicode.ok()) return Utf16LeToUtf8(*unicode);
    Result<std::string> narrow = file_.Read(Child(StreamName(id, kTypeString8)), max_bytes_);
    if (!narrow.ok()) return {};
    std::string bytes = std::move(narrow).value();
    const std::size_t nul = bytes.find('\0');
    if (nul != std::string::npos) bytes.resize(nul);
    return DecodeToUtf8OrDetect(bytes, charset_).text;
  }

  std::string Binary(std::uint16_t id) const override {
    Result<std::string> bytes = file_.Read(Child(StreamName(id, kTypeBinary)), max_bytes_);
    return bytes.ok() ? std::move(bytes).value() : std::string();
  }

  std::optional<std::uint64_t> Integer(std::uint16_t id) const override {
    constexpr std::size_t kEntryBytes = 16;
    for (std::size_t pos = 0; pos + kEntryBytes <= fixed_.size(); pos += kEntryBytes) {
      const std::uint32_t tag = ReadLe32(fixed_, pos);
      if ((tag >> 16) != id) continue;
      const std::uint16_t type = static_cast<std::uint16_t>(tag & 0xFFFF);
      if (type == 0x0003 || type == 0x0002 || type == 0x000B) return ReadLe32(fixed_, pos + 8);
      return ReadLe64(fixed_, pos + 8);  // PT_SYSTIME, PT_I8
    }
    return std::nullopt;
  }

  std::vector<std::string> Child(const std::string& name) const {
    std::vector<std::string> path = path_;
    path.push_back(name);
    return path;
  }
  const std::vector<std::string>& path() const { return path_; }

 private:
  static std::string StreamName(std::uint16_t id, std::uint16_t type) {
    return "__substg1.0_" + Hex4(id) + Hex4(type);
  }

  const OleFile& file_;
  std::vector<std::string> path_;
  std::uint64_t max_bytes_;
  std::string charset_;
  std::string fixed_;
};

struct Failure {
  std::string name;
  Status why;
};

class MsgReader {
 public:
  MsgReader(const OleFile& file, std::uint64_t max_bytes) : file_(file), max_bytes_(max_bytes) {}

  // Reads the message stored under `path`.
  MapiMessage Read(const std::vector<std::string>& path, bool is_embedded, int depth) {
    MsgProperties properties(file_, path, is_embedded ? 24 : 32, max_bytes_, "windows-1252");
    std::optional<std::uint64_t> code_page = properties.Integer(mapi::kInternetCodepage);
    if (!code_page) code_page = properties.Integer(mapi::kMessageCodepage);
    const std::string charset = CodePageCharset(code_page.value_or(0));
    properties.set_charset(charset);

    MapiMessage message;
    ReadMessageHeaders(properties, &message);
    message.body_text = properties.String(mapi::kBody);
    message.body_html = ReadHtmlBody(properties);
    if (message.body_text.empty() && message.body_html.empty()) {
      const std::string compressed = properties.Binary(mapi::kRtfCompressed);
      if (!compressed.empty()) {
        Result<std::string> rtf = DecompressRtf(compressed, max_bytes_);
        if (rtf.ok()) message.body_rtf = std::move(rtf).value();
      }
    }
    std::vector<std::string> entries = file_.List(path);
    std::sort(entries.begin(), entries.end());
    std::uint64_t attached_bytes = 0;
    int attachment_idx = 0;
    for (const std::string& entry : entries) {
      std::vector<std::string> child = properties.Child(entry);
      if (entry.rfind(kRecipientPrefix, 0) == 0) {
        MsgProperties recipient(file_, child, 8, max_bytes_, charset);
        message.recipients.push_back(ReadRecipient(recipient));
        continue;
      }
      if (entry.rfind(kAttachmentPrefix, 0) != 0) continue;
      ++attachment_idx;
      MsgProperties attachment(file_, child, 8, max_bytes_, charset);
      MapiAttachment out;
      out.name = attachment.String(mapi::kAttachLongFilename);
      if (out.name.empty()) out.name = attachment.String(mapi::kAttachFilename);
      if (out.name.empty()) out.name = attachment.String(mapi::kDisplayName);
      out.media_type = attachment.String(mapi::kAttachMimeTag);
      const std::uint64_t method = attachment.Integer(mapi::kAttachMethod).value_or(1);
      if (method == kAttachEmbeddedMessage ||
          file_.Has(attachment.Child(std::string(kEmbeddedMessage)))) {
        if (method == kAttachOle) {
          failures_.push_back({NameOr(out.name, attachment_idx, ".bin"),
                               Status::Unsupported("embedded OLE object not extracted")});
          continue;
        }
        if (depth + 1 >= kMaxNesting) {
          failures_.push_back({NameOr(out.name, attachment_idx, ".eml"),
                               Status::LimitExceeded("attached messages nested deeper than " +
                                                     std::to_string(kMaxNesting) + " levels")});
          continue;
        }
        MapiMessage inner = Read(attachment.Child(std::string(kEmbeddedMessage)), true, depth + 1);
        if (out.name.empty()) out.name = inner.subject.empty() ? "" : inner.subject + ".eml";
        out.bytes = ComposeRfc822(inner);
      } else {
        out.bytes = attachment.Binary(mapi::kAttachDataObject);
      }
      out.name = NameOr(out.name, attachment_idx, ".bin");
      attached_bytes += out.bytes.size();
      if (out.bytes.size() > max_bytes_ || attached_bytes > max_bytes_) {
        failures_.push_back({out.name, Status::LimitExceeded("attachment " + out.name +
                                                             " is over the size limit")});
        continue;
      }
      message.attachments.push_back(std::move(out));
    }
    return message;
  }

  std::vector<Failure>& failures() { return failures_; }

 private:
  static std::string NameOr(const std::string& name, int idx, std::string_view extension) {
    if (!name.empty()) return name;
    return "attachment-" + std::to_string(idx) + std::string(extension);
  }

  const OleFile& file_;
  std::uint64_t max_bytes_;
  std::vector<Failure> failures_;
};

class MsgExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "msg"; }

  bool Accepts(std::string_view media_type) const override {
    return BareMediaType(media_type) == "application/vnd.ms-outlook";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    Result<std::unique_ptr<OleFile>> file = OleFile::Open(input.bytes);
    if (!file.ok()) return file.status();
    if (!(*file)->Has({std::string(kPropertiesStream)})) {
      return Status::Unsupported("not an Outlook message: the compound file has no " +
                                 std::string(kPropertiesStream) + " stream");
    }
    MsgReader reader(**file, input.limits.max_child_bytes);
    const MapiMessage message = reader.Read({}, false, 0);
    for (Failure& failure : reader.failures()) {
      children.OnChildFailed(std::move(failure.name), std::move(failure.why));
    }
    const std::string rfc822 = ComposeRfc822(message);
    Input composed = input;
    composed.bytes = rfc822;
    composed.media_type = "message/rfc822";
    static const std::unique_ptr<Extractor> email = NewEmailExtractor();
    Result<Extraction> extraction = email->Extract(composed, children);
    if (!extraction.ok()) return extraction;
    if (!message.message_class.empty()) {
      extraction->metadata.emplace_back("message class", message.message_class);
    }
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewMsgExtractor() { return std::make_unique<MsgExtractor>(); }

}  // namespace trove::extract::internal

#include "extract/outlook/mapi_message.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <set>

#include <glib.h>

#include "core/text.h"
#include "extract/ole/ole_file.h"
#include "extract/rtf/rtf_reader.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

// A header value longer than this is cut (a hostile store can hold megabytes in a subject).
constexpr std::size_t kMaxHeaderBytes = 16 << 10;
// Boundaries cannot occur in base64 text, which has no '_' and no "--".
constexpr std::string_view kBoundary = "=_trove_mapi_part";
constexpr std::size_t kBase64LineChars = 76;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One line of valid UTF-8, bounded. GMime reads undeclared 8-bit header text as UTF-8, so
// non-ASCII text needs no RFC 2047 encoding.
std::string HeaderValue(std::string_view raw) {
  std::string value = SanitizeUtf8(raw);
  for (char& ch : value) {
    if (ch == '\r' || ch == '\n' || ch == '\t' || ch == '\f') ch = ' ';
  }
  TruncateUtf8(&value, kMaxHeaderBytes);
  const std::size_t begin = value.find_first_not_of(' ');
  if (begin == std::string::npos) return {};
  return value.substr(begin, value.find_last_not_of(' ') - begin + 1);
}

// A display name as an RFC 5322 quoted string.
std::string Quoted(std::string_view name) {
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  out += '"';
  return out;
}

// "Name" <addr>. Exchange-internal addresses ("/O=ORG/OU=...") are not mail addresses, so a
// recipient without an SMTP address is written as an empty group named after them
// ("Name":;), the RFC 5322 form for recipients without an address; the e-mail extractor keeps
// such a group's name.
std::string Mailbox(std::string_view raw_name, std::string_view raw_address) {
  const std::string name = HeaderValue(raw_name);
  const std::string address = HeaderValue(raw_address);
  const bool is_smtp = address.find('@') != std::string::npos &&
                       address.find_first_of(" <>\",;") == std::string::npos;
  if (is_smtp)
    return name.empty() || name == address ? address : Quoted(name) + " <" + address + ">";
  if (!name.empty()) return Quoted(name) + ":;";
  if (!address.empty()) return Quoted(address) + ":;";
  return {};
}

std::string FormatDate(std::int64_t seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&time, &tm) == nullptr) return {};
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%s, %02d %s %04d %02d:%02d:%02d +0000",
                kDays[static_cast<std::size_t>(tm.tm_wday) % 7], tm.tm_mday,
                kMonths[static_cast<std::size_t>(tm.tm_mon) % 12], tm.tm_year + 1900, tm.tm_hour,
                tm.tm_min, tm.tm_sec);
  return buffer;
}

void AppendBase64(std::string_view bytes, std::string* out) {
  gchar* encoded = g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
  const std::string_view text(encoded);
  for (std::size_t pos = 0; pos < text.size(); pos += kBase64LineChars) {
    out->append(text.substr(pos, kBase64LineChars));
    out->append("\r\n");
  }
  g_free(encoded);
}

// The stored Internet headers without their MIME fields (we write our own structure), as
// CRLF lines; also collects the lower-cased names present.
std::string FilterTransportHeaders(std::string_view headers, std::set<std::string>* names) {
  std::string out;
  bool is_dropping = false;
  bool is_first = true;
  std::size_t pos = 0;
  while (pos < headers.size()) {
    std::size_t eol = headers.find('\n', pos);
    if (eol == std::string_view::npos) eol = headers.size();
    std::string_view line = headers.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (is_first) continue;  // some stores start with a blank line
      break;                   // the end of the header block
    }
    is_first = false;
    if (line[0] == ' ' || line[0] == '\t') {
      if (!is_dropping) {
        out += std::string(line);
        out += "\r\n";
      }
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      is_dropping = true;  // not a header: a damaged block
      continue;
    }
    const std::string name = Lower(line.substr(0, colon));
    is_dropping = name.rfind("content-", 0) == 0 || name == "mime-version";
    if (is_dropping) continue;
    names->insert(name);
    out += std::string(line);
    out += "\r\n";
  }
  // Stray CRs inside a line would end it for some parsers.
  std::string cleaned;
  cleaned.reserve(out.size());
  for (std::size_t idx = 0; idx < out.size(); ++idx) {
    if (out[idx] == '\r' && (idx + 1 >= out.size() || out[idx + 1] != '\n')) continue;
    if (out[idx] == '\0') continue;
    cleaned += out[idx];
  }
  return cleaned;
}

std::string SafeParameter(std::string_view raw) {
  std::string value = HeaderValue(raw);
  std::string out;
  for (char ch : value) {
    if (ch == '"' || ch == '\\') continue;
    out += ch;
  }
  return out;
}

std::string SafeMediaType(std::string_view raw) {
  const std::string type = BareMediaType(raw);
  const bool is_plausible = !type.empty() && type.size() < 100 &&
                            type.find('/') != std::string::npos &&
                            std::all_of(type.begin(), type.end(), [](char c) {
                              return std::isalnum(static_cast<unsigned char>(c)) || c == '/' ||
                                     c == '.' || c == '-' || c == '+';
                            });
  // Attached messages are written base64 and are typed by their content later: a
  // message/rfc822 part may not be base64 (RFC 2046), and GMime would not decode it.
  if (!is_plausible || type == "message/rfc822" || type.rfind("multipart/", 0) == 0) {
    return "application/octet-stream";
  }
  return type;
}

}  // namespace

std::string ComposeRfc822(const MapiMessage& message) {
  std::string out;
  std::set<std::string> present;
  if (!message.transport_headers.empty()) {
    out = FilterTransportHeaders(message.transport_headers, &present);
  }
  const auto add = [&out, &present](std::string_view name, const std::string& value) {
    if (value.empty() || present.count(Lower(name)) != 0) return;
    out += std::string(name) + ": " + value + "\r\n";
  };
  add("From", Mailbox(message.sender_name, message.sender_address));
  std::array<std::string, 4> lists;  // by recipient kind
  for (const MapiRecipient& recipient : message.recipients) {
    if (recipient.kind < mapi::kRecipientTo || recipient.kind > mapi::kRecipientBcc) continue;
    const std::string mailbox = Mailbox(recipient.name, recipient.address);
    if (mailbox.empty()) continue;
    std::string& list = lists[recipient.kind];
    if (!list.empty()) list += ", ";
    list += mailbox;
  }
  const auto from_display = [](std::string_view display) {
    std::string list;
    std::size_t pos = 0;
    while (pos <= display.size()) {
      std::size_t end = display.find(';', pos);
      if (end == std::string_view::npos) end = display.size();
      const std::string mailbox = Mailbox(display.substr(pos, end - pos), "");
      if (!mailbox.empty()) list += (list.empty() ? "" : ", ") + mailbox;
      pos = end + 1;
    }
    return list;
  };
  if (message.recipients.empty()) {
    lists[mapi::kRecipientTo] = from_display(message.display_to);
    lists[mapi::kRecipientCc] = from_display(message.display_cc);
    lists[mapi::kRecipientBcc] = from_display(message.display_bcc);
  }
  add("To", lists[mapi::kRecipientTo]);
  add("Cc", lists[mapi::kRecipientCc]);
  add("Bcc", lists[mapi::kRecipientBcc]);
  add("Subject", HeaderValue(message.subject));
  if (message.date) add("Date", FormatDate(*message.date));
  add("Message-ID", HeaderValue(message.message_id));
  add("In-Reply-To", HeaderValue(message.in_reply_to));
  add("References", HeaderValue(message.references));
  add("X-MS-Message-Class", HeaderValue(message.message_class));
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/mixed; boundary=\"" + std::string(kBoundary) + "\"\r\n\r\n";

  std::string body_type;
  std::string_view body;
  std::string rtf_text;
  if (!message.body_text.empty()) {
    body_type = "text/plain; charset=utf-8";
    body = message.body_text;
  } else if (!message.body_html.empty()) {
    body_type = "text/html";
    body = message.body_html;
  } else if (!message.body_rtf.empty()) {
    rtf_text = RtfBodyText(message.body_rtf, kNoTextLimit);
    body_type = "text/plain; charset=utf-8";
    body = rtf_text;
  }
  if (!body.empty()) {
    out += "--" + std::string(kBoundary) + "\r\n";
    out += "Content-Type: " + body_type + "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    AppendBase64(body, &out);
  }
  for (const MapiAttachment& attachment : message.attachments) {
    std::string name = SafeParameter(attachment.name);
    out += "--" + std::string(kBoundary) + "\r\n";
    out += "Content-Type: " + SafeMediaType(attachment.media_type) + "\r\n";
    out += "Content-Disposition: attachment";
    if (!name.empty()) out += "; filename=\"" + name + "\"";
    out += "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    AppendBase64(attachment.bytes, &out);
  }
  out += "--" + std::string(kBoundary) + "--\r\n";
  return out;
}

void ReadMessageHeaders(const MapiProperties& properties, MapiMessage* message) {
  message->message_class = properties.String(mapi::kMessageClass);
  message->subject = properties.String(mapi::kSubject);
  message->sender_name = properties.String(mapi::kSenderName);
  message->sender_address = properties.String(mapi::kSenderSmtpAddress);
  if (message->sender_address.empty())
    message->sender_address = properties.String(mapi::kSenderEmail);
  if (message->sender_name.empty() && message->sender_address.empty()) {
    message->sender_name = properties.String(mapi::kSentRepresentingName);
    message->sender_address = properties.String(mapi::kSentRepresentingEmail);
  }
  message->display_to = properties.String(mapi::kDisplayTo);
  message->display_cc = properties.String(mapi::kDisplayCc);
  message->display_bcc = properties.String(mapi::kDisplayBcc);
  std::optional<std::uint64_t> time = properties.Integer(mapi::kClientSubmitTime);
  if (!time) time = properties.Integer(mapi::kDeliveryTime);
  if (time) message->date = FileTimeToUnix(*time);
  message->message_id = properties.String(mapi::kInternetMessageId);
  message->in_reply_to = properties.String(mapi::kInReplyTo);
  message->references = properties.String(mapi::kInternetReferences);
  message->transport_headers = properties.String(mapi::kTransportHeaders);
}

MapiRecipient ReadRecipient(const MapiProperties& properties) {
  MapiRecipient recipient;
  if (std::optional<std::uint64_t> kind = properties.Integer(mapi::kRecipientType)) {
    // The high bits carry flags (MAPI_P1, "resend"); the kind is in the low byte.
    recipient.kind = static_cast<std::uint32_t>(*kind & 0xFF);
  }
  recipient.name = properties.String(mapi::kDisplayName);
  recipient.address = properties.String(mapi::kSmtpAddress);
  if (recipient.address.empty()) recipient.address = properties.String(mapi::kEmailAddress);
  return recipient;
}

std::string ReadHtmlBody(const MapiProperties& properties) {
  std::string html = properties.Binary(mapi::kHtml);
  if (html.empty()) html = properties.String(mapi::kHtml);
  return html;
}

Result<std::string> DecompressRtf(std::string_view compressed, std::size_t max_bytes) {
  constexpr std::size_t kHeaderBytes = 16;
  constexpr std::uint32_t kCompressed = 0x75465A4C;    // "LZFu"
  constexpr std::uint32_t kUncompressed = 0x414C454D;  // "MELA"
  constexpr std::size_t kDictionaryBytes = 4096;
  static constexpr std::string_view kPrefill =
      "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
      "\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
      "\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
  if (compressed.size() < kHeaderBytes) return Status::Corrupt("compressed RTF body is truncated");
  const std::uint32_t raw_size = ReadLe32(compressed, 4);
  const std::uint32_t type = ReadLe32(compressed, 8);
  const std::size_t limit = std::min<std::size_t>(raw_size, max_bytes);
  std::string_view data = compressed.substr(kHeaderBytes);
  if (type == kUncompressed) return std::string(data.substr(0, limit));
  if (type != kCompressed) return Status::Corrupt("compressed RTF body has an unknown type");

  std::array<char, kDictionaryBytes> dictionary{};
  std::copy(kPrefill.begin(), kPrefill.end(), dictionary.begin());
  std::size_t write = kPrefill.size();
  std::string out;
  out.reserve(std::min<std::size_t>(limit, data.size() * 8));
  std::size_t pos = 0;
  while (pos < data.size() && out.size() < limit) {
    const auto control = static_cast<unsigned char>(data[pos++]);
    for (int bit = 0; bit < 8 && pos < data.size() && out.size() < limit; ++bit) {
      if ((control & (1u << bit)) == 0) {
        const char ch = data[pos++];
        out += ch;
        dictionary[write++ % kDictionaryBytes] = ch;
        continue;
      }
      if (pos + 1 >= data.size()) return out;
      const unsigned reference =
          (static_cast<unsigned char>(data[pos]) << 8) | static_cast<unsigned char>(data[pos + 1]);
      pos += 2;
      const std::size_t offset = reference >> 4;
      const std::size_t length = (reference & 0xF) + 2;
      if (offset == write % kDictionaryBytes) return out;  // the end marker
      for (std::size_t idx = 0; idx < length && out.size() < limit; ++idx) {
        const char ch = dictionary[(offset + idx) % kDictionaryBytes];
        out += ch;
        dictionary[write++ % kDictionaryBytes] = ch;
      }
    }
  }
  return out;
}

std::string RtfBodyText(std::string_view rtf, std::size_t max_bytes) {
  Result<RtfContent> content = RtfToText(rtf, max_bytes);
  if (!content.ok()) return {};
  return content->text;
}

}  // namespace trove::extract::internal

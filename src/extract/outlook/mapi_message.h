// An Outlook (MAPI) message as read from a .msg file or a PST, and its conversion to an RFC 822
// message, so that both go through the e-mail extractor (GMime) and come out alike: same
// headers, same body choice, attachments as children.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace trove::extract::internal {

// MAPI property ids (MS-OXPROPS) read from messages, recipients and attachments.
namespace mapi {
inline constexpr std::uint16_t kMessageClass = 0x001A;
inline constexpr std::uint16_t kSubject = 0x0037;
inline constexpr std::uint16_t kClientSubmitTime = 0x0039;
inline constexpr std::uint16_t kSentRepresentingName = 0x0042;
inline constexpr std::uint16_t kSentRepresentingEmail = 0x0065;
inline constexpr std::uint16_t kTransportHeaders = 0x007D;
inline constexpr std::uint16_t kSenderName = 0x0C1A;
inline constexpr std::uint16_t kSenderEmail = 0x0C1F;
inline constexpr std::uint16_t kRecipientType = 0x0C15;
inline constexpr std::uint16_t kDisplayBcc = 0x0E02;
inline constexpr std::uint16_t kDisplayCc = 0x0E03;
inline constexpr std::uint16_t kDisplayTo = 0x0E04;
inline constexpr std::uint16_t kDeliveryTime = 0x0E06;
inline constexpr std::uint16_t kBody = 0x1000;
inline constexpr std::uint16_t kRtfCompressed = 0x1009;
inline constexpr std::uint16_t kHtml = 0x1013;
inline constexpr std::uint16_t kInternetMessageId = 0x1035;
inline constexpr std::uint16_t kInternetReferences = 0x1039;
inline constexpr std::uint16_t kInReplyTo = 0x1042;
inline constexpr std::uint16_t kDisplayName = 0x3001;
inline constexpr std::uint16_t kEmailAddress = 0x3003;
inline constexpr std::uint16_t kAttachDataObject = 0x3701;
inline constexpr std::uint16_t kAttachFilename = 0x3704;
inline constexpr std::uint16_t kAttachMethod = 0x3705;
inline constexpr std::uint16_t kAttachLongFilename = 0x3707;
inline constexpr std::uint16_t kAttachMimeTag = 0x370E;
inline constexpr std::uint16_t kSmtpAddress = 0x39FE;
inline constexpr std::uint16_t kSenderSmtpAddress = 0x5D01;
inline constexpr std::uint16_t kInternetCodepage = 0x3FDE;
inline constexpr std::uint16_t kMessageCodepage = 0x3FFD;

inline constexpr std::uint32_t kRecipientTo = 1;
inline constexpr std::uint32_t kRecipientCc = 2;
inline constexpr std::uint32_t kRecipientBcc = 3;
}  // namespace mapi

struct MapiRecipient {
  std::uint32_t kind = mapi::kRecipientTo;
  std::string name;     // display name
  std::string address;  // SMTP address when known, else whatever the store kept
};

struct MapiAttachment {
  std::string name;        // file name, or a generated one
  std::string media_type;  // the attachment's MIME tag, or empty
  std::string bytes;       // content; an attached message is already RFC 822
};

struct MapiMessage {
  std::string message_class;  // "IPM.Note", "IPM.Appointment"...
  std::string subject;
  std::string sender_name, sender_address;
  std::vector<MapiRecipient> recipients;
  // Display lists ("A; B") used when the recipient table is missing.
  std::string display_to, display_cc, display_bcc;
  std::optional<std::int64_t> date;  // submit time, else delivery time
  std::string message_id, in_reply_to, references;
  std::string transport_headers;  // the Internet headers of a received message
  std::string body_text;          // UTF-8
  std::string body_html;          // bytes; the charset is declared inside or detected later
  std::string body_rtf;           // decompressed RTF
  std::vector<MapiAttachment> attachments;
};

// Read access to the properties of one MAPI object (message, recipient, attachment), as a .msg
// file or a PST stores them.
class MapiProperties {
 public:
  virtual ~MapiProperties() = default;
  // A string property as UTF-8 (8-bit strings decoded from the message's code page); empty when
  // absent.
  virtual std::string String(std::uint16_t id) const = 0;
  // A binary property; empty when absent.
  virtual std::string Binary(std::uint16_t id) const = 0;
  // An integer or time property (a time as a FILETIME); nullopt when absent.
  virtual std::optional<std::uint64_t> Integer(std::uint16_t id) const = 0;
};

// Fills the header fields of `message` (class, subject, sender, display lists, date, ids,
// transport headers) from its properties. Bodies and attachments are the caller's.
void ReadMessageHeaders(const MapiProperties& properties, MapiMessage* message);

// One recipient from its properties.
MapiRecipient ReadRecipient(const MapiProperties& properties);

// The HTML body (PR_HTML is binary in most stores, a string in some).
std::string ReadHtmlBody(const MapiProperties& properties);

// Writes `message` as an RFC 822 message: the original Internet headers when the store kept
// them (minus their MIME structure), else headers built from the MAPI properties; one body
// (plain text, else HTML, else the RTF body as text) and every attachment, all base64, so no
// content can collide with the boundaries. Deterministic: the same message gives the same bytes
// (a document's id is the hash of its bytes).
std::string ComposeRfc822(const MapiMessage& message);

// Undoes the compressed-RTF encoding of PR_RTF_COMPRESSED (MS-OXRTFCP: "LZFu" compressed or
// "MELA" stored). Corrupt when the header is damaged; output is capped at `max_bytes` and at
// the size the header declares.
Result<std::string> DecompressRtf(std::string_view compressed, std::size_t max_bytes);

// The text of an RTF body (the RTF reader's text), empty when it is not RTF.
std::string RtfBodyText(std::string_view rtf, std::size_t max_bytes);

}  // namespace trove::extract::internal

// E-mail threads: Jamie Zawinski's threading algorithm (https://www.jwz.org/doc/threading.html)
// over a set of messages, with a subject and quoted-text fallback for messages that lost their
// In-Reply-To and References, and which messages are inclusive (reading them is enough).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trove::analyze {

struct ThreadInput {
  std::string id;          // the document id
  std::string message_id;  // may be empty
  std::string in_reply_to;
  std::vector<std::string> references;  // oldest first, as in the header
  std::string subject;
  std::optional<std::int64_t> date;
  std::string text;                      // the body, for quoted-text links and inclusiveness
  std::vector<std::string> attachments;  // ids of its attachments
};

struct ThreadNode {
  int input = -1;          // index into the inputs; -1 for a message the collection lacks
  std::string message_id;  // of a missing message: the id that replies name
  int parent = -1;         // index into the nodes; -1 for a root
  int depth = 0;
  // The message holds something no reply in its thread quotes: its own text or an attachment.
  // Reading the inclusive messages of a thread is reading all of it.
  bool inclusive = true;
};

// Messages whose subjects match join only when within this many seconds of each other.
inline constexpr std::int64_t kSubjectJoinWindow = 60 * 86400;

// The thread tree of `messages`, depth first, siblings by date (undated last): links from
// References and In-Reply-To (the last one named is the parent; loops are broken); a missing
// message that two or more answer is kept as a node of its own, one answered once is left out;
// then a root that carries a reply prefix joins the earlier root with its normalised subject
// (core/email.h) within kSubjectJoinWindow, under the message of that thread whose own text it
// quotes, else under the latest earlier message with that subject.
std::vector<ThreadNode> BuildThread(const std::vector<ThreadInput>& messages);

// The words of what the message itself says, folded and joined by spaces: lines quoted with
// '>' and everything after a reply or forward header ("-----Original Message-----", "On ...
// wrote:", "Le ... a écrit :", an Outlook "From:" block) are left out.
std::string OwnText(std::string_view body);

}  // namespace trove::analyze

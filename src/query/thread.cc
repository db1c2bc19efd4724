#include "query/thread.h"

#include "analyze/threads.h"

namespace trove::query {

Result<Thread> LoadThread(index::Reader& reader, const std::string& id) {
  Thread thread;
  TROVE_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                         reader.ThreadMembers(id, kMaxThreadMessages, &thread.truncated));
  std::vector<analyze::ThreadInput> inputs;
  std::vector<std::string> senders;
  inputs.reserve(ids.size());
  for (const std::string& member : ids) {
    TROVE_ASSIGN_OR_RETURN(index::StoredDocument doc, reader.Get(member));
    const Extraction& ex = doc.record.extraction;
    analyze::ThreadInput input;
    input.id = member;
    input.message_id = ex.message_id;
    input.in_reply_to = ex.in_reply_to;
    input.references = ex.references;
    input.subject = ex.title;
    input.date = ex.date;
    input.text = ex.text;
    if (ids.size() > 1) {
      TROVE_ASSIGN_OR_RETURN(input.attachments, reader.Children(member));
    }
    senders.push_back(ex.from.empty() ? std::string() : ex.from.front());
    inputs.push_back(std::move(input));
  }
  for (const analyze::ThreadNode& node : analyze::BuildThread(inputs)) {
    ThreadMessage message;
    message.message_id = node.message_id;
    message.depth = node.depth;
    message.parent = node.parent;
    message.inclusive = node.inclusive;
    if (node.input != -1) {
      const analyze::ThreadInput& input = inputs[node.input];
      message.id = input.id;
      message.subject = input.subject;
      message.from = senders[node.input];
      message.date = input.date;
    }
    thread.messages.push_back(std::move(message));
  }
  return thread;
}

}  // namespace trove::query

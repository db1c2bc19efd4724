// An e-mail thread as people read it: the messages linked to a document (index::Reader::
// ThreadMembers) put in a tree by analyze::BuildThread, each with what a listing shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "index/index.h"

namespace trove::query {

struct ThreadMessage {
  std::string id;          // empty for a message the collection lacks (others answer it)
  std::string message_id;  // as in its header (for a missing one: as the replies name it)
  std::string subject, from;
  std::optional<std::int64_t> date;
  int depth = 0;          // 0 for a root
  int parent = -1;        // index in Thread::messages
  bool inclusive = true;  // see analyze::ThreadNode::inclusive
};

struct Thread {
  std::vector<ThreadMessage> messages;  // depth first, replies by date
  bool truncated = false;               // the thread had more messages than were read
};

// The messages a thread view reads at most.
inline constexpr std::size_t kMaxThreadMessages = 2000;

// The thread of document `id`; one message (itself) when it is not an e-mail or has no thread.
// NotFound when there is no document `id`.
Result<Thread> LoadThread(index::Reader& reader, const std::string& id);

}  // namespace trove::query

// One shard's writes: the logic of Writer on one Xapian database. Not thread-safe; the
// threaded Writer (writer.cc) gives each shard to one thread at a time.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "core/status.h"
#include "index/index.h"

namespace trove::index::internal {

class ShardWriter {
 public:
  explicit ShardWriter(Xapian::WritableDatabase db) : db_(std::move(db)) {}

  // As Writer::Add, Writer::AddOccurrence, Writer::Contains, Writer::FirstPath.
  Status Add(const PreparedDocument& prepared);
  Status AddOccurrence(const std::string& id, const Occurrence& occurrence);
  Result<bool> Contains(const std::string& id);
  Result<std::string> FirstPath(const std::string& id);
  // As Writer::RemoveSource; appends the ids of deleted documents to `deleted_ids`.
  Status RemoveSource(const std::string& source_key, std::vector<std::string>* deleted_ids);
  Status Commit();

 private:
  Xapian::WritableDatabase db_;
};

}  // namespace trove::index::internal

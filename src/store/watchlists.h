// Watch lists kept in a collection (`trove watch add|list|remove`): the names `trove xref`
// looks for. They live in the store's database (DIR/trove.sqlite), tables watch_lists and
// watch_entries; format: docs/formats/store.md (version 4).
//
// One WatchLists per thread, like Store.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/watch_entry.h"

namespace trove::store {

struct WatchListInfo {
  std::string name;        // what the user calls it; unique in the collection
  std::string source;      // the file it was read from
  std::string format;      // "csv" or "ftm"
  std::int64_t added = 0;  // Unix seconds
  std::uint64_t entries = 0;
};

class WatchLists {
 public:
  // Opens the watch lists of the store at `path`, creating or migrating the store as needed.
  static Result<std::unique_ptr<WatchLists>> Open(const std::string& path);
  virtual ~WatchLists() = default;

  // Stores a list and its entries in one transaction, replacing a list of the same name.
  // info.entries is set from `entries`; info.added is set to now when 0.
  virtual Status Put(WatchListInfo info, const std::vector<WatchEntry>& entries) = 0;
  // Every list, by name.
  virtual Result<std::vector<WatchListInfo>> List() = 0;
  // The entries of list `name` in file order; NotFound when there is no such list.
  virtual Result<std::vector<WatchEntry>> Entries(const std::string& name) = 0;
  // NotFound when there is no such list.
  virtual Status Remove(const std::string& name) = 0;
};

}  // namespace trove::store

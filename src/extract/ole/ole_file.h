// OleFile: read-only access to an OLE2 compound file ("structured storage": .doc, .xls, .ppt,
// .msg) held in memory, and its summary-information metadata.
//
// Wraps libgsf so that no GLib or libgsf type leaves src/extract/ole/. Stream reads are bounded:
// a stream larger than the caller's limit is refused with LimitExceeded naming it. libgsf checks
// the sector chains against the file size, so a hostile directory cannot make it read outside
// the input. Not thread-safe; the bytes passed to Open must outlive the object.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace trove::extract::internal {

// The summary-information property sets (\005SummaryInformation and
// \005DocumentSummaryInformation) that every Office 97-2003 file carries.
struct OleSummary {
  std::string title;
  std::string author;
  std::optional<std::int64_t> created;   // seconds since the epoch
  std::optional<std::int64_t> modified;  // last saved
  // "subject", "keywords", "last saved by", "company", "application" when present.
  std::vector<std::pair<std::string, std::string>> metadata;
};

class OleFile {
 public:
  // Opens `bytes` as a compound file. Corrupt("not an OLE2 compound file: ...") when it is not
  // one or its header and directory are damaged.
  static Result<std::unique_ptr<OleFile>> Open(std::string_view bytes);
  ~OleFile();
  OleFile(const OleFile&) = delete;
  OleFile& operator=(const OleFile&) = delete;

  // The names of the entries (streams and storages) inside the storage at `path` (empty: the
  // root), in directory order. Empty when `path` is not a storage.
  std::vector<std::string> List(const std::vector<std::string>& path) const;
  // True when a stream or storage exists at `path`.
  bool Has(const std::vector<std::string>& path) const;
  // True when `path` names a storage (the root included).
  bool IsStorage(const std::vector<std::string>& path) const;
  // The content of the stream at `path`. NotFound when absent or a storage; LimitExceeded when
  // it is larger than `max_bytes`; Corrupt when its sectors cannot be read.
  Result<std::string> Read(const std::vector<std::string>& path, std::uint64_t max_bytes) const;
  // The summary information; empty fields when the property sets are absent or unreadable.
  OleSummary Summary() const;
  // The storage at `path` written out as a compound file of its own (its streams, storages and
  // class id), so that an embedded document stored inside another (Word's ObjectPool, Excel's
  // MBD storages) can be read like a file. NotFound when `path` is not a storage; LimitExceeded
  // when its streams together exceed `max_bytes` or it nests deeper than 32 storages; Corrupt
  // when a stream cannot be read.
  Result<std::string> CopyStorage(const std::vector<std::string>& path,
                                  std::uint64_t max_bytes) const;

 private:
  struct Impl;
  explicit OleFile(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Seconds since the epoch for a Windows FILETIME (100 ns ticks since 1601), or nullopt for zero
// and values outside 1900..2200 (Office writes zero and garbage for "unset").
std::optional<std::int64_t> FileTimeToUnix(std::uint64_t filetime);

// Little-endian integers from a byte buffer; the caller checks bounds.
std::uint16_t ReadLe16(std::string_view bytes, std::size_t offset);
std::uint32_t ReadLe32(std::string_view bytes, std::size_t offset);
std::uint64_t ReadLe64(std::string_view bytes, std::size_t offset);

// UTF-16LE bytes (an odd trailing byte is dropped) as UTF-8, up to the first NUL.
std::string Utf16LeToUtf8(std::string_view bytes);

}  // namespace trove::extract::internal

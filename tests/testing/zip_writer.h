// Zips written in memory with libarchive, for tests that need packages with chosen members.
#pragma once

#include <string>
#include <vector>

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

namespace trove::testing {

struct ZipMember {
  std::string name;
  std::string bytes;
};

// A deflated zip holding `members` in order; at most `capacity` bytes.
inline std::string WriteZip(const std::vector<ZipMember>& members,
                            std::size_t capacity = 64u << 20) {
  archive* writer = archive_write_new();
  archive_write_set_format_zip(writer);
  std::string out(capacity, '\0');
  std::size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(writer, out.data(), out.size(), &used), ARCHIVE_OK);
  for (const ZipMember& member : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, member.name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(member.bytes.size()));
    EXPECT_EQ(archive_write_header(writer, entry), ARCHIVE_OK);
    archive_write_data(writer, member.bytes.data(), member.bytes.size());
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  out.resize(used);
  return out;
}

}  // namespace trove::testing

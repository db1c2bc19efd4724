// Zips written in memory with libarchive, for tests that need packages with chosen members.
#pragma once

#include <string>
#include <string_view>
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

// Rewrites every uncompressed size a zip records (local header offset 22, central directory
// offset 24, data descriptor offset 12) to `claimed` bytes: a zip whose headers lie.
inline void ClaimUncompressedSizes(std::string& bytes, unsigned char claimed) {
  auto patch = [&bytes, claimed](std::string_view signature, std::size_t offset) {
    for (std::size_t pos = bytes.find(signature); pos != std::string::npos;
         pos = bytes.find(signature, pos + 1)) {
      if (pos + offset + 4 > bytes.size()) continue;
      bytes[pos + offset] = static_cast<char>(claimed);
      bytes[pos + offset + 1] = bytes[pos + offset + 2] = bytes[pos + offset + 3] = 0;
    }
  };
  patch(std::string_view("PK\x03\x04", 4), 22);
  patch(std::string_view("PK\x01\x02", 4), 24);
  patch(std::string_view("PK\x07\x08", 4), 12);
}

}  // namespace trove::testing

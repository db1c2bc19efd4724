#include "extract/office/zip_package.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include <zip.h>

namespace trove::extract::internal {
namespace {

constexpr std::size_t kReadChunkBytes = 64 * 1024;
// Names longer than this are not real package parts.
constexpr std::size_t kMaxNameBytes = 4096;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<std::unique_ptr<ZipPackage>> ZipPackage::Open(std::string_view bytes, ZipReadLimits limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Status::Internal("cannot wrap buffer for libzip: " + why);
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_source_free(source);
    zip_error_fini(&error);
    return Status::Corrupt("damaged zip: " + why);
  }
  zip_error_fini(&error);
  std::unique_ptr<ZipPackage> package(new ZipPackage(archive, limits));
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t index = 0; index < count; ++index) {
    const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(index), 0);
    std::string member = name == nullptr ? std::string() : std::string(name);
    if (member.size() > kMaxNameBytes) member.clear();
    // The first of several same-named members wins, as in most zip readers.
    if (!member.empty()) {
      package->index_by_lower_name_.emplace(Lower(member), static_cast<std::uint64_t>(index));
    }
    package->names_.push_back(std::move(member));
  }
  return package;
}

ZipPackage::ZipPackage(zip* archive, ZipReadLimits limits) : archive_(archive), limits_(limits) {}

ZipPackage::~ZipPackage() {
  // Read-only: nothing to write back. zip_discard also frees the source.
  zip_discard(archive_);
}

bool ZipPackage::Has(std::string_view name) const {
  return index_by_lower_name_.count(Lower(name)) != 0;
}

Result<std::string> ZipPackage::Read(std::string_view name, std::uint64_t max_bytes) {
  const auto found = index_by_lower_name_.find(Lower(name));
  if (found == index_by_lower_name_.end()) {
    return Status::NotFound("missing member " + std::string(name));
  }
  const zip_uint64_t index = found->second;
  const std::string& member = names_[index];  // as stored, for messages
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive_, index, 0, &stat) != 0) {
    return Status::Corrupt("unreadable zip member " + member);
  }
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && stat.encryption_method != ZIP_EM_NONE) {
    return Status::Unsupported("encrypted zip member " + member);
  }
  const std::uint64_t member_limit = std::min(limits_.max_member_bytes, max_bytes);
  const std::uint64_t budget = std::min(member_limit, limits_.max_total_bytes - total_read_);
  if ((stat.valid & ZIP_STAT_SIZE) != 0) {
    if (stat.size > member_limit) {
      return Status::LimitExceeded("zip member " + member + " expands to " +
                                   std::to_string(stat.size) + " bytes");
    }
    if (stat.size > budget) {
      return Status::LimitExceeded("package expands beyond " +
                                   std::to_string(limits_.max_total_bytes) + " bytes at " + member);
    }
    if ((stat.valid & ZIP_STAT_COMP_SIZE) != 0 && stat.size > limits_.ratio_floor_bytes &&
        stat.size / std::max<zip_uint64_t>(stat.comp_size, 1) > limits_.max_ratio) {
      return Status::LimitExceeded("zip member " + member + " has compression ratio above " +
                                   std::to_string(limits_.max_ratio));
    }
  }

  zip_file_t* file = zip_fopen_index(archive_, index, 0);
  if (file == nullptr) {
    return Status::Corrupt("cannot open zip member " + member + ": " +
                           zip_error_strerror(zip_get_error(archive_)));
  }
  std::string content;
  // The directory's size is only a hint: the bound below applies to what actually inflates.
  if ((stat.valid & ZIP_STAT_SIZE) != 0) content.reserve(static_cast<std::size_t>(stat.size));
  char chunk[kReadChunkBytes];
  Status status;
  while (true) {
    const zip_int64_t got = zip_fread(file, chunk, sizeof chunk);
    if (got < 0) {
      status = Status::Corrupt("truncated zip member " + member + ": " +
                               zip_error_strerror(zip_file_get_error(file)));
      break;
    }
    if (got == 0) break;
    if (content.size() + static_cast<std::uint64_t>(got) > budget) {
      status = Status::LimitExceeded("zip member " + member + " expands beyond " +
                                     std::to_string(budget) + " bytes");
      break;
    }
    content.append(chunk, static_cast<std::size_t>(got));
  }
  zip_fclose(file);
  if (!status.ok()) return status;
  total_read_ += content.size();
  return content;
}

namespace {
constexpr std::time_t kDosEpoch = 315532800;  // 1980-01-01T00:00:00Z, the earliest zip time
}  // namespace

Result<std::string> ZipPackage::RepackageFolder(std::string_view folder, std::string_view mimetype,
                                                std::uint64_t max_bytes) {
  // libzip reads member data only when the archive is closed, so every member's bytes stay
  // alive (in `contents`) until then.
  std::vector<std::pair<std::string, std::string>> contents;
  contents.emplace_back("mimetype", std::string(mimetype));
  std::uint64_t total = mimetype.size();
  if (total > max_bytes) {
    return Status::LimitExceeded("package " + std::string(folder) + " is over the limit");
  }
  const std::string prefix = Lower(folder);
  for (const std::string& name : names_) {
    if (name.size() <= folder.size() || name.back() == '/' || Lower(name).rfind(prefix, 0) != 0 ||
        Lower(name.substr(folder.size())) == "mimetype") {
      continue;
    }
    TROVE_ASSIGN_OR_RETURN(std::string content, Read(name, max_bytes - total));
    total += content.size();
    contents.emplace_back(name.substr(folder.size()), std::move(content));
  }

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) {
    zip_error_fini(&error);
    return Status::Internal("libzip cannot create a buffer for " + std::string(folder));
  }
  zip_t* archive = zip_open_from_source(buffer, ZIP_CREATE | ZIP_TRUNCATE, &error);
  zip_error_fini(&error);
  if (archive == nullptr) {
    zip_source_free(buffer);
    return Status::Internal("libzip cannot open a package for " + std::string(folder));
  }
  // Closing the archive drops its reference to the buffer; ours keeps the bytes readable.
  zip_source_keep(buffer);
  auto fail = [&](const std::string& why) {
    if (archive != nullptr) zip_discard(archive);
    zip_source_free(buffer);
    return Status::Internal("libzip cannot write " + std::string(folder) + " as a package: " + why);
  };
  for (std::size_t idx = 0; idx < contents.size(); ++idx) {
    const auto& [name, content] = contents[idx];
    zip_source_t* data = zip_source_buffer(archive, content.data(), content.size(), 0);
    if (data == nullptr) return fail(zip_strerror(archive));
    // A name listed twice in the parent (hostile, or a damaged directory) is added once.
    const zip_int64_t index =
        zip_file_add(archive, name.c_str(), data, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(data);
      return fail(zip_strerror(archive));
    }
    // A fixed time (the DOS epoch, 1980-01-01), not the time of writing: the same folder must
    // repackage to the same bytes, or it would be a new document (ids are content hashes) at
    // every ingest.
    if (zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), kDosEpoch, 0) != 0) {
      return fail(zip_strerror(archive));
    }
    // ODF readers expect the mimetype member first and stored, so that it can be sniffed.
    if (idx == 0 &&
        zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0) {
      return fail(zip_strerror(archive));
    }
  }
  if (zip_close(archive) != 0) return fail(zip_strerror(archive));
  archive = nullptr;

  std::string package;
  if (zip_source_open(buffer) != 0) return fail("reopen");
  zip_int64_t got = 0;
  char chunk[kReadChunkBytes];
  while ((got = zip_source_read(buffer, chunk, sizeof chunk)) > 0) {
    package.append(chunk, static_cast<std::size_t>(got));
  }
  zip_source_close(buffer);
  zip_source_free(buffer);
  if (got < 0) {
    return Status::Internal("libzip cannot read back the package " + std::string(folder));
  }
  return package;
}

}  // namespace trove::extract::internal

#include "extract/office/zip_package.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

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

Result<std::string> ZipPackage::Read(std::string_view name) {
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
  const std::uint64_t budget =
      std::min(limits_.max_member_bytes, limits_.max_total_bytes - total_read_);
  if ((stat.valid & ZIP_STAT_SIZE) != 0) {
    if (stat.size > limits_.max_member_bytes) {
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

}  // namespace trove::extract::internal

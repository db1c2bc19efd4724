#include "core/file.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace trove {
namespace {
std::string ErrnoMessage(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}
struct OpenFile {
  int fd;
  std::uint64_t size;
};

// Opens `path` for reading and checks its size against `max_bytes`; the caller closes the fd.
Result<OpenFile> OpenForReading(const std::string& path, std::uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(ErrnoMessage("cannot open", path));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status status = Status::IOError(ErrnoMessage("cannot stat", path));
    ::close(fd);
    return status;
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) {
    ::close(fd);
    return Status::LimitExceeded(path + " is " + std::to_string(size) +
                                 " bytes, over the limit of " + std::to_string(max_bytes));
  }
  return OpenFile{fd, size};
}
}  // namespace

Result<std::string> ReadFile(const std::string& path, std::uint64_t max_bytes) {
  TROVE_ASSIGN_OR_RETURN(const OpenFile file, OpenForReading(path, max_bytes));
  const int fd = file.fd;
  std::string out;
  out.resize(static_cast<std::size_t>(file.size));
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status status = Status::IOError(ErrnoMessage("cannot read", path));
      ::close(fd);
      return status;
    }
    if (n == 0) break;  // the file shrank while we read it
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  ::close(fd);
  return out;
}

Result<MappedFile> MappedFile::Open(const std::string& path, std::uint64_t max_bytes) {
  TROVE_ASSIGN_OR_RETURN(const OpenFile file, OpenForReading(path, max_bytes));
  const int fd = file.fd;
  const std::uint64_t size = file.size;
  if (size == 0) {
    ::close(fd);
    return MappedFile(nullptr, 0);
  }
  void* data = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
  Status failure =
      data == MAP_FAILED ? Status::IOError(ErrnoMessage("cannot map", path)) : Status::Ok();
  ::close(fd);  // the mapping keeps the file open
  if (!failure.ok()) return failure;
  ::madvise(data, static_cast<std::size_t>(size), MADV_SEQUENTIAL);
  return MappedFile(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

MappedFile::MappedFile(MappedFile&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

Status WriteFileAtomic(const std::string& path, std::string_view bytes) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(ErrnoMessage("cannot create", tmp));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status status = Status::IOError(ErrnoMessage("cannot write", tmp));
      ::close(fd);
      return status;
    }
    done += static_cast<std::size_t>(n);
  }
  const bool is_synced = ::fsync(fd) == 0;
  const bool is_closed = ::close(fd) == 0;
  if (!is_synced || !is_closed) {
    Status status = Status::IOError(ErrnoMessage("cannot sync", tmp));
    ::unlink(tmp.c_str());
    return status;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::IOError(ErrnoMessage("cannot rename onto", path));
  }
  return Status::Ok();
}

}  // namespace trove

#include "pipeline/internal/protocol.h"

#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace trove::pipeline::internal {
namespace {

constexpr std::size_t kHeaderBytes = 5;

Status WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::string("worker pipe: ") + std::strerror(errno));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

// Reads exactly `size` bytes; false at a clean end of file before the first byte.
Result<bool> ReadAll(int fd, char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::string("worker pipe: ") + std::strerror(errno));
    }
    if (n == 0) {
      if (done == 0) return false;
      return Status::Corrupt("worker pipe closed inside a frame");
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::uint32_t DecodeLength(const char* p) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(p[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(p[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(p[2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(p[3])) << 24;
}

}  // namespace

Status WriteFrame(int fd, MessageType type, std::string_view payload) {
  if (payload.size() > kMaxFrameBytes) return Status::LimitExceeded("frame too large");
  const auto len = static_cast<std::uint32_t>(payload.size());
  const char header[kHeaderBytes] = {
      static_cast<char>(len & 0xFF), static_cast<char>((len >> 8) & 0xFF),
      static_cast<char>((len >> 16) & 0xFF), static_cast<char>(len >> 24), static_cast<char>(type)};
  TROVE_RETURN_IF_ERROR(WriteAll(fd, header, kHeaderBytes));
  return WriteAll(fd, payload.data(), payload.size());
}

Result<std::optional<Frame>> ReadFrame(int fd) {
  char header[kHeaderBytes];
  TROVE_ASSIGN_OR_RETURN(const bool got, ReadAll(fd, header, kHeaderBytes));
  if (!got) return std::optional<Frame>();
  const std::uint32_t len = DecodeLength(header);
  if (len > kMaxFrameBytes) return Status::Corrupt("frame length " + std::to_string(len));
  Frame frame{static_cast<MessageType>(header[4]), std::string(len, '\0')};
  TROVE_ASSIGN_OR_RETURN(const bool got_payload, ReadAll(fd, frame.payload.data(), len));
  if (!got_payload && len > 0) return Status::Corrupt("worker pipe closed inside a frame");
  return std::optional<Frame>(std::move(frame));
}

Result<bool> FrameBuffer::Next(Frame* frame) {
  const std::size_t available = buffer_.size() - start_;
  if (available < kHeaderBytes) return false;
  const std::uint32_t len = DecodeLength(buffer_.data() + start_);
  if (len > kMaxFrameBytes) return Status::Corrupt("frame length " + std::to_string(len));
  if (available < kHeaderBytes + len) return false;
  frame->type = static_cast<MessageType>(buffer_[start_ + 4]);
  frame->payload.assign(buffer_, start_ + kHeaderBytes, len);
  start_ += kHeaderBytes + len;
  // Compact once the consumed prefix dominates, so the buffer does not grow without bound.
  if (start_ > (1u << 20) && start_ * 2 > buffer_.size()) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  return true;
}

}  // namespace trove::pipeline::internal

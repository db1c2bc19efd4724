// Frames between the supervisor and its extraction workers, over pipes:
// [u32 payload length, little endian][u8 type][payload]. Payloads are MessagePack except
// kDocument (see EncodeDocument).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace trove::pipeline::internal {

enum class MessageType : std::uint8_t {
  kTask = 1,      // supervisor -> worker: a source file to extract
  kDecision = 2,  // supervisor -> worker: extract the announced document, or skip it
  kBegin = 3,     // worker -> supervisor: about to extract a document (id, path chain)
  kDocument = 4,  // worker -> supervisor: a finished document
  kDone = 5,      // worker -> supervisor: the task is finished
  kOcrTask = 6,   // supervisor -> worker: OCR one page of a document, or merge its OCR text
  kOcrPage = 7,   // worker -> supervisor: one page's OCR text (or why it failed)
  kOcrDocument = 8,  // worker -> supervisor: a document again, with its OCR text (a revision)
};

struct Frame {
  MessageType type;
  std::string payload;
};

// Frames larger than this are refused (a document's prepared form is well below it).
inline constexpr std::uint32_t kMaxFrameBytes = 1u << 31;

// Writes a whole frame, retrying on EINTR and partial writes.
Status WriteFrame(int fd, MessageType type, std::string_view payload);
// Blocks until a whole frame arrives; nullopt at end of file.
Result<std::optional<Frame>> ReadFrame(int fd);

// Splits a byte stream read in arbitrary pieces into frames.
class FrameBuffer {
 public:
  void Append(std::string_view bytes) { buffer_.append(bytes); }
  // Moves the next complete frame into `frame`; false when none is complete yet.
  // Corrupt when the stream is not a frame stream.
  Result<bool> Next(Frame* frame);

 private:
  std::string buffer_;
  std::size_t start_ = 0;
};

}  // namespace trove::pipeline::internal

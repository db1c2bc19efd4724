// Small RAII helpers around GMime for the e-mail and mbox extractors. GMime types never leave
// src/extract/email/.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <gmime/gmime.h>

#include "core/status.h"

namespace trove::extract::internal {

// Calls g_mime_init() once per process; safe to call from any thread, any number of times.
void EnsureGMimeInitialized();

struct GObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
// Owns one reference to a GObject (GMimeParser, GMimeMessage, GMimeStream...).
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct ParserOptionsFree {
  void operator()(GMimeParserOptions* options) const { g_mime_parser_options_free(options); }
};
using ParserOptionsPtr = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

// Parser options for hostile mail: loose RFC compliance (real mail breaks the rules) and
// undeclared 8-bit header text read as UTF-8, else windows-1252.
ParserOptionsPtr NewParserOptions();

// A read-only GMime stream over caller-owned bytes, without copying them (a whole mailbox can be
// large). The bytes must outlive this object, and every GMime object parsed from the stream
// (parts keep references to it) must be released before it is destroyed.
class BorrowedStream {
 public:
  // Fails with LimitExceeded above 4 GiB, the most a GMime memory stream addresses.
  static Result<std::unique_ptr<BorrowedStream>> Create(std::string_view bytes);
  ~BorrowedStream();
  BorrowedStream(const BorrowedStream&) = delete;
  BorrowedStream& operator=(const BorrowedStream&) = delete;

  GMimeStream* get() const { return stream_; }

 private:
  BorrowedStream(GByteArray* array, GMimeStream* stream) : array_(array), stream_(stream) {}

  GByteArray* array_;
  GMimeStream* stream_;
};

// The bytes a GMime object writes (headers and content as parsed, for an attached message), or
// LimitExceeded when they exceed `max_bytes`. `size_hint` is the expected size (the size of the
// input it was parsed from): when it exceeds `max_bytes`, a counting pass runs first, so that
// nothing over the limit is ever held in memory; otherwise the result is checked afterwards.
Result<std::string> SerializeObject(GMimeObject* object, std::uint64_t size_hint,
                                    std::uint64_t max_bytes);

// The transfer-decoded content of a leaf part (base64, quoted-printable, uuencode undone; no
// charset conversion), or LimitExceeded when it would exceed `max_bytes`.
Result<std::string> DecodedContent(GMimePart* part, std::uint64_t max_bytes);

// "type/subtype" of an object's Content-Type, lower-cased ("text/plain" when absent).
std::string MimeTypeOf(GMimeObject* object);

// A C string from GMime as a std::string ("" for NULL).
inline std::string FromC(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace trove::extract::internal

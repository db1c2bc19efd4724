#include "extract/email/gmime_support.h"

#include <cctype>
#include <limits>
#include <mutex>

namespace trove::extract::internal {

void EnsureGMimeInitialized() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

ParserOptionsPtr NewParserOptions() {
  ParserOptionsPtr options(g_mime_parser_options_new());
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_allow_addresses_without_domain(options.get(), TRUE);
  const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
  return options;
}

Result<std::unique_ptr<BorrowedStream>> BorrowedStream::Create(std::string_view bytes) {
  if (bytes.size() > std::numeric_limits<guint>::max()) {
    return Status::LimitExceeded("mail input of " + std::to_string(bytes.size()) +
                                 " bytes exceeds the 4 GiB a GMime memory stream reads");
  }
  EnsureGMimeInitialized();
  // g_mime_stream_mem_new_with_buffer() would copy the bytes; instead point a GByteArray at
  // them and tell the stream it does not own the array. Its fields are public and the stream
  // only reads them. The destructor puts the original (empty) buffer back before freeing.
  GByteArray* array = g_byte_array_new();
  GMimeStream* stream = g_mime_stream_mem_new_with_byte_array(array);
  g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
  array->data = reinterpret_cast<guint8*>(const_cast<char*>(bytes.data()));
  array->len = static_cast<guint>(bytes.size());
  return std::unique_ptr<BorrowedStream>(new BorrowedStream(array, stream));
}

BorrowedStream::~BorrowedStream() {
  g_object_unref(stream_);
  array_->data = nullptr;
  array_->len = 0;
  g_byte_array_free(array_, TRUE);
}

namespace {

// Writes through `write` into memory unless a dry run into a null stream (which only counts)
// finds more than `max_bytes`. The dry run is skipped when `upper_bound` already fits.
template <typename WriteFn>
Result<std::string> WriteBounded(WriteFn write, std::uint64_t upper_bound, std::uint64_t max_bytes,
                                 std::string_view what) {
  if (upper_bound > max_bytes) {
    GObjectPtr<GMimeStream> counter(g_mime_stream_null_new());
    const ssize_t size = write(counter.get());
    if (size < 0) return Status::Corrupt("cannot decode " + std::string(what));
    if (static_cast<std::uint64_t>(size) > max_bytes) {
      return Status::LimitExceeded(std::string(what) + " of " + std::to_string(size) +
                                   " bytes exceeds the limit of " + std::to_string(max_bytes));
    }
  }
  GObjectPtr<GMimeStream> memory(g_mime_stream_mem_new());
  if (write(memory.get()) < 0) return Status::Corrupt("cannot decode " + std::string(what));
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory.get()));
  if (array == nullptr || array->len == 0) return std::string();
  if (array->len > max_bytes) {
    return Status::LimitExceeded(std::string(what) + " of " + std::to_string(array->len) +
                                 " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

// An upper bound on what an object can write: its source stream's length when known.
std::uint64_t SourceLength(GMimeStream* stream) {
  if (stream == nullptr) return std::numeric_limits<std::uint64_t>::max();
  const gint64 length = g_mime_stream_length(stream);
  return length < 0 ? std::numeric_limits<std::uint64_t>::max()
                    : static_cast<std::uint64_t>(length);
}

}  // namespace

Result<std::string> SerializeObject(GMimeObject* object, std::uint64_t size_hint,
                                    std::uint64_t max_bytes) {
  return WriteBounded(
      [object](GMimeStream* out) { return g_mime_object_write_to_stream(object, nullptr, out); },
      size_hint, max_bytes, "attached message");
}

Result<std::string> DecodedContent(GMimePart* part, std::uint64_t max_bytes) {
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (wrapper == nullptr) return std::string();
  // Transfer decoding never grows content, so the encoded length bounds the decoded one.
  return WriteBounded(
      [wrapper](GMimeStream* out) { return g_mime_data_wrapper_write_to_stream(wrapper, out); },
      SourceLength(g_mime_data_wrapper_get_stream(wrapper)), max_bytes, "MIME part");
}

std::string MimeTypeOf(GMimeObject* object) {
  GMimeContentType* content_type = g_mime_object_get_content_type(object);
  if (content_type == nullptr) return "text/plain";
  char* mime_type = g_mime_content_type_get_mime_type(content_type);
  std::string out = FromC(mime_type);
  g_free(mime_type);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out.empty() ? "text/plain" : out;
}

}  // namespace trove::extract::internal

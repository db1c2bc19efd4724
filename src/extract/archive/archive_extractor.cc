// ArchiveExtractor: the members of zip, tar, 7z, rar, cpio, ar, ISO 9660, cab, lha and xar
// archives, and the single file inside a gzip/bzip2/xz/lzma/zstd/compress/lzip/lz4 stream, read
// from memory with libarchive.
//
// Every regular-file member becomes one ChildFile (name normalised: no leading '/', no "." or
// ".." segments, '\' read as '/'; mtime when the archive records one). Directories, links,
// devices and FIFOs are skipped. A compressed stream that holds no archive format gives one child
// named after the archive without its compression suffix ("notes.txt.gz" -> "notes.txt",
// "x.tgz" -> "x.tar", which is then itself an archive).
//
// Per member, through ChildSink::OnChildFailed, the archive goes on:
//   LimitExceeded  the member is larger than Limits::max_child_bytes (declared or as inflated;
//                  it is never held in memory beyond the limit);
//   Unsupported    "encrypted archive member", or a compression method libarchive lacks
//                  ("zip member a.txt: Unsupported ZIP compression method (6: imploded)");
//   Corrupt        "truncated zip member a/b.pdf: <libarchive's reason>".
// For the whole archive: Corrupt with libarchive's message when it is not a readable archive or
// when damage stops the walk; Unsupported("encrypted archive") when even the member list is
// encrypted; the sink's own status when OnChild refuses a child.
//
// Only formats and filters implemented inside libarchive are enabled: mtree (which reads the files
// it names from the local disk) and the filters that run external programs (lrzip, lzop, grzip)
// stay off.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <archive.h>
#include <archive_entry.h>

#include "core/document.h"
#include "core/status.h"
#include "core/text.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"

namespace trove::extract::internal {
namespace {

constexpr std::size_t kReadChunkBytes = 64 * 1024;
// Never reserve more than this up front: the size an entry header declares may be a lie.
constexpr std::size_t kMaxReserveBytes = 16 << 20;
// More header records than this (a crafted cpio of empty entries, say) is not a real archive.
constexpr std::uint64_t kMaxEntries = 1 << 20;
// libarchive may ask to retry a header read; a hostile input could make it ask forever.
constexpr int kMaxRetries = 16;

constexpr std::string_view kArchiveTypes[] = {
    "application/zip",
    "application/x-zip-compressed",
    "application/java-archive",
    "application/x-tar",
    "application/x-gtar",
    "application/x-7z-compressed",
    "application/x-rar",
    "application/vnd.rar",
    "application/x-rar-compressed",
    "application/x-cpio",
    "application/x-archive",
    "application/x-iso9660-image",
    "application/vnd.ms-cab-compressed",
    "application/x-lzh-compressed",
    "application/x-xar",
};

// Compressed streams: they may hold a tar (tar.gz) or just one file (raw).
constexpr std::string_view kCompressedTypes[] = {
    "application/gzip",   "application/x-gzip", "application/x-bzip2",    "application/x-xz",
    "application/zstd",   "application/x-zstd", "application/x-compress", "application/x-lzma",
    "application/x-lzip", "application/x-lz4",
};

template <std::size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view value) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

struct ArchiveDeleter {
  void operator()(archive* handle) const { archive_read_free(handle); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

std::string ErrorString(archive* handle) {
  const char* message = archive_error_string(handle);
  return SanitizeUtf8(message != nullptr ? message : "unknown libarchive error");
}

// A short format name for messages ("truncated zip member ...").
std::string_view FormatName(archive* handle) {
  switch (archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK) {
    case ARCHIVE_FORMAT_ZIP:
      return "zip";
    case ARCHIVE_FORMAT_TAR:
      return "tar";
    case ARCHIVE_FORMAT_7ZIP:
      return "7z";
    case ARCHIVE_FORMAT_RAR:
    case ARCHIVE_FORMAT_RAR_V5:
      return "rar";
    case ARCHIVE_FORMAT_CPIO:
      return "cpio";
    case ARCHIVE_FORMAT_AR:
      return "ar";
    case ARCHIVE_FORMAT_ISO9660:
      return "iso";
    case ARCHIVE_FORMAT_CAB:
      return "cab";
    case ARCHIVE_FORMAT_LHA:
      return "lha";
    case ARCHIVE_FORMAT_XAR:
      return "xar";
    case ARCHIVE_FORMAT_RAW:
      return "compressed";
    case ARCHIVE_FORMAT_EMPTY:
      return "empty";
    default:
      return "archive";
  }
}

// Member path as a safe relative name: '\' -> '/', no empty, "." or ".." segments, valid UTF-8
// without control characters.
std::string NormaliseMemberName(std::string_view raw) {
  std::string cleaned = SanitizeUtf8(raw);
  std::vector<std::string_view> segments;
  std::string_view rest = cleaned;
  std::string separators_replaced;
  separators_replaced.reserve(rest.size());
  for (char c : rest) {
    const auto uc = static_cast<unsigned char>(c);
    if (c == '\\') {
      separators_replaced.push_back('/');
    } else if (uc < 0x20 || uc == 0x7F) {
      separators_replaced.push_back('_');  // SanitizeUtf8 keeps \t \n \r \f; names should not
    } else {
      separators_replaced.push_back(c);
    }
  }
  rest = separators_replaced;
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::string name;
  for (std::string_view segment : segments) {
    if (!name.empty()) name.push_back('/');
    name.append(segment);
  }
  return name;
}

// "notes.txt.gz" -> "notes.txt", "x.tgz" -> "x.tar"; the last path element only.
std::string NameWithoutCompressionSuffix(std::string_view archive_name) {
  const std::size_t slash = archive_name.find_last_of("/\\");
  if (slash != std::string_view::npos) archive_name.remove_prefix(slash + 1);
  std::string name(archive_name);
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Suffix {
    std::string_view suffix;
    std::string_view replacement;
  };
  static constexpr Suffix kSuffixes[] = {
      {".tgz", ".tar"},  {".taz", ".tar"}, {".tbz2", ".tar"}, {".tbz", ".tar"}, {".txz", ".tar"},
      {".tzst", ".tar"}, {".gz", ""},      {".bz2", ""},      {".xz", ""},      {".lzma", ""},
      {".zst", ""},      {".z", ""},       {".lz", ""},       {".lz4", ""},
  };
  for (const Suffix& suffix : kSuffixes) {
    if (lower.size() > suffix.suffix.size() &&
        std::string_view(lower).substr(lower.size() - suffix.suffix.size()) == suffix.suffix) {
      return name.substr(0, name.size() - suffix.suffix.size()) + std::string(suffix.replacement);
    }
  }
  return name.empty() ? std::string("data") : name;
}

class ArchiveExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "archive"; }

  bool Accepts(std::string_view media_type) const override {
    return Contains(kArchiveTypes, media_type) || Contains(kCompressedTypes, media_type);
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    try {
      std::uint64_t entry_count = 0;
      Result<Extraction> result =
          ExtractOrThrow(input, children, ReaderMode::kAllFormats, entry_count);
      // libarchive's seekable zip reader trusts the central directory; when that is damaged it
      // may list nothing although local members are there. The streaming reader walks the
      // local headers instead (it is what libarchive uses anyway when the directory is gone).
      if (entry_count == 0 && input.bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
        std::uint64_t streamed_count = 0;
        Result<Extraction> streamed =
            ExtractOrThrow(input, children, ReaderMode::kZipStreaming, streamed_count);
        if (streamed_count > 0) return streamed;
      }
      return result;
    } catch (const std::bad_alloc&) {
      return Status::LimitExceeded("archive member needs more memory than available");
    } catch (const std::exception& e) {
      return Status::Internal(std::string("archive extraction failed: ") + e.what());
    }
  }

 private:
  // Which readers to enable: everything we support, or only the streaming zip reader (see
  // Extract).
  enum class ReaderMode { kAllFormats, kZipStreaming };

  static ArchivePtr NewReader(ReaderMode mode, bool allow_raw) {
    ArchivePtr handle(archive_read_new());
    if (handle == nullptr) return handle;
    archive* a = handle.get();
    if (mode == ReaderMode::kZipStreaming) {
      archive_read_support_format_zip_streamable(a);
      return handle;
    }
    // Return values are ignored on purpose: a filter built without its library falls back to
    // an external program only for lrzip/lzop/grzip, which we never enable; the others are
    // compiled into Debian's libarchive.
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_lzma(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_filter_compress(a);
    archive_read_support_filter_lzip(a);
    archive_read_support_filter_lz4(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_ar(a);
    archive_read_support_format_iso9660(a);
    archive_read_support_format_cab(a);
    archive_read_support_format_lha(a);
    archive_read_support_format_xar(a);
    // An empty gzip/bzip2 stream decompresses to nothing, which only "empty" accepts.
    archive_read_support_format_empty(a);
    // raw bids lowest, so a tar inside gzip is still read as tar.
    if (allow_raw) archive_read_support_format_raw(a);
    return handle;
  }

  // `entry_count` counts the header records seen, so that the caller knows whether any member
  // reached the sink.
  static Result<Extraction> ExtractOrThrow(const Input& input, ChildSink& children, ReaderMode mode,
                                           std::uint64_t& entry_count) {
    if (input.bytes.empty()) return Status::Corrupt("empty archive");
    const bool is_compressed_stream = Contains(kCompressedTypes, input.media_type);
    ArchivePtr handle = NewReader(mode, is_compressed_stream);
    if (handle == nullptr) return Status::Internal("libarchive: cannot allocate a reader");
    archive* a = handle.get();
    if (archive_read_open_memory(a, input.bytes.data(), input.bytes.size()) != ARCHIVE_OK) {
      return Status::Corrupt("not a readable archive: " + ErrorString(a));
    }

    Extraction out;
    std::uint64_t child_count = 0;
    std::uint64_t skipped_links = 0;
    int retries = 0;
    while (true) {
      archive_entry* entry = nullptr;
      const int header_status = archive_read_next_header(a, &entry);
      if (header_status == ARCHIVE_EOF) break;
      if (header_status == ARCHIVE_RETRY && ++retries <= kMaxRetries) continue;
      if (header_status < ARCHIVE_WARN || entry == nullptr) {
        return HeaderFailure(a, entry_count, child_count);
      }
      retries = 0;
      if (++entry_count > kMaxEntries) {
        return Status::LimitExceeded("archive has more than " + std::to_string(kMaxEntries) +
                                     " entries");
      }
      const bool is_raw = (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_RAW;
      if (is_raw && archive_filter_count(a) <= 1) {
        // raw with no decompression filter would "extract" any bytes unchanged.
        return Status::Corrupt("not a compressed stream");
      }
      if (archive_entry_filetype(entry) == AE_IFLNK || archive_entry_hardlink(entry) != nullptr) {
        ++skipped_links;  // a link's target may point outside the archive: never followed
        continue;
      }
      if (archive_entry_filetype(entry) != AE_IFREG) continue;  // directories, devices, FIFOs
      std::string name = is_raw ? NameWithoutCompressionSuffix(input.name) : EntryName(entry);
      if (name.empty()) name = "unnamed-" + std::to_string(entry_count);

      if (archive_entry_is_encrypted(entry)) {
        children.OnChildFailed(name, Status::Unsupported("encrypted archive member"));
        continue;  // libarchive skips the member's data on the next header read
      }
      if (archive_entry_size_is_set(entry) && archive_entry_size(entry) >= 0 &&
          static_cast<std::uint64_t>(archive_entry_size(entry)) > input.limits.max_child_bytes) {
        children.OnChildFailed(name,
                               Status::LimitExceeded("archive member " + name + " is " +
                                                     std::to_string(archive_entry_size(entry)) +
                                                     " bytes, over the limit"));
        continue;
      }

      ChildFile child;
      child.name = name;
      if (archive_entry_mtime_is_set(entry)) child.mtime = archive_entry_mtime(entry);
      bool is_fatal = false;
      Status read_status =
          ReadEntryData(a, entry, name, input.limits.max_child_bytes, child.bytes, is_fatal);
      if (!read_status.ok()) {
        children.OnChildFailed(name, read_status);
        if (is_fatal) {
          return Status::Corrupt("damaged " + std::string(FormatName(a)) + " archive after " +
                                 std::to_string(child_count) + " members: " + ErrorString(a));
        }
        continue;
      }
      ++child_count;
      TROVE_RETURN_IF_ERROR(children.OnChild(std::move(child)));
    }
    out.metadata.emplace_back("format", std::string(FormatName(a)));
    if (archive_filter_count(a) > 1) {
      const char* filter = archive_filter_name(a, 0);
      if (filter != nullptr) out.metadata.emplace_back("compression", SanitizeUtf8(filter));
    }
    if (skipped_links > 0) {
      out.metadata.emplace_back("skipped_links", std::to_string(skipped_links));
    }
    return out;
  }

  static std::string EntryName(archive_entry* entry) {
    const char* utf8 = archive_entry_pathname_utf8(entry);
    if (utf8 != nullptr) return NormaliseMemberName(utf8);
    const char* raw = archive_entry_pathname(entry);
    return raw != nullptr ? NormaliseMemberName(raw) : std::string();
  }

  // Why reading the next header failed, for the archive as a whole.
  static Status HeaderFailure(archive* a, std::uint64_t entry_count, std::uint64_t child_count) {
    if (archive_read_has_encrypted_entries(a) > 0 && entry_count == 0) {
      return Status::Unsupported("encrypted archive");
    }
    if (entry_count == 0) return Status::Corrupt("not a readable archive: " + ErrorString(a));
    return Status::Corrupt("damaged " + std::string(FormatName(a)) + " archive after " +
                           std::to_string(child_count) + " members: " + ErrorString(a));
  }

  // Reads the current entry's data into `bytes`, never past `max_bytes`. `is_fatal` is set when
  // the archive cannot be read any further.
  static Status ReadEntryData(archive* a, archive_entry* entry, const std::string& name,
                              std::uint64_t max_bytes, std::string& bytes, bool& is_fatal) {
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0) {
      bytes.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(
          {static_cast<std::uint64_t>(archive_entry_size(entry)), max_bytes, kMaxReserveBytes})));
    }
    char chunk[kReadChunkBytes];
    while (true) {
      const la_ssize_t got = archive_read_data(a, chunk, sizeof chunk);
      if (got == 0) return Status::Ok();
      if (got < 0) {
        is_fatal = got == ARCHIVE_FATAL;
        if (archive_entry_is_data_encrypted(entry)) {
          return Status::Unsupported("encrypted archive member");
        }
        // libarchive has no error code for "method not implemented" (zip implode, some rar
        // filters); its message is the only sign, and such a member is not damaged.
        const std::string why = ErrorString(a);
        if (why.find("Unsupported") != std::string::npos ||
            why.find("unsupported") != std::string::npos) {
          return Status::Unsupported(std::string(FormatName(a)) + " member " + name + ": " + why);
        }
        return Status::Corrupt("truncated " + std::string(FormatName(a)) + " member " + name +
                               ": " + ErrorString(a));
      }
      // Entry sizes can lie: the limit applies to what actually comes out.
      if (bytes.size() + static_cast<std::uint64_t>(got) > max_bytes) {
        bytes.clear();
        bytes.shrink_to_fit();
        return Status::LimitExceeded("archive member " + name + " expands beyond " +
                                     std::to_string(max_bytes) + " bytes");
      }
      bytes.append(chunk, static_cast<std::size_t>(got));
    }
  }
};

}  // namespace

std::unique_ptr<Extractor> NewArchiveExtractor() { return std::make_unique<ArchiveExtractor>(); }

}  // namespace trove::extract::internal

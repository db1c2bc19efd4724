// Media type detection: libmagic on the content, refined where content alone is ambiguous.
//
// libmagic answers "application/zip" for many OOXML/ODF files (it only recognises them when the
// telling member comes first), "text/plain" for e-mails whose first header is not one it knows
// and for mbox files that start with "From - ...", and it cannot tell CSV from prose. We fix
// those cases from the content first (zip directory, header block) and the file name second.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include <magic.h>
#include <zip.h>

#include "extract/registry.h"

namespace trove::extract {
namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";
constexpr std::string_view kTextPlain = "text/plain";
// libmagic reads at most this much; every signature we care about lies well inside it, and a
// bounded prefix keeps detection cheap on a multi-gigabyte file.
constexpr std::size_t kMagicPrefixBytes = 1 << 20;
// [Content_Types].xml and an ODF "mimetype" member are small; bigger ones are not trusted.
constexpr zip_uint64_t kMaxProbeMemberBytes = 1 << 20;

// One libmagic cookie per thread (magic_t is not thread-safe), loaded on first use. When the
// database cannot be loaded we fall back to a few built-in signatures.
class MagicCookie {
 public:
  MagicCookie() {
    cookie_ = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF);
    if (cookie_ != nullptr && magic_load(cookie_, nullptr) != 0) {
      magic_close(cookie_);
      cookie_ = nullptr;
    }
  }
  ~MagicCookie() {
    if (cookie_ != nullptr) magic_close(cookie_);
  }
  MagicCookie(const MagicCookie&) = delete;
  MagicCookie& operator=(const MagicCookie&) = delete;

  // The MIME type libmagic gives, or empty when libmagic is unavailable or fails.
  std::string Detect(std::string_view bytes) {
    if (cookie_ == nullptr) return {};
    const std::size_t size = std::min(bytes.size(), kMagicPrefixBytes);
    const char* type = magic_buffer(cookie_, bytes.data(), size);
    if (type == nullptr) return {};
    return type;
  }

 private:
  magic_t cookie_ = nullptr;
};

MagicCookie& ThreadCookie() {
  thread_local MagicCookie cookie;
  return cookie;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Lower-cased extension of `name` without the dot ("report.PDF" -> "pdf"), or empty.
std::string Extension(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return ToLower(name.substr(dot + 1));
}

// Signatures used when libmagic is unavailable.
std::string FallbackSniff(std::string_view bytes) {
  struct Signature {
    std::string_view prefix;
    std::string_view type;
  };
  static constexpr std::array<Signature, 12> kSignatures = {{
      {"%PDF-", "application/pdf"},
      {"PK\x03\x04", "application/zip"},
      {"PK\x05\x06", "application/zip"},
      {"\x1f\x8b", "application/gzip"},
      {"BZh", "application/x-bzip2"},
      {"\xfd"
       "7zXZ",
       "application/x-xz"},
      {"\x28\xb5\x2f\xfd", "application/zstd"},
      {"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"},
      {"Rar!", "application/x-rar"},
      {"{\\rtf", "text/rtf"},
      {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"},
      {"!<arch>\n", "application/x-archive"},
  }};
  for (const auto& signature : kSignatures) {
    if (StartsWith(bytes, signature.prefix)) return std::string(signature.type);
  }
  if (bytes.size() > 262 && bytes.substr(257, 5) == "ustar") return "application/x-tar";
  if (bytes.empty()) return "application/x-empty";
  const std::size_t probe = std::min<std::size_t>(bytes.size(), 4096);
  for (std::size_t i = 0; i < probe; ++i) {
    if (bytes[i] == '\0') return std::string(kOctetStream);
  }
  return std::string(kTextPlain);
}

// Reads a small zip member whole, or returns empty.
std::string ReadSmallMember(zip_t* archive, const char* name) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(archive, name, 0, &stat) != 0) return {};
  if ((stat.valid & ZIP_STAT_SIZE) == 0 || stat.size > kMaxProbeMemberBytes) return {};
  zip_file_t* file = zip_fopen(archive, name, 0);
  if (file == nullptr) return {};
  std::string content(static_cast<std::size_t>(stat.size), '\0');
  const zip_int64_t read = zip_fread(file, content.data(), content.size());
  zip_fclose(file);
  if (read < 0) return {};
  content.resize(static_cast<std::size_t>(read));
  return content;
}

// Maps the main part's content type in [Content_Types].xml to the package's media type.
std::string OoxmlTypeFromContentTypes(std::string_view content_types) {
  struct MainPart {
    std::string_view part_type;
    std::string_view media_type;
  };
  static constexpr std::array<MainPart, 17> kMainParts = {{
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.template"},
      {"application/vnd.ms-word.document.macroEnabled.main+xml",
       "application/vnd.ms-word.document.macroEnabled.12"},
      {"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
       "application/vnd.ms-word.template.macroEnabled.12"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.template"},
      {"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
       "application/vnd.ms-excel.sheet.macroEnabled.12"},
      {"application/vnd.ms-excel.template.macroEnabled.main+xml",
       "application/vnd.ms-excel.template.macroEnabled.12"},
      {"application/vnd.ms-excel.addin.macroEnabled.main+xml",
       "application/vnd.ms-excel.addin.macroEnabled.12"},
      {"application/vnd.ms-excel.sheet.binary.macroEnabled.main",
       "application/vnd.ms-excel.sheet.binary.macroEnabled.12"},
      {"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
       "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
       "application/vnd.openxmlformats-officedocument.presentationml.slideshow"},
      {"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
       "application/vnd.openxmlformats-officedocument.presentationml.template"},
      {"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
       "application/vnd.ms-powerpoint.presentation.macroEnabled.12"},
      {"application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
       "application/vnd.ms-powerpoint.slideshow.macroEnabled.12"},
      {"application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
       "application/vnd.ms-powerpoint.template.macroEnabled.12"},
      {"application/vnd.ms-visio.drawing.main+xml", "application/vnd.ms-visio.drawing"},
  }};
  for (const auto& part : kMainParts) {
    // Quote-delimited so that "...document.main+xml" does not match inside a longer name.
    const std::string quoted = "\"" + std::string(part.part_type) + "\"";
    if (content_types.find(quoted) != std::string_view::npos) return std::string(part.media_type);
  }
  return {};
}

// An ODF/EPUB-style "mimetype" member, if it holds a plausible media type.
std::string PlausibleMimetypeMember(std::string_view member) {
  while (!member.empty() && std::isspace(static_cast<unsigned char>(member.back()))) {
    member.remove_suffix(1);
  }
  if (member.empty() || member.size() > 100 || member.find('/') == std::string_view::npos) {
    return {};
  }
  for (char c : member) {
    const auto uc = static_cast<unsigned char>(c);
    if (!(std::isalnum(uc) || c == '/' || c == '.' || c == '-' || c == '+')) return {};
  }
  return ToLower(member);
}

// The package type of a zip (OOXML or ODF), or empty when it is a plain zip or unreadable.
std::string ZipPackageType(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return {};
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    zip_error_fini(&error);
    return {};
  }
  std::string type;
  const std::string content_types = ReadSmallMember(archive, "[Content_Types].xml");
  if (!content_types.empty()) type = OoxmlTypeFromContentTypes(content_types);
  if (type.empty()) type = PlausibleMimetypeMember(ReadSmallMember(archive, "mimetype"));
  zip_discard(archive);  // read-only: nothing to write back; also frees the source
  zip_error_fini(&error);
  return type;
}

// Media types for document-package extensions, used when the zip itself does not say.
std::string PackageTypeFromExtension(std::string_view ext) {
  struct ByExtension {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr std::array<ByExtension, 18> kByExtension = {{
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template"},
      {"docm", "application/vnd.ms-word.document.macroEnabled.12"},
      {"dotm", "application/vnd.ms-word.template.macroEnabled.12"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"xltx", "application/vnd.openxmlformats-officedocument.spreadsheetml.template"},
      {"xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12"},
      {"xltm", "application/vnd.ms-excel.template.macroEnabled.12"},
      {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"ppsx", "application/vnd.openxmlformats-officedocument.presentationml.slideshow"},
      {"potx", "application/vnd.openxmlformats-officedocument.presentationml.template"},
      {"pptm", "application/vnd.ms-powerpoint.presentation.macroEnabled.12"},
      {"odt", "application/vnd.oasis.opendocument.text"},
      {"ott", "application/vnd.oasis.opendocument.text-template"},
      {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
      {"ots", "application/vnd.oasis.opendocument.spreadsheet-template"},
      {"odp", "application/vnd.oasis.opendocument.presentation"},
      {"otp", "application/vnd.oasis.opendocument.presentation-template"},
  }};
  for (const auto& entry : kByExtension) {
    if (entry.ext == ext) return std::string(entry.type);
  }
  return {};
}

bool IsOoxmlExtension(std::string_view ext) {
  const std::string type = PackageTypeFromExtension(ext);
  return !type.empty() && type.find("opendocument") == std::string::npos;
}

// True when the first line is an mbox separator: "From sender Tue Feb 21 10:04:06 2017" or
// "From - Tue ...". Prose starting with "From " rarely carries a clock time on its first line.
bool LooksLikeMbox(std::string_view bytes, std::string_view ext) {
  if (!StartsWith(bytes, "From ")) return false;
  const std::size_t eol = bytes.find('\n');
  const std::string_view line = bytes.substr(0, std::min<std::size_t>(eol, 1000));
  if (ext == "mbox" || ext == "mbx") return true;
  for (std::size_t i = 0; i + 5 <= line.size(); ++i) {
    const auto digit = [&line](std::size_t at) {
      return std::isdigit(static_cast<unsigned char>(line[at])) != 0;
    };
    if (digit(i) && digit(i + 1) && line[i + 2] == ':' && digit(i + 3) && digit(i + 4)) {
      return true;
    }
  }
  return false;
}

// Counts the RFC 822 header fields at the start of `bytes` that mail software writes. Returns 0
// as soon as a line is neither a header nor a continuation, so prose with a colon does not pass.
int CountMailHeaders(std::string_view bytes) {
  static constexpr std::array<std::string_view, 16> kKnown = {
      "from",        "to",          "cc",           "subject",      "date",         "message-id",
      "received",    "return-path", "mime-version", "content-type", "delivered-to", "reply-to",
      "in-reply-to", "references",  "sender",       "x-mailer"};
  int known = 0;
  std::size_t pos = 0;
  int line_count = 0;
  constexpr int kMaxLines = 200;
  while (pos < bytes.size() && line_count++ < kMaxLines) {
    std::size_t eol = bytes.find('\n', pos);
    if (eol == std::string_view::npos) eol = bytes.size();
    std::string_view line = bytes.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = eol + 1;
    if (line.empty()) break;  // end of the header block
    if (line[0] == ' ' || line[0] == '\t') {
      if (line_count == 1) return 0;
      continue;  // folded header
    }
    const std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon > 76) return 0;
    const std::string_view field = line.substr(0, colon);
    for (char c : field) {
      const auto uc = static_cast<unsigned char>(c);
      if (uc <= 32 || uc >= 127) return 0;
    }
    const std::string lower = ToLower(field);
    if (std::find(kKnown.begin(), kKnown.end(), lower) != kKnown.end()) ++known;
  }
  return known;
}

bool IsZipLike(std::string_view magic_type) {
  return magic_type == "application/zip" || magic_type == kOctetStream ||
         StartsWith(magic_type, "application/vnd.openxmlformats") ||
         StartsWith(magic_type, "application/vnd.oasis.opendocument") ||
         StartsWith(magic_type, "application/vnd.ms-") ||
         magic_type == "application/java-archive" || magic_type == "application/epub+zip";
}

// Normalises a container's claim: lower case, no parameters; empty when malformed.
std::string NormaliseHint(std::string_view hint) {
  const std::size_t semicolon = hint.find(';');
  if (semicolon != std::string_view::npos) hint = hint.substr(0, semicolon);
  while (!hint.empty() && std::isspace(static_cast<unsigned char>(hint.front()))) {
    hint.remove_prefix(1);
  }
  return PlausibleMimetypeMember(hint);
}

// MHTML (a web page saved as MIME, RFC 2557) looks like mail; its name and root type tell it.
bool IsMhtml(std::string_view bytes, std::string_view ext) {
  if (ext != "mht" && ext != "mhtml") return false;
  const std::string head = ToLower(bytes.substr(0, 4096));
  return head.find("multipart/related") != std::string::npos;
}

// Text that is really mail: an mbox, or a message whose header block libmagic did not know.
// HTML and XML never start with "From " or a run of "Field: value" lines, so this is safe for
// every text type.
std::string MailType(std::string_view bytes, std::string_view ext) {
  if (LooksLikeMbox(bytes, ext)) {
    // One message saved with its mbox separator line (a common .eml export) is a message.
    const bool is_single =
        ext != "mbox" && ext != "mbx" && bytes.find("\nFrom ") == std::string_view::npos;
    return is_single ? "message/rfc822" : "application/mbox";
  }
  const int headers = CountMailHeaders(bytes);
  if (headers >= 2 || (headers >= 1 && (ext == "eml" || ext == "msg" || ext == "mht"))) {
    if (IsMhtml(bytes, ext)) return "multipart/related";
    return "message/rfc822";
  }
  return {};
}

// Plain text whose name tells more.
std::string RefinePlainText(std::string type, std::string_view bytes, std::string_view ext) {
  if (StartsWith(bytes, "{\\rtf")) return "text/rtf";
  if (ext == "csv") return "text/csv";
  if (ext == "tsv" || ext == "tab") return "text/tab-separated-values";
  if ((ext == "htm" || ext == "html" || ext == "xhtml") &&
      bytes.substr(0, 4096).find('<') != std::string_view::npos) {
    return "text/html";
  }
  return type;
}

// Outlook, legacy Office and S/MIME types that libmagic misses or lumps together: it names PST
// stores and .msg files alike ("application/vnd.ms-outlook"), calls some OLE2 files only
// "CDFV2", and DER-encoded PKCS #7 "application/octet-stream". Empty when nothing applies.
std::string RefineContainerType(std::string_view type, std::string_view bytes,
                                std::string_view ext) {
  if (StartsWith(bytes, "!BDN")) return "application/vnd.ms-outlook-pst";
  const bool is_ole = StartsWith(bytes, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1");
  if (is_ole && (type == "application/CDFV2" || type == "application/x-ole-storage" ||
                 type == "application/vnd.ms-office" || type == kOctetStream)) {
    if (ext == "msg") return "application/vnd.ms-outlook";
    if (ext == "doc" || ext == "dot") return "application/msword";
    if (ext == "xls" || ext == "xlt") return "application/vnd.ms-excel";
    if (ext == "ppt" || ext == "pps" || ext == "pot") return "application/vnd.ms-powerpoint";
  }
  // DER: a SEQUENCE, then the OID 1.2.840.113549.1.7.2 (signedData) or .3 (envelopedData)
  // within the first bytes.
  if (type == kOctetStream && StartsWith(bytes, "\x30")) {
    static constexpr std::string_view kPkcs7Oid = "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07";
    const std::size_t at = bytes.substr(0, 32).find(kPkcs7Oid);
    if (at != std::string_view::npos && at + kPkcs7Oid.size() < bytes.size()) {
      const char kind = bytes[at + kPkcs7Oid.size()];
      if (kind == '\x02' || kind == '\x03') return "application/pkcs7-mime";
    }
  }
  return {};
}

}  // namespace

std::string DetectMediaType(std::string_view bytes, std::string_view name, std::string_view hint) {
  const std::string ext = Extension(name);
  // libmagic costs about 4 ms a call on an e-mail (most of it regular expressions over text):
  // 40% of a worker's time on a mail corpus. Mail and PDF, the bulk of a leak, are told by their
  // first bytes for almost nothing, and the checks below would reach the same answer.
  if (StartsWith(bytes, "%PDF-")) return "application/pdf";
  if (std::string mail = MailType(bytes, ext); !mail.empty()) return mail;
  std::string type = ThreadCookie().Detect(bytes);
  if (type.empty()) type = FallbackSniff(bytes);

  if (StartsWith(bytes, "PK") && IsZipLike(type)) {
    std::string package = ZipPackageType(bytes);
    if (package.empty() && type == "application/zip") package = PackageTypeFromExtension(ext);
    if (!package.empty()) return package;
  }
  // Password-protected OOXML is an OLE container holding an EncryptionInfo stream; libmagic says
  // "application/encrypted" (or a generic CDF type). Route it to the OOXML extractor by name so
  // it is reported as an encrypted Office document rather than an unknown type.
  if (std::string refined = RefineContainerType(type, bytes, ext); !refined.empty()) {
    return refined;
  }
  if ((type == "application/encrypted" || type == "application/CDFV2" ||
       type == "application/x-ole-storage") &&
      IsOoxmlExtension(ext)) {
    return PackageTypeFromExtension(ext);
  }
  if (StartsWith(type, "text/") || type == "message/rfc822" || type == "message/news") {
    std::string mail = MailType(bytes, ext);
    if (!mail.empty()) return mail;
  }
  if (type == kTextPlain) {
    type = RefinePlainText(std::move(type), bytes, ext);
  } else if (type == "text/xml" && (ext == "htm" || ext == "html" || ext == "xhtml") &&
             bytes.substr(0, 4096).find("<html") != std::string_view::npos) {
    type = "text/html";  // XHTML with an XML declaration
  } else if (type == "text/x-mail" || type == "message/news") {
    type = "message/rfc822";
  } else if (type == "text/csv" && (ext == "tsv" || ext == "tab")) {
    type = "text/tab-separated-values";
  } else if (type == "application/rtf") {
    type = "text/rtf";
  }
  if (type == kTextPlain || type == kOctetStream) {
    std::string claimed = NormaliseHint(hint);
    if (!claimed.empty() && claimed != kTextPlain && claimed != kOctetStream) return claimed;
  }
  return type;
}

std::string_view TypeFamily(std::string_view media_type) {
  const std::string type = ToLower(media_type.substr(0, media_type.find(';')));
  const auto is = [&type](std::string_view prefix) { return StartsWith(type, prefix); };

  if (type == "application/pdf" || type == "application/x-pdf") return "pdf";
  if (type == "message/rfc822" || type == "application/vnd.ms-outlook" ||
      type == "message/x-emlx") {
    return "email";
  }
  if (type == "application/mbox" || type == "application/x-mbox" ||
      type == "application/vnd.ms-outlook-pst") {
    return "mailbox";
  }
  if (type == "application/epub+zip") return "ebook";
  if (type == "application/pkcs7-mime" || type == "application/x-pkcs7-mime") return "signed";
  if (type == "text/csv" || type == "text/tab-separated-values" ||
      is("application/vnd.openxmlformats-officedocument.spreadsheetml") ||
      is("application/vnd.ms-excel") || is("application/vnd.oasis.opendocument.spreadsheet")) {
    return "spreadsheet";
  }
  if (type == "application/msword" || type == "text/rtf" || type == "application/rtf" ||
      is("application/vnd.openxmlformats-officedocument.wordprocessingml") ||
      is("application/vnd.ms-word") || is("application/vnd.oasis.opendocument.text")) {
    return "word";
  }
  if (is("application/vnd.openxmlformats-officedocument.presentationml") ||
      is("application/vnd.ms-powerpoint") ||
      is("application/vnd.oasis.opendocument.presentation")) {
    return "presentation";
  }
  if (type == "text/html" || type == "application/xhtml+xml" || type == "multipart/related") {
    return "html";
  }
  static constexpr std::array<std::string_view, 22> kArchives = {"application/zip",
                                                                 "application/x-zip-compressed",
                                                                 "application/x-tar",
                                                                 "application/gzip",
                                                                 "application/x-gzip",
                                                                 "application/x-bzip2",
                                                                 "application/x-xz",
                                                                 "application/zstd",
                                                                 "application/x-zstd",
                                                                 "application/x-7z-compressed",
                                                                 "application/x-rar",
                                                                 "application/vnd.rar",
                                                                 "application/x-rar-compressed",
                                                                 "application/x-cpio",
                                                                 "application/x-archive",
                                                                 "application/x-iso9660-image",
                                                                 "application/x-compress",
                                                                 "application/x-lzma",
                                                                 "application/x-lzip",
                                                                 "application/x-lz4",
                                                                 "application/java-archive",
                                                                 "application/x-gtar"};
  if (std::find(kArchives.begin(), kArchives.end(), type) != kArchives.end()) return "archive";
  if (is("text/")) return "text";
  if (is("image/")) return "image";
  if (is("audio/")) return "audio";
  if (is("video/")) return "video";
  return "other";
}

}  // namespace trove::extract

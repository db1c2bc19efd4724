#include "extract/ole/embedded_object.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
constexpr std::string_view kPdfMagic = "%PDF";
constexpr std::string_view kZipMagic = "PK\x03\x04";
// Ole10Native's "parsed" layout starts its body with this 16-bit value (MS-OLEDS 2.3.6 calls
// the stream format opaque; every writer seen puts 2 here).
constexpr std::uint16_t kOle10NativeParsed = 2;
// Names and paths in these streams are Windows paths (MAX_PATH is 260); longer ones are garbage.
constexpr std::size_t kMaxNameBytes = 1024;
// CompObj streams are a few hundred bytes.
constexpr std::uint64_t kMaxCompObjBytes = 64 * 1024;
constexpr std::size_t kCompObjHeaderBytes = 28;
constexpr std::uint32_t kClipboardFormatId = 0xFFFFFFFF;
constexpr std::uint32_t kClipboardFormatIdMac = 0xFFFFFFFE;

// Reads little-endian fields from a byte string, refusing (not crashing) at the end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  std::optional<std::uint16_t> U16() {
    if (bytes_.size() - pos_ < 2) return std::nullopt;
    const std::uint16_t value = ReadLe16(bytes_, pos_);
    pos_ += 2;
    return value;
  }
  std::optional<std::uint32_t> U32() {
    if (bytes_.size() - pos_ < 4) return std::nullopt;
    const std::uint32_t value = ReadLe32(bytes_, pos_);
    pos_ += 4;
    return value;
  }
  std::optional<std::string_view> Bytes(std::uint64_t count) {
    if (count > bytes_.size() - pos_) return std::nullopt;
    const std::string_view out = bytes_.substr(pos_, static_cast<std::size_t>(count));
    pos_ += static_cast<std::size_t>(count);
    return out;
  }
  // A NUL-terminated string (the NUL consumed, not returned); nullopt when there is no NUL
  // within `max_bytes`.
  std::optional<std::string_view> CString(std::size_t max_bytes) {
    const std::string_view rest = bytes_.substr(pos_, max_bytes + 1);
    const std::size_t nul = rest.find('\0');
    if (nul == std::string_view::npos) return std::nullopt;
    pos_ += nul + 1;
    return rest.substr(0, nul);
  }
  std::string_view Rest() const { return bytes_.substr(pos_); }
  bool AtEnd() const { return pos_ >= bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

std::string AnsiText(std::string_view bytes) {
  // Office writes these strings in the system's ANSI code page; windows-1252 is the usual one,
  // and valid UTF-8 (some writers) is taken as such.
  return DecodeToUtf8OrDetect(bytes.substr(0, kMaxNameBytes), "windows-1252").text;
}

// The last element of a Windows or Unix path, without control characters.
std::string FileNameOf(std::string_view path) {
  const std::size_t cut = path.find_last_of("\\/");
  if (cut != std::string_view::npos) path.remove_prefix(cut + 1);
  std::string name;
  for (char c : path) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) name += c;
  }
  const std::size_t begin = name.find_first_not_of(' ');
  if (begin == std::string::npos) return {};
  name = name.substr(begin, name.find_last_not_of(' ') - begin + 1);
  if (name == "." || name == "..") return {};
  return name;
}

// An optional UTF-16 string of the Unicode trailer: a 4-byte count of code units, then the units.
std::optional<std::string> Utf16String(ByteReader& reader) {
  const std::optional<std::uint32_t> units = reader.U32();
  if (!units || *units > kMaxNameBytes) return std::nullopt;
  const std::optional<std::string_view> bytes = reader.Bytes(std::uint64_t{*units} * 2);
  if (!bytes) return std::nullopt;
  return Utf16LeToUtf8(*bytes);
}

bool StreamExists(const OleFile& file, std::vector<std::string> path, std::string_view name) {
  path.emplace_back(name);
  return file.Has(path) && !file.IsStorage(path);
}

// What a storage is, when it is a whole document of a format we read.
struct DocumentKind {
  std::string_view extension;
  std::string_view media_type;
};

std::optional<DocumentKind> WholeDocumentKind(const OleFile& file,
                                              const std::vector<std::string>& storage) {
  if (StreamExists(file, storage, "WordDocument")) {
    return DocumentKind{".doc", "application/msword"};
  }
  if (StreamExists(file, storage, "Workbook") || StreamExists(file, storage, "Book")) {
    return DocumentKind{".xls", "application/vnd.ms-excel"};
  }
  if (StreamExists(file, storage, "PowerPoint Document")) {
    return DocumentKind{".ppt", "application/vnd.ms-powerpoint"};
  }
  if (StreamExists(file, storage, "__properties_version1.0")) {
    return DocumentKind{".msg", "application/vnd.ms-outlook"};
  }
  return std::nullopt;
}

// The extension of an Office 2007+ package from its server's ProgID ("Excel.Sheet.12").
std::string_view PackageExtension(std::string_view prog_id) {
  if (prog_id.starts_with("Word.")) return ".docx";
  if (prog_id.starts_with("Excel.")) return ".xlsx";
  if (prog_id.starts_with("PowerPoint.")) return ".pptx";
  return ".zip";
}

std::string JoinPath(const std::vector<std::string>& path) {
  std::string joined;
  for (const std::string& name : path) joined += (joined.empty() ? "" : "/") + name;
  return joined.empty() ? "the root storage" : joined;
}

Status Emit(ChildSink& sink, std::string name, std::string bytes, std::string_view media_type,
            const Limits& limits) {
  if (bytes.size() > limits.max_child_bytes) {
    sink.OnChildFailed(
        name, Status::LimitExceeded("embedded object " + name + " is " +
                                    std::to_string(bytes.size()) + " bytes, over the limit"));
    return Status::Ok();
  }
  return sink.OnChild(
      ChildFile{std::move(name), std::move(bytes), std::string(media_type), std::nullopt});
}

}  // namespace

Result<Ole10NativeFile> ParseOle10Native(std::string_view stream) {
  ByteReader reader(stream);
  const std::optional<std::uint32_t> total = reader.U32();
  if (!total) return Status::Corrupt("Ole10Native stream shorter than its size field");
  // The size counts the bytes after it; some writers round the stream up, none write less.
  if (*total > stream.size() - 4) {
    return Status::Corrupt("Ole10Native stream claims " + std::to_string(*total) +
                           " bytes but holds " + std::to_string(stream.size() - 4));
  }
  ByteReader body(stream.substr(4, *total));
  Ole10NativeFile file;
  const std::optional<std::uint16_t> flags = body.U16();
  if (!flags || *flags != kOle10NativeParsed) {
    // Not the label/path layout: the whole body is the data.
    file.data = stream.substr(4, *total);
    return file;
  }
  const std::optional<std::string_view> label = body.CString(kMaxNameBytes);
  const std::optional<std::string_view> source_path = body.CString(kMaxNameBytes);
  if (!label || !source_path) return Status::Corrupt("Ole10Native label or file path unterminated");
  // Two reserved 16-bit fields, then the temporary path with a 32-bit length (its NUL included).
  if (!body.U16() || !body.U16()) return Status::Corrupt("Ole10Native stream cut after its paths");
  const std::optional<std::uint32_t> temp_path_bytes = body.U32();
  if (!temp_path_bytes || !body.Bytes(*temp_path_bytes)) {
    return Status::Corrupt("Ole10Native temporary path runs past the end of the stream");
  }
  const std::optional<std::uint32_t> data_bytes = body.U32();
  if (!data_bytes) return Status::Corrupt("Ole10Native stream cut before its data size");
  const std::optional<std::string_view> data = body.Bytes(*data_bytes);
  if (!data) {
    return Status::Corrupt("Ole10Native data of " + std::to_string(*data_bytes) +
                           " bytes runs past the end of the stream");
  }
  file.data = *data;
  file.name = FileNameOf(AnsiText(*label));
  if (file.name.empty()) file.name = FileNameOf(AnsiText(*source_path));
  // Newer writers add the temporary path, label and source path in UTF-16 after the data; their
  // names survive characters the ANSI code page lacks.
  ByteReader trailer(body.Rest());
  if (std::optional<std::string> unused_temp = Utf16String(trailer)) {
    const std::optional<std::string> wide_label = Utf16String(trailer);
    const std::optional<std::string> wide_path = Utf16String(trailer);
    std::string wide_name = wide_label ? FileNameOf(*wide_label) : std::string();
    if (wide_name.empty() && wide_path) wide_name = FileNameOf(*wide_path);
    if (!wide_name.empty()) file.name = std::move(wide_name);
  }
  return file;
}

CompObjNames ParseCompObj(std::string_view stream) {
  CompObjNames names;
  ByteReader reader(stream);
  if (!reader.Bytes(kCompObjHeaderBytes)) return names;
  auto length_prefixed = [&reader]() -> std::optional<std::string> {
    const std::optional<std::uint32_t> length = reader.U32();
    if (!length || *length > kMaxNameBytes) return std::nullopt;
    const std::optional<std::string_view> bytes = reader.Bytes(*length);
    if (!bytes) return std::nullopt;
    return SanitizeUtf8(AnsiText(bytes->substr(0, bytes->find('\0'))));
  };
  std::optional<std::string> user_type = length_prefixed();
  if (!user_type) return names;
  names.user_type = std::move(*user_type);
  // The clipboard format: a marker and a format id, or a length-prefixed name.
  const std::optional<std::uint32_t> marker = reader.U32();
  if (!marker) return names;
  if (*marker == kClipboardFormatId || *marker == kClipboardFormatIdMac) {
    if (!reader.U32()) return names;
  } else if (*marker != 0) {
    if (*marker > kMaxNameBytes || !reader.Bytes(*marker)) return names;
  }
  if (std::optional<std::string> prog_id = length_prefixed()) names.prog_id = std::move(*prog_id);
  return names;
}

Status EmitEmbeddedObject(const OleFile& file, const std::vector<std::string>& storage,
                          std::string_view file_bytes, std::string_view stem, const Limits& limits,
                          ChildSink& sink) {
  auto path_of = [&storage](std::string_view name) {
    std::vector<std::string> path = storage;
    path.emplace_back(name);
    return path;
  };
  const std::string stem_name(stem);

  if (StreamExists(file, storage, "\001Ole10Native")) {
    Result<std::string> stream = file.Read(path_of("\001Ole10Native"), limits.max_child_bytes);
    if (!stream.ok()) {
      sink.OnChildFailed(stem_name, stream.status());
      return Status::Ok();
    }
    Result<Ole10NativeFile> native = ParseOle10Native(*stream);
    if (!native.ok()) {
      sink.OnChildFailed(stem_name, Status::Corrupt("embedded object " + stem_name + ": " +
                                                    native.status().message()));
      return Status::Ok();
    }
    std::string name = native->name.empty() ? stem_name + ".bin" : std::move(native->name);
    return Emit(sink, std::move(name), std::string(native->data), "", limits);
  }

  CompObjNames server;
  if (StreamExists(file, storage, "\001CompObj")) {
    Result<std::string> comp_obj = file.Read(path_of("\001CompObj"), kMaxCompObjBytes);
    if (comp_obj.ok()) server = ParseCompObj(*comp_obj);
  }

  if (StreamExists(file, storage, "Package")) {
    Result<std::string> package = file.Read(path_of("Package"), limits.max_child_bytes);
    if (!package.ok()) {
      sink.OnChildFailed(stem_name, package.status());
      return Status::Ok();
    }
    const std::string_view extension =
        std::string_view(*package).starts_with(kZipMagic) ? PackageExtension(server.prog_id) : "";
    return Emit(sink, stem_name + std::string(extension), std::move(package).value(), "", limits);
  }

  if (const std::optional<DocumentKind> kind = WholeDocumentKind(file, storage)) {
    std::string name = stem_name + std::string(kind->extension);
    if (storage.empty() && !file_bytes.empty()) {
      return Emit(sink, std::move(name), std::string(file_bytes), kind->media_type, limits);
    }
    Result<std::string> copy = file.CopyStorage(storage, limits.max_child_bytes);
    if (!copy.ok()) {
      sink.OnChildFailed(std::move(name), copy.status());
      return Status::Ok();
    }
    return Emit(sink, std::move(name), std::move(copy).value(), kind->media_type, limits);
  }

  if (StreamExists(file, storage, "CONTENTS")) {
    Result<std::string> contents = file.Read(path_of("CONTENTS"), limits.max_child_bytes);
    if (!contents.ok()) {
      sink.OnChildFailed(stem_name, contents.status());
      return Status::Ok();
    }
    const bool is_pdf = std::string_view(*contents).starts_with(kPdfMagic);
    return Emit(sink, stem_name + (is_pdf ? ".pdf" : ""), std::move(contents).value(),
                is_pdf ? "application/pdf" : "", limits);
  }

  if (StreamExists(file, storage, "Equation Native")) return Status::Ok();
  std::string what = server.user_type.empty() ? server.prog_id : server.user_type;
  if (!server.user_type.empty() && !server.prog_id.empty()) what += " (" + server.prog_id + ")";
  sink.OnChildSkipped(stem_name, "embedded object in " + JoinPath(storage) + " (" +
                                     (what.empty() ? "unknown server" : what) +
                                     ") holds no file trove reads");
  return Status::Ok();
}

Status EmitEmbeddedCompoundFile(std::string_view bytes, std::string_view stem, const Limits& limits,
                                ChildSink& sink) {
  if (!bytes.starts_with(kOleMagic)) {
    sink.OnChildFailed(std::string(stem), Status::Corrupt("embedded object " + std::string(stem) +
                                                          " is not an OLE compound file"));
    return Status::Ok();
  }
  Result<std::unique_ptr<OleFile>> file = OleFile::Open(bytes);
  if (!file.ok()) {
    sink.OnChildFailed(std::string(stem), Status::Corrupt("embedded object " + std::string(stem) +
                                                          ": " + file.status().message()));
    return Status::Ok();
  }
  return EmitEmbeddedObject(**file, {}, bytes, stem, limits, sink);
}

}  // namespace trove::extract::internal

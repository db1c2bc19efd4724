#include "extract/ole/ole_file.h"

#include <algorithm>
#include <cstring>
#include <ctime>

#include <gsf/gsf-doc-meta-data.h>
#include <gsf/gsf-docprop-vector.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-meta-names.h>
#include <gsf/gsf-msole-utils.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-timestamp.h>
#include <gsf/gsf-utils.h>
#include <unicode/ustring.h>

#include "core/text.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

// Storages nested deeper than this are not copied: real documents nest a few levels, and a
// hostile directory could otherwise recurse without end.
constexpr int kMaxStorageDepth = 32;
constexpr std::size_t kCopyChunkBytes = 64 * 1024;

// Metadata values are cut to this many bytes.
constexpr std::size_t kMaxMetadataBytes = 4096;
// The summary property sets are a few kilobytes; bigger ones are not read.
constexpr gsf_off_t kMaxSummaryStreamBytes = 1 << 20;

struct GObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GsfPtr = std::unique_ptr<T, GObjectUnref>;

void EnsureGsfInitialized() {
  static const bool initialized = [] {
    gsf_init();
    return true;
  }();
  (void)initialized;
}

std::string TakeError(GError* error) {
  if (error == nullptr) return "unknown error";
  std::string message = error->message != nullptr ? error->message : "unknown error";
  g_error_free(error);
  return message;
}

// A one-line, valid UTF-8, bounded metadata value.
std::string CleanValue(std::string_view raw) {
  std::string value = SanitizeUtf8(raw);
  for (char& ch : value) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  const std::size_t begin = value.find_first_not_of(' ');
  if (begin == std::string::npos) return {};
  value = value.substr(begin, value.find_last_not_of(' ') - begin + 1);
  TruncateUtf8(&value, kMaxMetadataBytes);
  return value;
}

std::string StringProperty(GsfDocMetaData* meta, const char* name) {
  GsfDocProp* prop = gsf_doc_meta_data_lookup(meta, name);
  if (prop == nullptr) return {};
  const GValue* value = gsf_doc_prop_get_val(prop);
  if (value == nullptr || !G_VALUE_HOLDS_STRING(value)) return {};
  const char* text = g_value_get_string(value);
  return text == nullptr ? std::string() : CleanValue(text);
}

bool IsStorageEntry(GsfInput* entry) {
  return entry != nullptr && GSF_IS_INFILE(entry) &&
         gsf_infile_num_children(GSF_INFILE(entry)) >= 0;
}

// Copies the children of `from` into `to`, counting stream bytes against `budget`.
Status CopyChildren(GsfInfile* from, GsfOutfile* to, const std::string& path, int depth,
                    std::uint64_t& budget) {
  if (depth > kMaxStorageDepth) {
    return Status::LimitExceeded("storage " + path + " nests deeper than " +
                                 std::to_string(kMaxStorageDepth) + " levels");
  }
  const int count = gsf_infile_num_children(from);
  for (int idx = 0; idx < count; ++idx) {
    const char* raw_name = gsf_infile_name_by_index(from, idx);
    GsfPtr<GsfInput> child(gsf_infile_child_by_index(from, idx));
    if (raw_name == nullptr || !child) {
      return Status::Corrupt("unreadable entry " + std::to_string(idx) + " in storage " + path);
    }
    const std::string name = raw_name;
    const std::string child_path = path.empty() ? name : path + "/" + name;
    const bool is_storage = IsStorageEntry(child.get());
    GsfPtr<GsfOutput> out(gsf_outfile_new_child(to, name.c_str(), is_storage ? TRUE : FALSE));
    if (!out) return Status::Internal("libgsf cannot create " + child_path);
    Status status;
    if (is_storage) {
      guint8 class_id[16];
      if (gsf_infile_msole_get_class_id(GSF_INFILE_MSOLE(child.get()), class_id)) {
        gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(out.get()), class_id);
      }
      status = CopyChildren(GSF_INFILE(child.get()), GSF_OUTFILE(out.get()), child_path, depth + 1,
                            budget);
    } else {
      const gsf_off_t size = gsf_input_size(child.get());
      if (size < 0) {
        status = Status::Corrupt("stream " + child_path + " has no size");
      } else if (static_cast<std::uint64_t>(size) > budget) {
        status =
            Status::LimitExceeded("embedded storage grows over the limit at stream " + child_path);
      } else {
        budget -= static_cast<std::uint64_t>(size);
        gsf_off_t left = size;
        while (status.ok() && left > 0) {
          const auto chunk = static_cast<std::size_t>(
              std::min<gsf_off_t>(left, static_cast<gsf_off_t>(kCopyChunkBytes)));
          const guint8* data = gsf_input_read(child.get(), chunk, nullptr);
          if (data == nullptr) {
            status =
                Status::Corrupt("stream " + child_path + " cannot be read (damaged sector chain)");
          } else if (!gsf_output_write(out.get(), chunk, data)) {
            status = Status::Internal("libgsf cannot write " + child_path);
          }
          left -= static_cast<gsf_off_t>(chunk);
        }
      }
    }
    gsf_output_close(out.get());
    TROVE_RETURN_IF_ERROR(status);
  }
  return Status::Ok();
}

std::optional<std::int64_t> TimeProperty(GsfDocMetaData* meta, const char* name) {
  GsfDocProp* prop = gsf_doc_meta_data_lookup(meta, name);
  if (prop == nullptr) return std::nullopt;
  const GValue* value = gsf_doc_prop_get_val(prop);
  if (value == nullptr || !VAL_IS_GSF_TIMESTAMP(value)) return std::nullopt;
  const auto* stamp = static_cast<const GsfTimestamp*>(g_value_get_boxed(value));
  if (stamp == nullptr || stamp->timet == 0) return std::nullopt;
  return static_cast<std::int64_t>(stamp->timet);
}

}  // namespace

struct OleFile::Impl {
  GsfPtr<GsfInput> input;
  GsfPtr<GsfInfile> root;

  // The entry at `path`, with a reference the caller owns, or null.
  GsfInput* Child(const std::vector<std::string>& path) const {
    if (path.empty()) return GSF_INPUT(g_object_ref(root.get()));
    GsfInput* current = GSF_INPUT(g_object_ref(root.get()));
    for (const std::string& name : path) {
      if (!GSF_IS_INFILE(current)) {
        g_object_unref(current);
        return nullptr;
      }
      GsfInput* next = gsf_infile_child_by_name(GSF_INFILE(current), name.c_str());
      g_object_unref(current);
      if (next == nullptr) return nullptr;
      current = next;
    }
    return current;
  }
};

OleFile::OleFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OleFile::~OleFile() = default;

Result<std::unique_ptr<OleFile>> OleFile::Open(std::string_view bytes) {
  EnsureGsfInitialized();
  auto impl = std::make_unique<Impl>();
  impl->input.reset(gsf_input_memory_new(reinterpret_cast<const guint8*>(bytes.data()),
                                         static_cast<gsf_off_t>(bytes.size()), FALSE));
  if (!impl->input) return Status::Corrupt("not an OLE2 compound file: empty input");
  GError* error = nullptr;
  impl->root.reset(gsf_infile_msole_new(impl->input.get(), &error));
  if (!impl->root) return Status::Corrupt("not an OLE2 compound file: " + TakeError(error));
  if (error != nullptr) g_error_free(error);
  return std::unique_ptr<OleFile>(new OleFile(std::move(impl)));
}

std::vector<std::string> OleFile::List(const std::vector<std::string>& path) const {
  std::vector<std::string> names;
  GsfPtr<GsfInput> entry(impl_->Child(path));
  if (!entry || !GSF_IS_INFILE(entry.get())) return names;
  GsfInfile* storage = GSF_INFILE(entry.get());
  const int count = gsf_infile_num_children(storage);
  for (int idx = 0; idx < count; ++idx) {
    const char* name = gsf_infile_name_by_index(storage, idx);
    if (name != nullptr) names.emplace_back(name);
  }
  return names;
}

bool OleFile::Has(const std::vector<std::string>& path) const {
  GsfPtr<GsfInput> entry(impl_->Child(path));
  return entry != nullptr;
}

bool OleFile::IsStorage(const std::vector<std::string>& path) const {
  GsfPtr<GsfInput> entry(impl_->Child(path));
  return IsStorageEntry(entry.get());
}

Result<std::string> OleFile::CopyStorage(const std::vector<std::string>& path,
                                         std::uint64_t max_bytes) const {
  std::string joined;
  for (const std::string& name : path) joined += (joined.empty() ? "" : "/") + name;
  GsfPtr<GsfInput> entry(impl_->Child(path));
  if (!IsStorageEntry(entry.get())) {
    return Status::NotFound("no storage " + joined + " in the compound file");
  }
  GsfPtr<GsfOutput> sink(gsf_output_memory_new());
  GsfPtr<GsfOutfile> out(gsf_outfile_msole_new(sink.get()));
  if (!sink || !out) return Status::Internal("libgsf cannot create a compound file");
  guint8 class_id[16];
  if (gsf_infile_msole_get_class_id(GSF_INFILE_MSOLE(entry.get()), class_id)) {
    gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(out.get()), class_id);
  }
  std::uint64_t budget = max_bytes;
  Status status = CopyChildren(GSF_INFILE(entry.get()), out.get(), joined, 0, budget);
  // Closing writes the directory and allocation tables into the memory sink.
  const bool is_closed = gsf_output_close(GSF_OUTPUT(out.get()));
  TROVE_RETURN_IF_ERROR(status);
  if (!is_closed) return Status::Internal("libgsf cannot finish the copy of storage " + joined);
  const gsf_off_t size = gsf_output_size(sink.get());
  const guint8* bytes = gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(sink.get()));
  if (size < 0 || (size > 0 && bytes == nullptr)) {
    return Status::Internal("libgsf gave no bytes for the copy of storage " + joined);
  }
  if (static_cast<std::uint64_t>(size) > max_bytes) {
    return Status::LimitExceeded("storage " + joined + " copies to " + std::to_string(size) +
                                 " bytes, over the limit of " + std::to_string(max_bytes));
  }
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

Result<std::string> OleFile::Read(const std::vector<std::string>& path,
                                  std::uint64_t max_bytes) const {
  std::string joined;
  for (const std::string& name : path) joined += (joined.empty() ? "" : "/") + name;
  GsfPtr<GsfInput> entry(impl_->Child(path));
  const bool is_storage =
      entry && GSF_IS_INFILE(entry.get()) && gsf_infile_num_children(GSF_INFILE(entry.get())) >= 0;
  if (!entry || is_storage) {
    return Status::NotFound("no stream " + joined + " in the compound file");
  }
  const gsf_off_t size = gsf_input_size(entry.get());
  if (size < 0) return Status::Corrupt("stream " + joined + " has no size");
  if (static_cast<std::uint64_t>(size) > max_bytes) {
    return Status::LimitExceeded("stream " + joined + " is " + std::to_string(size) +
                                 " bytes, over the limit of " + std::to_string(max_bytes));
  }
  std::string content(static_cast<std::size_t>(size), '\0');
  if (size > 0 && gsf_input_read(entry.get(), static_cast<std::size_t>(size),
                                 reinterpret_cast<guint8*>(content.data())) == nullptr) {
    return Status::Corrupt("stream " + joined + " cannot be read (damaged sector chain)");
  }
  return content;
}

OleSummary OleFile::Summary() const {
  OleSummary summary;
  GsfPtr<GsfDocMetaData> meta(gsf_doc_meta_data_new());
  for (const char* stream : {"\005SummaryInformation", "\005DocumentSummaryInformation"}) {
    GsfPtr<GsfInput> entry(gsf_infile_child_by_name(impl_->root.get(), stream));
    if (!entry || gsf_input_size(entry.get()) > kMaxSummaryStreamBytes) continue;
    GError* error = gsf_doc_meta_data_read_from_msole(meta.get(), entry.get());
    if (error != nullptr) g_error_free(error);
  }
  summary.title = StringProperty(meta.get(), GSF_META_NAME_TITLE);
  summary.author = StringProperty(meta.get(), GSF_META_NAME_INITIAL_CREATOR);
  if (summary.author.empty()) summary.author = StringProperty(meta.get(), GSF_META_NAME_CREATOR);
  summary.created = TimeProperty(meta.get(), GSF_META_NAME_DATE_CREATED);
  summary.modified = TimeProperty(meta.get(), GSF_META_NAME_DATE_MODIFIED);
  const std::pair<const char*, const char*> kFields[] = {
      {"subject", GSF_META_NAME_SUBJECT},
      {"keywords", GSF_META_NAME_KEYWORDS},
      {"last saved by", GSF_META_NAME_LAST_SAVED_BY},
      {"company", GSF_META_NAME_COMPANY},
      {"application", GSF_META_NAME_GENERATOR},
  };
  for (const auto& [label, name] : kFields) {
    std::string value = StringProperty(meta.get(), name);
    if (!value.empty()) summary.metadata.emplace_back(label, std::move(value));
  }
  return summary;
}

std::optional<std::int64_t> FileTimeToUnix(std::uint64_t filetime) {
  constexpr std::uint64_t kTicksPerSecond = 10'000'000;
  constexpr std::int64_t kEpochDelta = 11'644'473'600;  // 1601-01-01 to 1970-01-01
  constexpr std::int64_t k1900 = -2'208'988'800;
  constexpr std::int64_t k2200 = 7'258'118'400;
  if (filetime == 0) return std::nullopt;
  const std::int64_t seconds = static_cast<std::int64_t>(filetime / kTicksPerSecond) - kEpochDelta;
  if (seconds < k1900 || seconds > k2200) return std::nullopt;
  return seconds;
}

std::uint16_t ReadLe16(std::string_view bytes, std::size_t offset) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[offset]) |
                                    (static_cast<unsigned char>(bytes[offset + 1]) << 8));
}

std::uint32_t ReadLe32(std::string_view bytes, std::size_t offset) {
  return static_cast<std::uint32_t>(ReadLe16(bytes, offset)) |
         (static_cast<std::uint32_t>(ReadLe16(bytes, offset + 2)) << 16);
}

std::uint64_t ReadLe64(std::string_view bytes, std::size_t offset) {
  return static_cast<std::uint64_t>(ReadLe32(bytes, offset)) |
         (static_cast<std::uint64_t>(ReadLe32(bytes, offset + 4)) << 32);
}

std::string Utf16LeToUtf8(std::string_view bytes) {
  std::u16string units;
  units.reserve(bytes.size() / 2);
  for (std::size_t pos = 0; pos + 1 < bytes.size(); pos += 2) {
    const char16_t unit = ReadLe16(bytes, pos);
    if (unit == 0) break;
    units.push_back(unit);
  }
  if (units.empty()) return {};
  std::string out(units.size() * 3, '\0');
  int32_t length = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &length, units.data(),
                     static_cast<int32_t>(units.size()), 0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) return {};
  out.resize(static_cast<std::size_t>(length));
  return SanitizeUtf8(out);
}

}  // namespace trove::extract::internal

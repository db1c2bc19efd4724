// Word, Excel and PowerPoint 97-2003 (OLE2 compound files). Debian has no well-kept C/C++
// library for the binary Office formats (libwv is unmaintained and reads Word only), so text
// comes from the packaged helper programs, run with a time and memory limit and no shell
// (helper_program.h): antiword for Word (catdoc when antiword gives up, e.g. on Word 6), xls2csv
// for Excel. catppt misses the text of most PowerPoint files saved by Office 2007 and later, so
// PowerPoint text atoms are read here (MS-PPT records). Metadata and the password-protection
// check come from the compound file itself (ole/ole_file.h), so that an encrypted file is
// reported as such instead of yielding garbage.
//
// Embedded objects become child documents (ole/embedded_object.h): Word keeps each in a storage
// under ObjectPool, Excel in a root storage named MBD and eight hex digits, PowerPoint in
// ExOleObjStg records of its document stream (a compound file of its own, usually
// zlib-compressed). Children are named by storage ("ObjectPool/_1345470949.xls",
// "MBD0003271D.ppt"; PowerPoint's "oleObject1.doc" in record order) unless the object carries a
// file name of its own.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <zlib.h>

#include "core/text.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/legacy/helper_program.h"
#include "extract/ole/embedded_object.h"
#include "extract/ole/ole_file.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

constexpr std::string_view kWordType = "application/msword";
constexpr std::string_view kExcelType = "application/vnd.ms-excel";
constexpr std::string_view kPowerPointType = "application/vnd.ms-powerpoint";

// Word's File Information Block: magic numbers and the fEncrypted bit of its flags word.
constexpr std::uint16_t kWord8Ident = 0xA5EC;
constexpr std::uint16_t kWord6Ident = 0xA5DC;
constexpr std::uint16_t kFibEncrypted = 0x0100;
// BIFF records.
constexpr std::uint16_t kBiffFilePass = 0x002F;
constexpr std::uint16_t kBiffEof = 0x000A;
constexpr int kMaxBiffRecordsScanned = 512;
// PowerPoint records (MS-PPT 2.13.24).
constexpr std::uint16_t kTextCharsAtom = 0x0FA0;
constexpr std::uint16_t kTextBytesAtom = 0x0FA8;
constexpr std::uint16_t kMainMasterContainer = 0x03F8;
constexpr std::uint16_t kCryptSession10Container = 0x2F14;
constexpr std::uint16_t kExOleObjStg = 0x1011;
constexpr std::uint16_t kExOleObjStgCompressed = 1;  // its recInstance
constexpr std::size_t kRecordHeaderBytes = 8;
// Real documents embed a handful of objects; a hostile one may list millions of storages.
constexpr std::size_t kMaxEmbeddedObjects = 1000;
// Deflate cannot expand data more than about 1032 times; a larger claimed size is a lie.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

Status PasswordProtected(std::string_view what, std::string_view name) {
  return Status::Unsupported(std::string(what) + " " + std::string(name) +
                             " is password-protected (encrypted); its text cannot be read");
}

std::string Trimmed(std::string text) {
  const std::size_t end = text.find_last_not_of(" \t\r\n\f");
  text.resize(end == std::string::npos ? 0 : end + 1);
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  return begin == std::string::npos ? std::string() : text.substr(begin);
}

// Runs the helpers in turn until one gives text. The last helper's complaint is the error.
Result<std::string> TextFromHelpers(const std::vector<std::vector<std::string>>& helpers,
                                    const Input& input, bool* is_truncated) {
  HelperLimits limits;
  limits.max_output_bytes = input.limits.max_text_bytes;
  Status last = Status::Unsupported("no helper program for " + std::string(input.media_type));
  for (const auto& argv : helpers) {
    Result<HelperOutput> output = RunHelper(argv, input.bytes, limits);
    if (!output.ok()) {
      last = Status::FromCode(output.status().code(),
                              std::string(input.name) + ": " + output.status().message());
      continue;
    }
    std::string text = Trimmed(SanitizeUtf8(NormalizeNewlines(output->out)));
    if (output->exit_code == 0 && !text.empty()) {
      // Replacing a character cut at the output cap can add a few bytes.
      *is_truncated = TruncateUtf8(&text, input.limits.max_text_bytes) || output->is_truncated;
      return text;
    }
    std::string complaint = Trimmed(SanitizeUtf8(output->err));
    if (complaint.find("ncrypt") != std::string::npos) {
      return Status::Unsupported(std::string(input.name) + " is password-protected (" + argv[0] +
                                 ": " + complaint + ")");
    }
    if (output->exit_code == 0) return std::string();  // a document without text
    last = Status::Corrupt(
        argv[0] + " cannot read " + std::string(input.name) + ": " +
        (complaint.empty() ? "exit code " + std::to_string(output->exit_code) : complaint));
  }
  return last;
}

bool IsWordEncrypted(const OleFile& file) {
  Result<std::string> fib = file.Read({"WordDocument"}, 64ull << 20);
  if (!fib.ok() || fib->size() < 12) return false;
  const std::uint16_t ident = ReadLe16(*fib, 0);
  if (ident != kWord8Ident && ident != kWord6Ident) return false;
  return (ReadLe16(*fib, 0x0A) & kFibEncrypted) != 0;
}

bool IsExcelEncrypted(const OleFile& file, std::uint64_t max_bytes) {
  Result<std::string> book = file.Read({"Workbook"}, max_bytes);
  if (!book.ok()) book = file.Read({"Book"}, max_bytes);
  if (!book.ok()) return false;
  std::size_t pos = 0;
  for (int count = 0; count < kMaxBiffRecordsScanned && pos + 4 <= book->size(); ++count) {
    const std::uint16_t type = ReadLe16(*book, pos);
    const std::uint16_t length = ReadLe16(*book, pos + 2);
    if (type == kBiffFilePass) return true;
    if (type == kBiffEof) return false;
    pos += 4 + length;
  }
  return false;
}

// Reads a CSV line set as xls2csv writes it into tab-separated text, so that quotes and commas
// do not end up in the index; form feeds (sheet breaks) are kept as page breaks.
std::string CsvToText(std::string_view csv) {
  std::string out;
  out.reserve(csv.size());
  bool is_quoted = false;
  for (std::size_t pos = 0; pos < csv.size(); ++pos) {
    const char ch = csv[pos];
    if (is_quoted) {
      if (ch == '"') {
        if (pos + 1 < csv.size() && csv[pos + 1] == '"') {
          out += '"';
          ++pos;
        } else {
          is_quoted = false;
        }
      } else {
        out += ch;
      }
      continue;
    }
    if (ch == '"') {
      is_quoted = true;
    } else if (ch == ',') {
      out += '\t';
    } else {
      out += ch;
    }
  }
  // Empty cells leave runs of tabs; trailing ones say nothing.
  std::string cleaned;
  cleaned.reserve(out.size());
  std::size_t line_start = 0;
  while (line_start <= out.size()) {
    std::size_t end = out.find('\n', line_start);
    if (end == std::string::npos) end = out.size();
    std::string_view line(out.data() + line_start, end - line_start);
    while (!line.empty() && line.back() == '\t') line.remove_suffix(1);
    cleaned.append(line);
    if (end < out.size()) cleaned += '\n';
    line_start = end + 1;
  }
  return cleaned;
}

struct PptText {
  std::string text;
  bool is_encrypted = false;
  bool is_truncated = false;
};

// Walks the record tree of a "PowerPoint Document" stream without recursion. A container
// (version 0xF) is entered when `enter(type)` says so; every other record, and a container not
// entered (its contents skipped whole), goes to `visit(type, version_instance, body, is_whole)`,
// which returns false to stop. A record cut short by the end of the stream is visited with the
// bytes there are (`is_whole` false) and ends the walk.
template <typename Enter, typename Visit>
void WalkPowerPointRecords(std::string_view stream, Enter enter, Visit visit) {
  std::size_t pos = 0;
  while (pos + kRecordHeaderBytes <= stream.size()) {
    const std::uint16_t version_instance = ReadLe16(stream, pos);
    const std::uint16_t type = ReadLe16(stream, pos + 2);
    const std::uint32_t length = ReadLe32(stream, pos + 4);
    const std::size_t body = pos + kRecordHeaderBytes;
    if ((version_instance & 0xF) == 0xF && enter(type)) {
      pos = body;  // descend
      continue;
    }
    const std::size_t available = std::min<std::size_t>(length, stream.size() - body);
    if (!visit(type, version_instance, stream.substr(body, available), available == length)) {
      return;
    }
    if (available < length) return;
    pos = body + length;
  }
}

// The text atoms of the document stream. Masters are skipped whole: their text is "Click to
// edit Master title style" in every file. Slide order is not page order in files saved by
// PowerPoint 2007 and later (outline text sits apart from the slides), so no page breaks are
// made.
PptText ReadPowerPointText(std::string_view stream, std::uint64_t max_text_bytes) {
  PptText result;
  WalkPowerPointRecords(
      stream,
      [](std::uint16_t type) {
        return type != kMainMasterContainer && type != kCryptSession10Container;
      },
      [&](std::uint16_t type, std::uint16_t /*version_instance*/, std::string_view data,
          bool /*is_whole*/) {
        if (type == kCryptSession10Container) {
          result.is_encrypted = true;
          return false;
        }
        std::string piece;
        if (type == kTextCharsAtom) {
          piece = Utf16LeToUtf8(data);
        } else if (type == kTextBytesAtom) {
          piece = DecodeToUtf8OrDetect(data, "windows-1252").text;
        }
        // "*" is the slide-number field placeholder.
        if (piece.empty() || piece == "*") return true;
        for (char& ch : piece) {
          if (ch == '\r' || ch == '\v') ch = '\n';  // paragraph and line breaks in PowerPoint
        }
        if (!result.text.empty()) result.text += '\n';
        result.text += piece;
        if (result.text.size() < max_text_bytes) return true;
        result.is_truncated = TruncateUtf8(&result.text, max_text_bytes);
        return false;
      });
  return result;
}

// One ExOleObjStg record's body, as found in the document stream.
struct OleObjectRecord {
  std::string_view data;
  bool is_compressed = false;
};

// The ExOleObjStg records of a "PowerPoint Document" stream, in stream order (every container
// entered).
std::vector<OleObjectRecord> FindOleObjectRecords(std::string_view stream) {
  std::vector<OleObjectRecord> records;
  WalkPowerPointRecords(
      stream, [](std::uint16_t /*type*/) { return true; },
      [&](std::uint16_t type, std::uint16_t version_instance, std::string_view data,
          bool is_whole) {
        if (!is_whole) return false;  // a truncated record ends the stream
        if (type == kExOleObjStg) {
          records.push_back({data, (version_instance >> 4) == kExOleObjStgCompressed});
        }
        return true;
      });
  return records;
}

// The compound file an ExOleObjStg record holds: as it is, or inflated (MS-PPT 2.10.34: a
// 4-byte decompressed size, then a zlib stream).
Result<std::string> OleObjectBytes(const OleObjectRecord& record, std::string_view name,
                                   std::uint64_t max_bytes) {
  if (!record.is_compressed) return std::string(record.data);
  if (record.data.size() < 4) return Status::Corrupt(std::string(name) + " is cut short");
  const std::uint32_t size = ReadLe32(record.data, 0);
  const std::string_view deflated = record.data.substr(4);
  if (size > max_bytes) {
    return Status::LimitExceeded(std::string(name) + " inflates to " + std::to_string(size) +
                                 " bytes, over the limit");
  }
  if (size > deflated.size() * kMaxDeflateRatio + 64) {
    return Status::Corrupt(std::string(name) + " claims " + std::to_string(size) + " bytes from " +
                           std::to_string(deflated.size()) + " compressed");
  }
  // PowerPoint often ends the stream without zlib's final block marker; the declared size, once
  // reached, is the end (as in POI, which reads that many bytes).
  std::string inflated(size, '\0');
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return Status::Internal("zlib cannot start inflating");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
  stream.avail_in = static_cast<uInt>(deflated.size());
  stream.next_out = reinterpret_cast<Bytef*>(inflated.data());
  stream.avail_out = size;
  const int code = inflate(&stream, Z_FINISH);
  const uLong produced = stream.total_out;
  inflateEnd(&stream);
  if (produced < size && code != Z_STREAM_END) {
    return Status::Corrupt(std::string(name) + " inflates to " + std::to_string(produced) +
                           " of its " + std::to_string(size) + " bytes (zlib: " + zError(code) +
                           ")");
  }
  inflated.resize(produced);
  return inflated;
}

// Counts embedded objects against kMaxEmbeddedObjects; past it, records the cut once.
class ObjectBudget {
 public:
  explicit ObjectBudget(ChildSink& sink) : sink_(sink) {}
  bool Take(std::string_view where) {
    if (count_ < kMaxEmbeddedObjects) {
      ++count_;
      return true;
    }
    if (!is_reported_) {
      sink_.OnChildFailed(std::string(where),
                          Status::LimitExceeded("more than " + std::to_string(kMaxEmbeddedObjects) +
                                                " embedded objects; the rest are not read"));
      is_reported_ = true;
    }
    return false;
  }

 private:
  ChildSink& sink_;
  std::size_t count_ = 0;
  bool is_reported_ = false;
};

// Word's ObjectPool/* and Excel's MBD* storages.
Status EmitStorageObjects(const OleFile& file, bool is_word, const Limits& limits,
                          ChildSink& sink) {
  const std::vector<std::string> parent =
      is_word ? std::vector<std::string>{"ObjectPool"} : std::vector<std::string>{};
  ObjectBudget budget(sink);
  for (const std::string& name : file.List(parent)) {
    if (!is_word && !name.starts_with("MBD")) continue;
    std::vector<std::string> storage = parent;
    storage.push_back(name);
    if (!file.IsStorage(storage)) continue;
    if (!budget.Take(is_word ? "ObjectPool" : name)) break;
    const std::string stem = is_word ? "ObjectPool/" + name : name;
    TROVE_RETURN_IF_ERROR(EmitEmbeddedObject(file, storage, {}, stem, limits, sink));
  }
  return Status::Ok();
}

Status EmitPowerPointObjects(std::string_view stream, const Limits& limits, ChildSink& sink) {
  ObjectBudget budget(sink);
  std::size_t number = 0;
  for (const OleObjectRecord& record : FindOleObjectRecords(stream)) {
    const std::string stem = "oleObject" + std::to_string(++number);
    if (!budget.Take(stem)) break;
    Result<std::string> bytes = OleObjectBytes(record, stem, limits.max_child_bytes);
    if (!bytes.ok()) {
      sink.OnChildFailed(stem, bytes.status());
      continue;
    }
    TROVE_RETURN_IF_ERROR(EmitEmbeddedCompoundFile(*bytes, stem, limits, sink));
  }
  return Status::Ok();
}

class LegacyOfficeExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "legacy-office"; }

  bool Accepts(std::string_view media_type) const override {
    const std::string type = BareMediaType(media_type);
    return type == kWordType || type == kExcelType || type == kPowerPointType;
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    const std::string type = BareMediaType(input.media_type);
    Result<std::unique_ptr<OleFile>> opened = OleFile::Open(input.bytes);
    if (!opened.ok()) {
      return Status::Corrupt(std::string(input.name) + " is not a readable Office 97-2003 file (" +
                             opened.status().message() + ")");
    }
    const OleFile& file = **opened;
    Extraction extraction;
    if (file.Has({"EncryptedPackage"}) || file.Has({"EncryptedSummary"})) {
      return PasswordProtected("Office document", input.name);
    }
    if (type == kWordType) {
      if (IsWordEncrypted(file)) return PasswordProtected("Word document", input.name);
      TROVE_ASSIGN_OR_RETURN(extraction.text,
                             TextFromHelpers({{"antiword", "-m", "UTF-8.txt", "-w", "0"},
                                              {"catdoc", "-d", "utf-8", "-w"}},
                                             input, &extraction.is_truncated));
      TROVE_RETURN_IF_ERROR(EmitStorageObjects(file, /*is_word=*/true, input.limits, children));
    } else if (type == kExcelType) {
      if (IsExcelEncrypted(file, input.limits.max_child_bytes)) {
        return PasswordProtected("Excel workbook", input.name);
      }
      TROVE_ASSIGN_OR_RETURN(std::string csv,
                             TextFromHelpers({{"xls2csv", "-d", "utf-8", "-q", "1"}}, input,
                                             &extraction.is_truncated));
      extraction.text = CsvToText(csv);
      extraction.page_count = static_cast<int>(std::count(csv.begin(), csv.end(), '\f')) + 1;
      TROVE_RETURN_IF_ERROR(EmitStorageObjects(file, /*is_word=*/false, input.limits, children));
    } else {
      Result<std::string> stream = file.Read({"PowerPoint Document"}, input.limits.max_child_bytes);
      if (!stream.ok()) {
        return Status::Corrupt(std::string(input.name) +
                               " has no readable PowerPoint Document stream (" +
                               stream.status().message() + ")");
      }
      PptText ppt = ReadPowerPointText(*stream, input.limits.max_text_bytes);
      if (ppt.is_encrypted) return PasswordProtected("PowerPoint presentation", input.name);
      extraction.text = std::move(ppt.text);
      extraction.is_truncated = ppt.is_truncated;
      TROVE_RETURN_IF_ERROR(EmitPowerPointObjects(*stream, input.limits, children));
    }
    OleSummary summary = file.Summary();
    extraction.title = std::move(summary.title);
    extraction.author = std::move(summary.author);
    extraction.date = summary.modified ? summary.modified : summary.created;
    extraction.metadata = std::move(summary.metadata);
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewLegacyOfficeExtractor() {
  return std::make_unique<LegacyOfficeExtractor>();
}

}  // namespace trove::extract::internal

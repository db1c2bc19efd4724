// Delimited text (CSV, TSV): the cells become tab-separated text, one row a line, so that a
// search hit shows its row; the header row is also kept as metadata "columns".
//
// Fields follow RFC 4180: a field may be quoted, a quoted field may hold delimiters, line breaks
// and doubled quotes (""). A quote inside an unquoted field is kept as a character, and an
// unterminated quote runs to the end of the input; neither is an error, since real exports break
// these rules and the text is still worth indexing.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

// The "columns" metadata value is cut at this size; a header row can be a whole data dump.
constexpr std::size_t kMaxColumnsBytes = 4096;
// The delimiter is guessed from this much of the text.
constexpr std::size_t kSniffBytes = 64 * 1024;

// Of the usual delimiters, the one that occurs most often outside quotes in the first record;
// comma when none does.
char SniffDelimiter(std::string_view text) {
  constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
  std::array<std::size_t, kCandidates.size()> counts{};
  bool in_quotes = false;
  for (const char ch : text.substr(0, kSniffBytes)) {
    if (ch == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    if (ch == '\n' || ch == '\r') break;
    for (std::size_t idx = 0; idx < kCandidates.size(); ++idx) {
      if (ch == kCandidates[idx]) ++counts[idx];
    }
  }
  std::size_t best = 0;
  for (std::size_t idx = 1; idx < kCandidates.size(); ++idx) {
    if (counts[idx] > counts[best]) best = idx;
  }
  return kCandidates[best];
}

// Streams records out of delimited text, one at a time.
class RecordReader {
 public:
  RecordReader(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

  // Fills `fields` with the next record; false at the end of the text.
  bool Next(std::vector<std::string>* fields) {
    fields->clear();
    if (pos_ >= text_.size()) return false;
    std::string field;
    bool in_quotes = false;
    bool is_quoted_field = false;
    while (pos_ < text_.size()) {
      const char ch = text_[pos_++];
      if (in_quotes) {
        if (ch != '"') {
          field += ch;
        } else if (pos_ < text_.size() && text_[pos_] == '"') {
          field += '"';
          ++pos_;
        } else {
          in_quotes = false;
        }
        continue;
      }
      if (ch == '"' && field.empty() && !is_quoted_field) {
        in_quotes = true;
        is_quoted_field = true;
      } else if (ch == delimiter_) {
        fields->push_back(std::move(field));
        field.clear();
        is_quoted_field = false;
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        break;
      } else {
        field += ch;
      }
    }
    fields->push_back(std::move(field));
    return true;
  }

 private:
  std::string_view text_;
  char delimiter_;
  std::size_t pos_ = 0;
};

// A blank line, or a row of empty cells (",,,"): spreadsheets export those as spacing.
bool IsBlank(const std::vector<std::string>& fields) {
  for (const std::string& field : fields) {
    if (field.find_first_not_of(" \t\r\n") != std::string::npos) return false;
  }
  return true;
}

// A cell on one line: its own tabs and line breaks would break the row layout.
void AppendCell(std::string_view cell, std::string* out) {
  for (const char ch : cell) {
    *out += (ch == '\t' || ch == '\n' || ch == '\r') ? ' ' : ch;
  }
}

// The header cells joined by ", ", without the empty cells a spreadsheet leaves at the end.
std::string JoinColumns(const std::vector<std::string>& header) {
  std::size_t count = header.size();
  while (count > 0 && header[count - 1].find_first_not_of(" \t") == std::string::npos) --count;
  std::string columns;
  for (std::size_t idx = 0; idx < count; ++idx) {
    if (idx > 0) columns += ", ";
    AppendCell(header[idx], &columns);
  }
  TruncateUtf8(&columns, kMaxColumnsBytes);
  return columns;
}

class CsvExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "csv"; }

  bool Accepts(std::string_view media_type) const override {
    const std::string type = BareMediaType(media_type);
    return type == "text/csv" || type == "text/x-csv" || type == "application/csv" ||
           type == "text/comma-separated-values" || type == "text/tab-separated-values";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& /*children*/) const override {
    const std::uint64_t max_text = input.limits.max_text_bytes;
    DecodedText decoded =
        DecodeToUtf8OrDetect(input.bytes, CharsetParameter(input.media_type), max_text);
    const char delimiter = BareMediaType(input.media_type) == "text/tab-separated-values"
                               ? '\t'
                               : SniffDelimiter(decoded.text);

    Extraction extraction;
    extraction.is_truncated = decoded.is_truncated;
    RecordReader reader(decoded.text, delimiter);
    std::vector<std::string> fields;
    bool has_header = false;
    std::int64_t rows = 0;
    std::string& text = extraction.text;
    while (reader.Next(&fields)) {
      if (IsBlank(fields)) continue;
      if (!has_header) {
        has_header = true;
        extraction.metadata.emplace_back("columns", JoinColumns(fields));
      } else {
        ++rows;
      }
      for (std::size_t idx = 0; idx < fields.size(); ++idx) {
        if (idx > 0) text += '\t';
        AppendCell(fields[idx], &text);
      }
      text += '\n';
    }
    // Cells only lose characters (quotes), except for the line break added after a last row
    // that lacked one; that byte may cross the limit.
    if (TruncateUtf8(&text, max_text)) extraction.is_truncated = true;
    extraction.metadata.emplace_back("rows", std::to_string(rows));
    extraction.metadata.emplace_back("charset", std::move(decoded.charset));
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewCsvExtractor() { return std::make_unique<CsvExtractor>(); }

}  // namespace trove::extract::internal

#include "analyze/watchlist.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace trove::analyze {
namespace {

// Whitespace runs (line breaks included) become one space, ends trimmed: names are stored one
// per line in the store.
std::string CollapseSpaces(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Adds `name` to `names` unless empty or already there in another case or accent form.
void AddName(std::vector<std::string>* names, std::string_view name) {
  std::string clean = CollapseSpaces(SanitizeUtf8(name));
  if (clean.empty()) return;
  std::string key;
  Token token;
  for (TokenIterator it(clean); it.Next(&token);) key += FoldToken(token.text) + " ";
  if (key.empty()) return;
  for (const std::string& have : *names) {
    std::string have_key;
    for (TokenIterator it(have); it.Next(&token);) have_key += FoldToken(token.text) + " ";
    if (have_key == key) return;
  }
  names->push_back(std::move(clean));
}

void AddEmail(std::vector<std::string>* emails, std::string_view email) {
  std::string clean = CollapseSpaces(SanitizeUtf8(email));
  if (clean.empty() || clean.find('@') == std::string::npos) return;
  if (std::find(emails->begin(), emails->end(), clean) == emails->end()) {
    emails->push_back(std::move(clean));
  }
}

// --- CSV ---------------------------------------------------------------------------------------

struct CsvRecord {
  std::uint64_t line = 0;
  std::vector<std::string> fields;
  std::string error;  // set when the record is malformed
};

// Reads RFC 4180 records one at a time, counting lines (a quoted field may span several).
class CsvReader {
 public:
  CsvReader(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

  // The next record, or nullopt at the end.
  std::optional<CsvRecord> Next() {
    if (pos_ >= text_.size()) return std::nullopt;
    CsvRecord record;
    record.line = line_;
    std::string field;
    bool in_quotes = false, was_quoted = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (in_quotes) {
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field += '"';
            ++pos_;
          } else {
            in_quotes = false;
          }
        } else {
          if (c == '\n') ++line_;
          field += c;
        }
        continue;
      }
      if (c == '"' && field.empty() && !was_quoted) {
        in_quotes = was_quoted = true;
      } else if (c == delimiter_) {
        record.fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        record.fields.push_back(std::move(field));
        return record;
      } else if (was_quoted) {
        // Text after a closing quote: the quoting is broken. Skip to the end of the line.
        record.error = "text after a closing quote";
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        if (pos_ < text_.size()) ++pos_;
        ++line_;
        return record;
      } else {
        field += c;  // a stray quote inside an unquoted field is kept as written
      }
    }
    if (in_quotes) {
      record.error = "quote opened here is never closed";
      return record;
    }
    record.fields.push_back(std::move(field));
    return record;
  }

 private:
  std::string_view text_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

char GuessDelimiter(std::string_view text) {
  const std::string_view header = text.substr(0, text.find('\n'));
  char best = ',';
  std::size_t best_count = 0;
  for (const char candidate : {',', ';', '\t'}) {
    const auto count =
        static_cast<std::size_t>(std::count(header.begin(), header.end(), candidate));
    if (count > best_count) {
      best = candidate;
      best_count = count;
    }
  }
  return best;
}

std::vector<std::string_view> SplitAny(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of(separators, start);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<ParsedWatchList> ParseCsv(std::string_view text) {
  ParsedWatchList out;
  out.format = "csv";
  const char delimiter = GuessDelimiter(text);
  CsvReader reader(text, delimiter);
  std::optional<CsvRecord> header;
  while ((header = reader.Next()) && header->error.empty() && header->fields.size() == 1 &&
         CollapseSpaces(header->fields[0]).empty()) {
  }
  if (!header) return Status::InvalidArgument("the watch list is empty");
  if (!header->error.empty()) {
    return Status::InvalidArgument("line " + std::to_string(header->line) +
                                   ": cannot read the header: " + header->error);
  }
  int name_col = -1, alias_col = -1, type_col = -1, id_col = -1, email_col = -1;
  std::vector<std::string> columns;
  for (std::size_t col = 0; col < header->fields.size(); ++col) {
    const std::string column = Lower(CollapseSpaces(header->fields[col]));
    columns.push_back(column);
    const int idx = static_cast<int>(col);
    if (name_col < 0 && (column == "name" || column == "full_name" || column == "fullname" ||
                         column == "caption")) {
      name_col = idx;
    } else if (alias_col < 0 && (column == "aliases" || column == "alias")) {
      alias_col = idx;
    } else if (type_col < 0 && (column == "type" || column == "schema")) {
      type_col = idx;
    } else if (id_col < 0 && column == "id") {
      id_col = idx;
    } else if (email_col < 0 && (column == "email" || column == "emails")) {
      email_col = idx;
    }
  }
  if (name_col < 0) {
    return Status::InvalidArgument(
        "line " + std::to_string(header->line) + ": the header has no 'name' column (columns: " +
        std::string(text.substr(0, std::min<std::size_t>(text.find('\n'), 200))) + ")");
  }
  // Aliases are split on ';' and '|', or on '|' only when ';' separates the columns.
  const std::string_view alias_separators = delimiter == ';' ? "|" : ";|";
  while (std::optional<CsvRecord> record = reader.Next()) {
    if (!record->error.empty()) {
      out.problems.push_back({record->line, record->error});
      continue;
    }
    if (record->fields.size() == 1 && CollapseSpaces(record->fields[0]).empty()) continue;
    if (record->fields.size() != columns.size()) {
      out.problems.push_back({record->line, std::to_string(record->fields.size()) +
                                                " fields where the header has " +
                                                std::to_string(columns.size())});
      continue;
    }
    WatchEntry entry;
    entry.line = record->line;
    AddName(&entry.names, record->fields[name_col]);
    if (entry.names.empty()) {
      out.problems.push_back({record->line, "no name"});
      continue;
    }
    if (alias_col >= 0) {
      for (std::string_view alias : SplitAny(record->fields[alias_col], alias_separators)) {
        AddName(&entry.names, alias);
      }
    }
    if (email_col >= 0) {
      for (std::string_view email : SplitAny(record->fields[email_col], ";| ")) {
        AddEmail(&entry.emails, email);
      }
    }
    if (type_col >= 0) entry.schema = CollapseSpaces(record->fields[type_col]);
    if (id_col >= 0) entry.id = CollapseSpaces(record->fields[id_col]);
    nlohmann::json fields = nlohmann::json::object();
    for (std::size_t col = 0; col < columns.size(); ++col) {
      const int idx = static_cast<int>(col);
      if (idx == name_col || idx == alias_col || idx == type_col || idx == id_col ||
          idx == email_col || columns[col].empty()) {
        continue;
      }
      const std::string value = CollapseSpaces(SanitizeUtf8(record->fields[col]));
      if (!value.empty()) fields[columns[col]] = value;
    }
    entry.fields_json = fields.dump();
    out.entries.push_back(std::move(entry));
  }
  return out;
}

// --- FollowTheMoney JSON lines -----------------------------------------------------------------

// The strings of property `name` (FtM values are arrays of strings; a lone string is accepted).
std::vector<std::string> Strings(const nlohmann::json& properties, const char* name) {
  std::vector<std::string> out;
  const auto it = properties.find(name);
  if (it == properties.end()) return out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    for (const auto& value : *it) {
      if (value.is_string()) out.push_back(value.get<std::string>());
    }
  }
  return out;
}

ParsedWatchList ParseFtm(std::string_view text) {
  ParsedWatchList out;
  out.format = "ftm";
  std::uint64_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (CollapseSpaces(line).empty()) continue;
    const nlohmann::json entity = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (entity.is_discarded()) {
      out.problems.push_back({line_number, "not valid JSON"});
      continue;
    }
    if (!entity.is_object() || !entity.contains("properties") ||
        !entity["properties"].is_object()) {
      out.problems.push_back({line_number, "not a FollowTheMoney entity (no \"properties\")"});
      continue;
    }
    const nlohmann::json& properties = entity["properties"];
    WatchEntry entry;
    entry.line = line_number;
    if (entity.contains("id") && entity["id"].is_string()) entry.id = entity["id"];
    if (entity.contains("schema") && entity["schema"].is_string()) entry.schema = entity["schema"];
    for (const std::string& name : Strings(properties, "name")) AddName(&entry.names, name);
    if (entry.names.empty()) {
      // Sanctions, ownerships, addresses... have no name by nature; an entity that should have
      // one is a problem.
      if (!entry.schema.empty()) {
        ++out.skipped;
      } else {
        out.problems.push_back({line_number, "no name"});
      }
      continue;
    }
    for (const char* property : {"alias", "previousName"}) {
      for (const std::string& alias : Strings(properties, property)) AddName(&entry.names, alias);
    }
    for (const std::string& email : Strings(properties, "email")) AddEmail(&entry.emails, email);
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, value] : properties.items()) {
      if (key == "name" || key == "alias" || key == "previousName" || key == "email") continue;
      fields[key] = value;
    }
    entry.fields_json = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out.entries.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

std::string WatchListFormatOfName(std::string_view file_name) {
  const std::string ext = std::filesystem::path(file_name).extension().string();
  if (ext == ".json" || ext == ".jsonl" || ext == ".ndjson" || ext == ".ftm") return "ftm";
  if (ext == ".csv" || ext == ".tsv") return "csv";
  return "";
}

Result<ParsedWatchList> ParseWatchList(std::string_view bytes, std::string_view format) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  std::string_view chosen = format;
  if (chosen.empty()) {
    const std::size_t first = bytes.find_first_not_of(" \t\r\n");
    chosen = first != std::string_view::npos && bytes[first] == '{' ? "ftm" : "csv";
  }
  if (chosen == "csv") return ParseCsv(bytes);
  if (chosen == "ftm" || chosen == "json") return ParseFtm(bytes);
  return Status::InvalidArgument("unknown watch-list format '" + std::string(format) +
                                 "' (csv or ftm)");
}

}  // namespace trove::analyze

#include "extract/office/office_common.h"

#include <cctype>
#include <string>
#include <utility>

#include "core/text.h"
#include "extract/ole/embedded_object.h"

namespace trove::extract::internal {
namespace {

constexpr std::size_t kMaxMetadataValueBytes = 4096;
constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

// Cuts `s` to at most `max_bytes` without splitting a UTF-8 sequence.
void TruncateUtf8(std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Reads exactly `digits` decimal digits at `pos`.
bool ReadNumber(std::string_view text, std::size_t& pos, int digits, int& value) {
  if (pos + static_cast<std::size_t>(digits) > text.size()) return false;
  value = 0;
  for (int i = 0; i < digits; ++i) {
    const char c = text[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(digits);
  return true;
}

bool Expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

void TextBuilder::Append(std::string_view s) {
  if (is_truncated_ || s.empty()) return;
  const std::uint64_t room = max_bytes_ - text_.size();
  if (s.size() > room) {
    // Cut at a character boundary: s[cut] exists because s is longer than the room left.
    auto cut = static_cast<std::size_t>(room);
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    text_.append(s.substr(0, cut));
    is_truncated_ = true;
    return;
  }
  text_.append(s);
}

void TextBuilder::Separate(char c) {
  if (text_.empty()) return;
  const char last = text_.back();
  if (last == c || last == '\n' || last == '\f') return;
  Append(c);
}

void TextBuilder::TrimTrailing(std::string_view chars) {
  while (!text_.empty() && chars.find(text_.back()) != std::string_view::npos) text_.pop_back();
}

std::string TextBuilder::Finish() {
  // A cut in the middle of a multi-byte sequence is repaired by sanitising first, then cutting
  // again at a character boundary (U+FFFD may have made it longer).
  std::string out = SanitizeUtf8(text_);
  text_.clear();
  if (out.size() > max_bytes_) {
    std::size_t cut = static_cast<std::size_t>(max_bytes_);
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    is_truncated_ = true;
  }
  // Trailing page breaks stay: an empty last slide is still a page.
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) {
    out.pop_back();
  }
  return out;
}

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_attribute AttributeByLocalName(const pugi::xml_node& node, std::string_view local_name) {
  for (const pugi::xml_attribute& attribute : node.attributes()) {
    std::string_view name = attribute.name();
    const std::size_t colon = name.find(':');
    if (colon != std::string_view::npos) name.remove_prefix(colon + 1);
    if (name == local_name) return attribute;
  }
  return {};
}

Status ParseXml(std::string_view xml, std::string_view member, pugi::xml_document& doc) {
  // parse_ws_pcdata_single keeps <w:t xml:space="preserve"> </w:t>, a lone space between words,
  // without keeping the indentation between elements. Without parse_doctype the DOCTYPE is
  // skipped and no custom entity is ever expanded (no billion laughs, no XXE).
  constexpr unsigned kOptions =
      (pugi::parse_default | pugi::parse_ws_pcdata_single) & ~pugi::parse_eol;
  const pugi::xml_parse_result result =
      doc.load_buffer(xml.data(), xml.size(), kOptions, pugi::encoding_auto);
  if (!result) {
    return Status::Corrupt(std::string(member) + ": " + result.description() + " at offset " +
                           std::to_string(result.offset));
  }
  return Status::Ok();
}

std::optional<std::int64_t> ParseIsoDateTime(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadNumber(text, pos, 4, year) || !Expect(text, pos, '-') ||
      !ReadNumber(text, pos, 2, month) || !Expect(text, pos, '-') ||
      !ReadNumber(text, pos, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  std::int64_t offset_seconds = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!ReadNumber(text, pos, 2, hour) || !Expect(text, pos, ':') ||
        !ReadNumber(text, pos, 2, minute)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadNumber(text, pos, 2, second)) return std::nullopt;
    }
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    }
    if (hour > 24 || minute > 59 || second > 60) return std::nullopt;
    if (pos < text.size()) {
      const char zone = text[pos++];
      if (zone == 'Z' || zone == 'z') {
        if (pos != text.size()) return std::nullopt;
      } else if (zone == '+' || zone == '-') {
        int zone_hours = 0, zone_minutes = 0;
        if (!ReadNumber(text, pos, 2, zone_hours)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (pos < text.size() && !ReadNumber(text, pos, 2, zone_minutes)) return std::nullopt;
        if (pos != text.size() || zone_hours > 23 || zone_minutes > 59) return std::nullopt;
        offset_seconds = (zone_hours * 3600 + zone_minutes * 60) * (zone == '+' ? 1 : -1);
      } else {
        return std::nullopt;
      }
    }
  }
  const std::int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
}

std::optional<std::int64_t> PlausibleDate(std::optional<std::int64_t> date) {
  constexpr std::int64_t k1900 = -2208988800;  // 1900-01-01T00:00:00Z
  if (date && *date < k1900) return std::nullopt;
  return date;
}

std::string MetadataValue(const pugi::xml_node& node) {
  std::string value;
  WalkXml(
      node,
      [&value](const pugi::xml_node& child) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
          if (value.size() < kMaxMetadataValueBytes) value += child.value();
          return false;
        }
        return value.size() < kMaxMetadataValueBytes;
      },
      [](const pugi::xml_node&) {});
  value = SanitizeUtf8(value);
  for (char& c : value) {
    if (c == '\n' || c == '\r' || c == '\t' || c == '\f') c = ' ';
  }
  TruncateUtf8(value, kMaxMetadataValueBytes);
  const std::size_t first = value.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  const std::size_t last = value.find_last_not_of(' ');
  return value.substr(first, last - first + 1);
}

std::string ResolvePartPath(std::string_view source_part, std::string_view target) {
  std::vector<std::string> segments;
  if (!target.empty() && target.front() == '/') {
    target.remove_prefix(1);
  } else {
    const std::size_t slash = source_part.rfind('/');
    if (slash != std::string_view::npos) {
      std::string_view folder = source_part.substr(0, slash);
      while (!folder.empty()) {
        const std::size_t next = folder.find('/');
        segments.emplace_back(folder.substr(0, next));
        if (next == std::string_view::npos) break;
        folder.remove_prefix(next + 1);
      }
    }
  }
  while (!target.empty()) {
    const std::size_t next = target.find('/');
    const std::string_view segment = target.substr(0, next);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.emplace_back(segment);
    }
    if (next == std::string_view::npos) break;
    target.remove_prefix(next + 1);
  }
  std::string path;
  for (const std::string& segment : segments) {
    if (!path.empty()) path.push_back('/');
    path += segment;
  }
  return path;
}

std::vector<Relationship> ParseRelationships(const pugi::xml_document& rels,
                                             std::string_view source_part) {
  std::vector<Relationship> out;
  const pugi::xml_node root = rels.document_element();
  for (const pugi::xml_node& node : root.children()) {
    if (LocalName(node) != "Relationship") continue;
    Relationship relationship;
    relationship.id = node.attribute("Id").value();
    relationship.type = node.attribute("Type").value();
    const std::string_view mode = node.attribute("TargetMode").value();
    if (mode != "External") {
      relationship.target = ResolvePartPath(source_part, node.attribute("Target").value());
    }
    out.push_back(std::move(relationship));
  }
  return out;
}

std::string RelationshipsPartFor(std::string_view source_part) {
  const std::size_t slash = source_part.rfind('/');
  if (slash == std::string_view::npos) return "_rels/" + std::string(source_part) + ".rels";
  return std::string(source_part.substr(0, slash)) + "/_rels/" +
         std::string(source_part.substr(slash + 1)) + ".rels";
}

Status ReadXml(ZipPackage& package, const std::string& part, pugi::xml_document& doc) {
  Result<std::string> bytes = package.Read(part);
  if (!bytes.ok()) return bytes.status();
  return ParseXml(*bytes, part, doc);
}

Result<bool> ReadOptionalXml(ZipPackage& package, const std::string& part,
                             pugi::xml_document& doc) {
  Status status = ReadXml(package, part, doc);
  if (status.ok()) return true;
  if (status.Is(StatusCode::kLimitExceeded)) return status;
  return false;
}

Status EmitEmbeddedPart(ZipPackage& package, const std::string& part, const Limits& limits,
                        ChildSink& sink) {
  Result<std::string> bytes = package.Read(part, limits.max_child_bytes);
  if (!bytes.ok()) {
    sink.OnChildFailed(part, bytes.status());
    return Status::Ok();
  }
  if (!std::string_view(*bytes).starts_with(kOleMagic)) {
    return sink.OnChild(ChildFile{part, std::move(bytes).value(), "", std::nullopt});
  }
  // The stem keeps the folder and drops the extension, which says nothing (".bin").
  const std::size_t slash = part.rfind('/');
  const std::size_t dot = part.rfind('.');
  const bool has_extension =
      dot != std::string::npos && (slash == std::string::npos || dot > slash);
  return EmitEmbeddedCompoundFile(*bytes, has_extension ? part.substr(0, dot) : part, limits, sink);
}

}  // namespace trove::extract::internal

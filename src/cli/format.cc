#include "cli/format.h"

#include <cmath>
#include <ctime>

namespace trove::cli {

std::string IsoDate(std::optional<std::int64_t> seconds) {
  if (!seconds) return {};
  const std::time_t t = static_cast<std::time_t>(*seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string HumanBytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000 && unit < 4) {
    value /= 1000;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", value, kUnits[unit]);
  return buf;
}

std::string HumanDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto total = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (total >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  } else if (total >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm %02lds", total / 60, total % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld s", total);
  }
  return buf;
}

nlohmann::json DocumentJson(const index::StoredDocument& doc, bool with_text) {
  const DocumentRecord& r = doc.record;
  const Extraction& ex = r.extraction;
  nlohmann::json paths = nlohmann::json::array();
  for (const Occurrence& occ : doc.occurrences) {
    paths.push_back({{"path", occ.path}, {"parent", occ.parent_id}});
  }
  nlohmann::json metadata = nlohmann::json::object();
  for (const auto& [key, value] : ex.metadata) metadata[key] = value;
  nlohmann::json out = {
      {"id", r.id},
      {"path", r.occurrence.path},
      {"paths", paths},
      {"parent", r.occurrence.parent_id},
      {"name", r.name},
      {"title", ex.title},
      {"type", r.type},
      {"media_type", r.media_type},
      {"size", r.size},
      {"date", IsoDate(ex.date)},
      {"lang", r.lang},
      {"state", std::string(DocStateName(r.state))},
      {"reason", r.reason},
      {"author", ex.author},
      {"pages", ex.page_count},
      {"from", ex.from},
      {"to", ex.to},
      {"cc", ex.cc},
      {"bcc", ex.bcc},
      {"message_id", ex.message_id},
      {"in_reply_to", ex.in_reply_to},
      {"references", ex.references},
      {"metadata", metadata},
      {"is_truncated", ex.is_truncated},
      {"ocr", {{"state", std::string(OcrStateName(r.ocr.state))},
               {"pages", r.ocr.pages},
               {"mean_confidence", r.ocr.mean_confidence},
               {"languages", r.ocr.languages},
               {"reason", r.ocr.reason}}},
  };
  if (with_text) {
    out["text"] = ex.text;
    nlohmann::json mentions = nlohmann::json::array();
    for (const EntityMention& m : r.entities) {
      mentions.push_back({{"type", m.type}, {"value", m.value}, {"begin", m.begin}, {"end", m.end}});
    }
    out["entities"] = std::move(mentions);
  }
  return out;
}

}  // namespace trove::cli

#include "core/document.h"

#include <nlohmann/json.hpp>

namespace trove {

std::string_view DocStateName(DocState state) {
  switch (state) {
    case DocState::kIndexed:
      return "indexed";
    case DocState::kFailed:
      return "failed";
    case DocState::kSkipped:
      return "skipped";
  }
  return "unknown";
}

std::string_view OcrStateName(OcrInfo::State state) {
  switch (state) {
    case OcrInfo::State::kNone:
      return "none";
    case OcrInfo::State::kQueued:
      return "queued";
    case OcrInfo::State::kDone:
      return "done";
    case OcrInfo::State::kFailed:
      return "failed";
  }
  return "unknown";
}

// Short keys keep the encoding small: it is stored once per document in the index.
std::string EncodeRecord(const DocumentRecord& record, bool with_text) {
  using nlohmann::json;
  const Extraction& ex = record.extraction;
  json j = {
      {"id", record.id},
      {"src", record.occurrence.source_key},
      {"path", record.occurrence.path},
      {"par", record.occurrence.parent_id},
      {"name", record.name},
      {"mt", record.media_type},
      {"type", record.type},
      {"size", record.size},
      {"st", static_cast<int>(record.state)},
      {"why", record.reason},
      {"lang", record.lang},
      {"title", ex.title},
      {"auth", ex.author},
      {"pages", ex.page_count},
      {"trunc", ex.is_truncated},
      {"from", ex.from},
      {"to", ex.to},
      {"cc", ex.cc},
      {"bcc", ex.bcc},
      {"mid", ex.message_id},
      {"irt", ex.in_reply_to},
      {"refs", ex.references},
      {"meta", ex.metadata},
  };
  if (record.mtime) j["mtime"] = *record.mtime;
  if (ex.date) j["date"] = *ex.date;
  if (with_text) j["text"] = ex.text;
  if (!record.entities.empty()) {
    json entities = json::array();
    for (const EntityMention& m : record.entities) {
      entities.push_back(json::array({m.type, m.value, m.begin, m.end}));
    }
    j["ents"] = std::move(entities);
  }
  if (record.ocr.state != OcrInfo::State::kNone) {
    const OcrInfo& ocr = record.ocr;
    j["ocr"] = json::array({static_cast<int>(ocr.state), ocr.pages, ocr.mean_confidence,
                            ocr.languages, ocr.reason});
  }
  const std::vector<std::uint8_t> bytes = json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

Result<DocumentRecord> DecodeRecord(std::string_view bytes) {
  using nlohmann::json;
  try {
    const json j = json::from_msgpack(bytes.begin(), bytes.end());
    DocumentRecord record;
    record.id = j.at("id").get<std::string>();
    record.occurrence.source_key = j.at("src").get<std::string>();
    record.occurrence.path = j.at("path").get<std::string>();
    record.occurrence.parent_id = j.at("par").get<std::string>();
    record.name = j.at("name").get<std::string>();
    record.media_type = j.at("mt").get<std::string>();
    record.type = j.at("type").get<std::string>();
    record.size = j.at("size").get<std::uint64_t>();
    const int state = j.at("st").get<int>();
    if (state < 0 || state > static_cast<int>(DocState::kSkipped)) {
      return Status::Corrupt("record " + record.id + ": bad state " + std::to_string(state));
    }
    record.state = static_cast<DocState>(state);
    record.reason = j.at("why").get<std::string>();
    record.lang = j.at("lang").get<std::string>();
    if (j.contains("mtime")) record.mtime = j.at("mtime").get<std::int64_t>();
    Extraction& ex = record.extraction;
    ex.title = j.at("title").get<std::string>();
    ex.author = j.at("auth").get<std::string>();
    ex.page_count = j.at("pages").get<int>();
    ex.is_truncated = j.at("trunc").get<bool>();
    ex.from = j.at("from").get<std::vector<std::string>>();
    ex.to = j.at("to").get<std::vector<std::string>>();
    ex.cc = j.at("cc").get<std::vector<std::string>>();
    ex.bcc = j.at("bcc").get<std::vector<std::string>>();
    ex.message_id = j.at("mid").get<std::string>();
    ex.in_reply_to = j.at("irt").get<std::string>();
    ex.references = j.at("refs").get<std::vector<std::string>>();
    ex.metadata = j.at("meta").get<std::vector<std::pair<std::string, std::string>>>();
    if (j.contains("date")) ex.date = j.at("date").get<std::int64_t>();
    if (j.contains("text")) ex.text = j.at("text").get<std::string>();
    if (j.contains("ents")) {
      for (const json& m : j.at("ents")) {
        record.entities.push_back(
            EntityMention{m.at(0).get<std::string>(), m.at(1).get<std::string>(),
                          m.at(2).get<std::uint64_t>(), m.at(3).get<std::uint64_t>()});
      }
    }
    if (j.contains("ocr")) {
      const json& ocr = j.at("ocr");
      const int ocr_state = ocr.at(0).get<int>();
      if (ocr_state < 0 || ocr_state > static_cast<int>(OcrInfo::State::kFailed)) {
        return Status::Corrupt("record " + record.id + ": bad OCR state " +
                               std::to_string(ocr_state));
      }
      record.ocr.state = static_cast<OcrInfo::State>(ocr_state);
      record.ocr.pages = ocr.at(1).get<std::vector<int>>();
      record.ocr.mean_confidence = ocr.at(2).get<double>();
      record.ocr.languages = ocr.at(3).get<std::string>();
      record.ocr.reason = ocr.at(4).get<std::string>();
    }
    return record;
  } catch (const json::exception& e) {
    return Status::Corrupt(std::string("document record: ") + e.what());
  }
}

}  // namespace trove

#include "pipeline/internal/worker.h"

#include <algorithm>
#include <new>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "analyze/language.h"
#include "analyze/mentions.h"
#include "core/file.h"
#include "core/hash.h"
#include "extract/ocr.h"
#include "index/index.h"
#include "pipeline/internal/finding_sink.h"
#include "pipeline/internal/protocol.h"

namespace trove::pipeline::internal {

using nlohmann::json;

std::string EncodeTask(const Task& task) {
  const auto bytes =
      json::to_msgpack(json{{"key", task.source_key}, {"path", task.path}, {"skip", task.skip}});
  return std::string(bytes.begin(), bytes.end());
}

Result<Task> DecodeTask(std::string_view payload) {
  try {
    const json j = json::from_msgpack(payload.begin(), payload.end());
    return Task{j.at("key").get<std::string>(), j.at("path").get<std::string>(),
                j.at("skip").get<std::vector<std::string>>()};
  } catch (const json::exception& e) {
    return Status::Corrupt(std::string("task message: ") + e.what());
  }
}

std::string EncodeOcrTask(const OcrTask& t) {
  const auto bytes = json::to_msgpack(
      json{{"merge", t.kind == OcrTask::Kind::kMerge},
           {"id", t.doc_id},
           {"path", t.source_path},
           {"chain", t.chain},
           {"mt", t.media_type},
           {"langs", t.languages},
           {"page", t.page},
           {"rec", json::binary(std::vector<std::uint8_t>(t.record.begin(), t.record.end()))},
           {"pages", t.pages},
           {"texts", t.texts},
           {"confs", t.confidences},
           {"fails", t.failures}});
  return std::string(bytes.begin(), bytes.end());
}

Result<OcrTask> DecodeOcrTask(std::string_view payload) {
  try {
    const json j = json::from_msgpack(payload.begin(), payload.end());
    OcrTask t;
    t.kind = j.at("merge").get<bool>() ? OcrTask::Kind::kMerge : OcrTask::Kind::kPage;
    t.doc_id = j.at("id").get<std::string>();
    t.source_path = j.at("path").get<std::string>();
    t.chain = j.at("chain").get<std::string>();
    t.media_type = j.at("mt").get<std::string>();
    t.languages = j.at("langs").get<std::string>();
    t.page = j.at("page").get<int>();
    const auto& record = j.at("rec").get_binary();
    t.record.assign(record.begin(), record.end());
    t.pages = j.at("pages").get<std::vector<int>>();
    t.texts = j.at("texts").get<std::vector<std::string>>();
    t.confidences = j.at("confs").get<std::vector<int>>();
    t.failures = j.at("fails").get<std::vector<std::string>>();
    if (t.texts.size() != t.pages.size() || t.confidences.size() != t.pages.size()) {
      return Status::Corrupt("OCR task message: page lists differ in length");
    }
    return t;
  } catch (const json::exception& e) {
    return Status::Corrupt(std::string("OCR task message: ") + e.what());
  }
}

std::string EncodeOcrPage(const OcrPageResult& r) {
  const auto bytes = json::to_msgpack(json{{"id", r.doc_id},
                                           {"page", r.page},
                                           {"text", r.text},
                                           {"conf", r.confidence},
                                           {"err", r.error}});
  return std::string(bytes.begin(), bytes.end());
}

Result<OcrPageResult> DecodeOcrPage(std::string_view payload) {
  try {
    const json j = json::from_msgpack(payload.begin(), payload.end());
    return OcrPageResult{j.at("id").get<std::string>(), j.at("page").get<int>(),
                         j.at("text").get<std::string>(), j.at("conf").get<int>(),
                         j.at("err").get<std::string>()};
  } catch (const json::exception& e) {
    return Status::Corrupt(std::string("OCR page message: ") + e.what());
  }
}

std::string EncodeBegin(const Begin& b) {
  const auto bytes = json::to_msgpack(json{{"chain", b.chain},
                                           {"id", b.id},
                                           {"par", b.parent_id},
                                           {"name", b.name},
                                           {"mt", b.media_type},
                                           {"size", b.size}});
  return std::string(bytes.begin(), bytes.end());
}

Result<Begin> DecodeBegin(std::string_view payload) {
  try {
    const json j = json::from_msgpack(payload.begin(), payload.end());
    return Begin{j.at("chain").get<std::string>(), j.at("id").get<std::string>(),
                 j.at("par").get<std::string>(),   j.at("name").get<std::string>(),
                 j.at("mt").get<std::string>(),    j.at("size").get<std::uint64_t>()};
  } catch (const json::exception& e) {
    return Status::Corrupt(std::string("begin message: ") + e.what());
  }
}

std::string EncodeDocument(const DocumentRecord& record, const std::string& blob) {
  const std::string head = EncodeRecord(record, /*with_text=*/false);
  std::string out;
  out.reserve(4 + head.size() + blob.size());
  const auto len = static_cast<std::uint32_t>(head.size());
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((len >> shift) & 0xFF);
  out += head;
  out += blob;
  return out;
}

Result<std::pair<DocumentRecord, std::string>> DecodeDocument(std::string_view payload) {
  if (payload.size() < 4) return Status::Corrupt("document message too short");
  std::uint32_t len = 0;
  for (int i = 0; i < 4; ++i)
    len |= static_cast<std::uint32_t>(static_cast<unsigned char>(payload[i])) << (8 * i);
  if (payload.size() - 4 < len) return Status::Corrupt("document message truncated");
  TROVE_ASSIGN_OR_RETURN(DocumentRecord record, DecodeRecord(payload.substr(4, len)));
  return std::pair{std::move(record), std::string(payload.substr(4 + len))};
}

Result<std::string> PrepareStub(DocumentRecord record) {
  record.type = extract::TypeFamily(record.media_type);
  TROVE_ASSIGN_OR_RETURN(index::PreparedDocument prepared, index::PrepareDocument(record));
  return std::move(prepared.blob);
}

namespace {

// A document's place while it is being extracted.
struct Place {
  std::string chain;
  std::string name;
  std::string parent_id;
  std::string hint;  // media type claimed by the container
  std::optional<std::int64_t> mtime;
  int depth = 0;
};

class Worker;

// Sends each child back through the worker as soon as the extractor finds it, and enforces the
// per-source limits that stop archive bombs.
class RecursingSink final : public extract::ChildSink {
 public:
  RecursingSink(Worker& worker, const Place& parent, const std::string& parent_id)
      : worker_(worker), parent_(parent), parent_id_(parent_id) {}
  Status OnChild(ChildFile child) override;
  void OnChildFailed(std::string name, Status why) override;
  void OnChildSkipped(std::string name, std::string reason) override;

 private:
  // Records a child that is not extracted, in `state`, for `reason`.
  void Record(std::string name, DocState state, std::string reason);

  Worker& worker_;
  const Place& parent_;
  const std::string& parent_id_;
};

class Worker {
 public:
  Worker(int in_fd, int out_fd, const IngestOptions& options)
      : in_fd_(in_fd),
        out_fd_(out_fd),
        options_(options),
        registry_(options.registry_factory ? options.registry_factory()
                                           : extract::Registry::CreateDefault()) {}

  int Run() {
    while (true) {
      auto frame = ReadFrame(in_fd_);
      if (!frame.ok() || !frame->has_value()) return 0;  // the supervisor is gone or done
      if ((*frame)->type == MessageType::kOcrTask) {
        auto ocr_task = DecodeOcrTask((*frame)->payload);
        if (!ocr_task.ok()) return 2;
        if (!RunOcrTask(*ocr_task).ok()) return 1;
        if (!WriteFrame(out_fd_, MessageType::kDone, {}).ok()) return 1;
        continue;
      }
      if ((*frame)->type != MessageType::kTask) return 2;
      auto task = DecodeTask((*frame)->payload);
      if (!task.ok()) return 2;
      task_ = std::move(task).value();
      children_ = 0;
      expanded_bytes_ = 0;
      if (!ProcessSource().ok()) return 1;
      if (!WriteFrame(out_fd_, MessageType::kDone, {}).ok()) return 1;
    }
  }

  // Extracts one document and, through the sink, everything inside it. Fails only when the
  // supervisor cannot be reached; problems with the document are recorded in it.
  Status ProcessDocument(std::string_view bytes, const Place& place) {
    if (std::find(task_.skip.begin(), task_.skip.end(), place.chain) != task_.skip.end()) {
      return Status::Ok();  // the supervisor recorded it when it crashed a worker
    }
    DocumentRecord record;
    record.id = ContentHash(bytes);
    record.occurrence = Occurrence{task_.source_key, place.chain, place.parent_id};
    record.name = place.name;
    record.size = bytes.size();
    record.mtime = place.mtime;
    record.media_type = extract::DetectMediaType(bytes, place.name, place.hint);
    record.type = std::string(extract::TypeFamily(record.media_type));

    TROVE_RETURN_IF_ERROR(
        WriteFrame(out_fd_, MessageType::kBegin,
                   EncodeBegin(Begin{place.chain, record.id, place.parent_id, place.name,
                                     record.media_type, record.size})));
    auto decision = ReadFrame(in_fd_);
    if (!decision.ok()) return decision.status();
    if (!decision->has_value() || (*decision)->type != MessageType::kDecision) {
      return Status::IOError("supervisor closed the pipe");
    }
    if ((*decision)->payload != "1") return Status::Ok();  // a duplicate: already indexed

    Extract(bytes, place, record);
    if (record.state == DocState::kIndexed) PlanOcr(record);
    Analyze(record);
    return Send(record);
  }

  // Language and entities of an extracted document's text.
  void Analyze(DocumentRecord& record) const {
    if (record.state != DocState::kIndexed || record.extraction.text.empty()) return;
    record.lang = analyze::DetectLanguage(record.extraction.text);
    if (options_.entities != IngestOptions::Entities::kNone) {
      analyze::MentionOptions mention_options;
      mention_options.with_names = options_.entities == IngestOptions::Entities::kAll;
      record.entities = analyze::FindMentions(record.extraction.text, record.lang, mention_options);
    }
  }

  // Marks the pages that OCR should read (the supervisor queues them).
  void PlanOcr(DocumentRecord& record) const {
    std::vector<int> pages;
    const bool is_readable = extract::IsOcrReadable(record.media_type);
    switch (options_.ocr) {
      case IngestOptions::Ocr::kOff:
        break;
      case IngestOptions::Ocr::kAuto:
        if (is_readable) pages = record.extraction.ocr_candidates;
        break;
      case IngestOptions::Ocr::kForce:
        for (int page_idx = 0; is_readable && page_idx < record.extraction.page_count; ++page_idx) {
          pages.push_back(page_idx);
        }
        break;
    }
    record.extraction.ocr_candidates.clear();
    if (pages.empty()) return;
    record.ocr.state = OcrInfo::State::kQueued;
    record.ocr.pages = std::move(pages);
    record.ocr.languages = options_.ocr_languages;
  }

  // One OCR task: read a page, or put the pages read into the document and send it again.
  // Fails only when the supervisor cannot be reached.
  Status RunOcrTask(const OcrTask& task) {
    if (task.kind == OcrTask::Kind::kPage) {
      OcrPageResult result{task.doc_id, task.page, {}, 0, {}};
      auto page = RecognizePage(task);
      if (page.ok()) {
        result.text = std::move(page->text);
        result.confidence = static_cast<int>(page->confidence + 0.5);
      } else {
        result.error =
            page.status().message().empty() ? page.status().ToString() : page.status().message();
      }
      return WriteFrame(out_fd_, MessageType::kOcrPage, EncodeOcrPage(result));
    }
    auto record = MergeOcr(task);
    if (!record.ok()) {
      const OcrPageResult failure{task.doc_id, -1, {}, 0, record.status().message()};
      return WriteFrame(out_fd_, MessageType::kOcrPage, EncodeOcrPage(failure));
    }
    auto prepared = index::PrepareDocument(*record);
    if (!prepared.ok()) {
      const OcrPageResult failure{task.doc_id, -1, {}, 0, prepared.status().message()};
      return WriteFrame(out_fd_, MessageType::kOcrPage, EncodeOcrPage(failure));
    }
    return WriteFrame(out_fd_, MessageType::kOcrDocument, EncodeDocument(*record, prepared->blob));
  }

  Result<extract::OcrPage> RecognizePage(const OcrTask& task) {
    if (ocr_engine_ == nullptr || ocr_languages_ != task.languages) {
      ocr_engine_.reset();
      extract::OcrOptions ocr_options;
      ocr_options.languages = task.languages;
      auto engine = extract::OcrEngine::Create(ocr_options);
      if (!engine.ok()) {
        return Status::FromCode(engine.status().code(),
                                "OCR unavailable: " + engine.status().message());
      }
      ocr_engine_ = std::move(engine).value();
      ocr_languages_ = task.languages;
    }
    TROVE_ASSIGN_OR_RETURN(const std::string* bytes, LoadDocument(task.source_path, task.chain));
    const std::string name = task.chain.substr(task.chain.rfind('/') + 1);
    const extract::Input input{*bytes, name, task.media_type, options_.limits};
    return ocr_engine_->RecognizePage(input, task.page);
  }

  // The document again, its unusable pages replaced by the OCR text.
  Result<DocumentRecord> MergeOcr(const OcrTask& task) {
    TROVE_ASSIGN_OR_RETURN(DocumentRecord record, DecodeRecord(task.record));
    TROVE_ASSIGN_OR_RETURN(const std::string* bytes, LoadDocument(task.source_path, task.chain));
    const extract::Extractor* extractor = registry_->Find(record.media_type);
    if (extractor == nullptr) return Status::Unsupported("no extractor for " + record.media_type);
    DiscardingSink children;
    const extract::Input input{*bytes, record.name, record.media_type, options_.limits};
    TROVE_ASSIGN_OR_RETURN(Extraction extraction, extractor->Extract(input, children));
    std::vector<std::string> pages;
    for (std::size_t start = 0;;) {
      const std::size_t end = extraction.text.find(kPageBreak, start);
      pages.push_back(extraction.text.substr(start, end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (extraction.text.empty()) pages.clear();
    const int max_page =
        task.pages.empty() ? -1 : *std::max_element(task.pages.begin(), task.pages.end());
    const std::size_t page_total = static_cast<std::size_t>(
        std::max({extraction.page_count, static_cast<int>(pages.size()), max_page + 1}));
    pages.resize(page_total);
    double confidence_sum = 0;
    for (std::size_t i = 0; i < task.pages.size(); ++i) {
      pages[static_cast<std::size_t>(task.pages[i])] = task.texts[i];
      confidence_sum += task.confidences[i];
    }
    std::string text;
    for (std::size_t page_idx = 0; page_idx < pages.size(); ++page_idx) {
      if (page_idx > 0) text += kPageBreak;
      text += pages[page_idx];
    }
    if (text.size() > options_.limits.max_text_bytes) {
      std::size_t cut = static_cast<std::size_t>(options_.limits.max_text_bytes);
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      text.resize(cut);
      extraction.is_truncated = true;
    }
    extraction.text = std::move(text);
    extraction.ocr_candidates.clear();
    record.extraction = std::move(extraction);
    record.state = DocState::kIndexed;
    record.reason.clear();
    record.entities.clear();
    record.ocr.pages = task.pages;
    record.ocr.languages = task.languages;
    record.ocr.mean_confidence =
        task.pages.empty() ? 0 : confidence_sum / static_cast<double>(task.pages.size());
    record.ocr.state = task.pages.empty() ? OcrInfo::State::kFailed : OcrInfo::State::kDone;
    record.ocr.reason.clear();
    for (const std::string& failure : task.failures) {
      record.ocr.reason += (record.ocr.reason.empty() ? "" : "; ") + failure;
    }
    Analyze(record);
    return record;
  }

  // The bytes of the document at `chain` inside source file `path`: the file itself, or a member
  // found by extracting the containers on the way again. The last one is kept, since a
  // document's pages usually come one after another.
  Result<const std::string*> LoadDocument(const std::string& path, const std::string& chain) {
    if (loaded_chain_ == chain && loaded_path_ == path) return &loaded_bytes_;
    loaded_chain_.clear();
    TROVE_ASSIGN_OR_RETURN(auto file, MappedFile::Open(path, options_.max_file_bytes));
    std::string bytes(file.bytes());
    std::string current = path;
    std::string name = path.substr(path.rfind('/') + 1);
    std::string hint;
    while (current != chain) {
      if (chain.compare(0, current.size(), current) != 0) {
        return Status::NotFound("cannot find " + chain + " in " + path + " any more");
      }
      const std::string media_type = extract::DetectMediaType(bytes, name, hint);
      const extract::Extractor* extractor = registry_->Find(media_type);
      if (extractor == nullptr) return Status::NotFound("cannot open " + current + " any more");
      FindingSink sink(current, chain);
      const extract::Input input{bytes, name, media_type, options_.limits};
      (void)extractor->Extract(input, sink);  // stopped early once the member is found
      if (!sink.found().has_value()) {
        return Status::NotFound("cannot find " + chain + " in " + path + " any more");
      }
      ChildFile child = std::move(*sink.found());
      current = sink.found_chain();
      name = child.name.substr(child.name.rfind('/') + 1);
      hint = std::move(child.media_type);
      bytes = std::move(child.bytes);
    }
    loaded_bytes_ = std::move(bytes);
    loaded_chain_ = chain;
    loaded_path_ = path;
    return &loaded_bytes_;
  }

  // Children of a document extracted again for its OCR merge: they were indexed the first time.
  class DiscardingSink final : public extract::ChildSink {
   public:
    Status OnChild(ChildFile /*child*/) override { return Status::Ok(); }
    void OnChildFailed(std::string /*name*/, Status /*why*/) override {}
    void OnChildSkipped(std::string /*name*/, std::string /*reason*/) override {}
  };

  Status Send(const DocumentRecord& record) {
    auto prepared = index::PrepareDocument(record);
    if (!prepared.ok()) {
      DocumentRecord stub = record;
      stub.extraction = Extraction{};
      stub.state = DocState::kFailed;
      stub.reason = prepared.status().message();
      prepared = index::PrepareDocument(stub);
      if (!prepared.ok()) return prepared.status();
      return WriteFrame(out_fd_, MessageType::kDocument, EncodeDocument(stub, prepared->blob));
    }
    return WriteFrame(out_fd_, MessageType::kDocument, EncodeDocument(record, prepared->blob));
  }

  // Accounts for one more child of the current source; LimitExceeded names the limit.
  Status CountChild(std::uint64_t bytes) {
    ++children_;
    expanded_bytes_ += bytes;
    if (children_ > options_.max_children) {
      return Status::LimitExceeded("more than " + std::to_string(options_.max_children) +
                                   " documents inside one file");
    }
    if (expanded_bytes_ > options_.max_expanded_bytes) {
      return Status::LimitExceeded("expands to more than " +
                                   std::to_string(options_.max_expanded_bytes >> 20) +
                                   " MB (an archive bomb?)");
    }
    return Status::Ok();
  }

  const IngestOptions& options() const { return options_; }
  const std::string& source_key() const { return task_.source_key; }
  bool is_pipe_broken() const { return is_pipe_broken_; }
  void set_pipe_broken() { is_pipe_broken_ = true; }

 private:
  Status ProcessSource() {
    Place place;
    place.chain = task_.path;
    place.name = task_.path.substr(task_.path.rfind('/') + 1);
    struct stat st {};
    if (::stat(task_.path.c_str(), &st) == 0) place.mtime = static_cast<std::int64_t>(st.st_mtime);
    // Mapped, not read: a source file of gigabytes (an mbox, an archive) stays in the page cache.
    auto bytes = MappedFile::Open(task_.path, options_.max_file_bytes);
    if (!bytes.ok()) {
      DocumentRecord record;
      record.id = ContentHash("unreadable:" + task_.path);
      record.occurrence = Occurrence{task_.source_key, place.chain, ""};
      record.name = place.name;
      record.mtime = place.mtime;
      record.size = static_cast<std::uint64_t>(st.st_size);
      const bool is_too_big = bytes.status().Is(StatusCode::kLimitExceeded);
      record.state = is_too_big ? DocState::kSkipped : DocState::kFailed;
      record.reason = is_too_big ? "file larger than the " +
                                       std::to_string(options_.max_file_bytes >> 20) + " MB limit"
                                 : bytes.status().message();
      return Send(record);
    }
    return ProcessDocument(bytes->bytes(), place);
  }

  void Extract(std::string_view bytes, const Place& place, DocumentRecord& record) {
    const extract::Extractor* extractor = registry_->Find(record.media_type);
    if (extractor == nullptr) {
      record.state = DocState::kSkipped;
      record.reason = "unsupported type " + record.media_type;
      return;
    }
    RecursingSink sink(*this, place, record.id);
    const extract::Input input{bytes, place.name, record.media_type, options_.limits};
    try {
      auto result = extractor->Extract(input, sink);
      if (result.ok()) {
        record.extraction = std::move(result).value();
        record.state = DocState::kIndexed;
      } else {
        record.state = DocState::kFailed;
        record.reason = result.status().message().empty() ? result.status().ToString()
                                                          : result.status().message();
      }
    } catch (const std::bad_alloc&) {
      record.state = DocState::kFailed;
      record.reason =
          "ran out of memory (limit " + std::to_string(options_.memory_limit_bytes >> 20) + " MB)";
    } catch (const std::exception& e) {
      record.state = DocState::kFailed;
      record.reason = std::string("parser error: ") + e.what();
    }
  }

  int in_fd_;
  int out_fd_;
  const IngestOptions& options_;
  std::unique_ptr<extract::Registry> registry_;
  Task task_;
  std::uint64_t children_ = 0;
  std::uint64_t expanded_bytes_ = 0;
  bool is_pipe_broken_ = false;
  // OCR: one engine per worker, made on the first page; the document last loaded for it.
  std::unique_ptr<extract::OcrEngine> ocr_engine_;
  std::string ocr_languages_;
  std::string loaded_path_, loaded_chain_, loaded_bytes_;
};

std::string ChildChain(const Place& parent, const std::string& name) {
  std::string chain = parent.chain;
  chain += kChainSeparator;
  chain += name;
  return chain;
}

Status RecursingSink::OnChild(ChildFile child) {
  TROVE_RETURN_IF_ERROR(worker_.CountChild(child.bytes.size()));
  Place place;
  place.chain = ChildChain(parent_, child.name);
  place.name = child.name.substr(child.name.rfind('/') + 1);
  place.parent_id = parent_id_;
  place.hint = std::move(child.media_type);
  place.mtime = child.mtime;
  place.depth = parent_.depth + 1;
  if (place.depth > worker_.options().max_depth) {
    DocumentRecord record;
    record.id = ContentHash(child.bytes);
    record.occurrence = Occurrence{worker_.source_key(), place.chain, parent_id_};
    record.name = place.name;
    record.size = child.bytes.size();
    record.media_type = extract::DetectMediaType(child.bytes, place.name, place.hint);
    record.state = DocState::kSkipped;
    record.reason = "nested deeper than " + std::to_string(worker_.options().max_depth) + " levels";
    return worker_.Send(record);
  }
  const Status status = worker_.ProcessDocument(child.bytes, place);
  if (!status.ok()) {
    worker_.set_pipe_broken();
    return status;  // cannot reach the supervisor: stop the extractor
  }
  return Status::Ok();
}

void RecursingSink::OnChildFailed(std::string name, Status why) {
  Record(std::move(name),
         why.Is(StatusCode::kLimitExceeded) ? DocState::kSkipped : DocState::kFailed,
         why.message().empty() ? why.ToString() : std::string(why.message()));
}

void RecursingSink::OnChildSkipped(std::string name, std::string reason) {
  Record(std::move(name), DocState::kSkipped, std::move(reason));
}

void RecursingSink::Record(std::string name, DocState state, std::string reason) {
  if (worker_.is_pipe_broken()) return;
  DocumentRecord record;
  record.occurrence = Occurrence{worker_.source_key(), ChildChain(parent_, name), parent_id_};
  record.id = ContentHash("failed:" + record.occurrence.path);
  record.name = name.substr(name.rfind('/') + 1);
  record.state = state;
  record.reason = std::move(reason);
  if (!worker_.Send(record).ok()) worker_.set_pipe_broken();
}

}  // namespace

int RunWorker(int in_fd, int out_fd, const IngestOptions& options) {
  Worker worker(in_fd, out_fd, options);
  return worker.Run();
}

}  // namespace trove::pipeline::internal

#include "pipeline/internal/worker.h"

#include <algorithm>
#include <new>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "analyze/language.h"
#include "analyze/mentions.h"
#include "core/file.h"
#include "core/hash.h"
#include "index/index.h"
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

 private:
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
    if (record.state == DocState::kIndexed && !record.extraction.text.empty()) {
      record.lang = analyze::DetectLanguage(record.extraction.text);
      if (options_.entities != IngestOptions::Entities::kNone) {
        analyze::MentionOptions mention_options;
        mention_options.with_names = options_.entities == IngestOptions::Entities::kAll;
        record.entities =
            analyze::FindMentions(record.extraction.text, record.lang, mention_options);
      }
    }
    return Send(record);
  }

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
  if (worker_.is_pipe_broken()) return;
  DocumentRecord record;
  record.occurrence = Occurrence{worker_.source_key(), ChildChain(parent_, name), parent_id_};
  record.id = ContentHash("failed:" + record.occurrence.path);
  record.name = name.substr(name.rfind('/') + 1);
  record.state = why.Is(StatusCode::kLimitExceeded) ? DocState::kSkipped : DocState::kFailed;
  record.reason = why.message().empty() ? why.ToString() : why.message();
  if (!worker_.Send(record).ok()) worker_.set_pipe_broken();
}

}  // namespace

int RunWorker(int in_fd, int out_fd, const IngestOptions& options) {
  Worker worker(in_fd, out_fd, options);
  return worker.Run();
}

}  // namespace trove::pipeline::internal

// The supervisor: discovers source files, hands them to worker processes, and is the only
// writer of the index and the ledger. See docs/ARCHITECTURE.md, "pipeline".
#include "pipeline/ingest.h"

#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/collection.h"
#include "core/hash.h"
#include "extract/ocr.h"
#include "index/index.h"
#include "pipeline/internal/protocol.h"
#include "pipeline/internal/walker.h"
#include "pipeline/internal/watch_pass.h"
#include "pipeline/internal/worker.h"
#include "store/store.h"

namespace trove::pipeline {
namespace {

using Clock = std::chrono::steady_clock;
using internal::Frame;
using internal::MessageType;
using internal::OcrTask;

// A source file whose worker crashes this often is given up as failed.
constexpr int kMaxAttempts = 4;

// What the supervisor knows of a task while a worker holds it.
struct TaskState {
  internal::Task task;
  store::SourceFile source;
  int attempts = 0;
  bool has_top = false;  // the source file's own document arrived
  DocState top_state = DocState::kIndexed;
  std::string top_reason;
  std::string duplicate_of;    // id of the document this source file duplicates
  std::string duplicate_path;  // where that document was found, when known
};

// A document whose pages OCR is reading: the supervisor's view of one store::OcrJob.
struct OcrDocument {
  store::OcrJob job;
  std::string media_type;
  std::deque<int> todo;                    // pages not handed to a worker yet
  int outstanding = 0;                     // pages a worker is reading now
  std::map<int, store::OcrPageText> read;  // page -> text (read now or found in the cache)
  std::vector<std::string> failures;       // "page 3: why"
  bool is_merging = false;                 // a worker is putting the pages into the document
};

// The OCR work a worker holds: a page of a document, or the merge of its pages (page -1).
struct OcrWork {
  std::string doc_id;
  int page = -1;
};

struct WorkerProcess {
  pid_t pid = -1;
  int to_fd = -1;
  int from_fd = -1;
  internal::FrameBuffer frames;
  std::optional<TaskState> task;
  std::optional<OcrWork> ocr;
  // Documents being extracted, outermost first: an archive, then the member inside it...
  std::vector<internal::Begin> in_progress;
  Clock::time_point last_activity;
  bool is_timed_out = false;
};

std::string SignalReason(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGKILL) return "parser was killed (out of memory?)";
    return "parser crashed (signal " + std::to_string(sig) + ": " + strsignal(sig) + ")";
  }
  // A sanitizer or a library's abort handler turns a crash into an exit with a failure status.
  if (WIFEXITED(status))
    return "parser crashed (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
  return "parser stopped";
}

class Supervisor {
 public:
  // A copy of the options: the run may turn OCR off (built without it), and workers fork with it.
  Supervisor(const IngestOptions& options, const ProgressCallback& progress, int progress_ms)
      : options_(options), progress_cb_(progress), progress_interval_(progress_ms) {}

  ~Supervisor() {
    for (WorkerProcess& w : workers_) StopWorker(w, /*kill_it=*/true);
  }

  // A ledger whose index is gone (deleted by hand, or lost) would skip every file as unchanged
  // and leave the collection empty: forget it, so that everything is read again.
  Status ForgetLedgerWithoutIndex() {
    std::error_code ec;
    const std::string index_dir = IndexDir(options_.collection);
    if (std::filesystem::exists(index_dir, ec) && !std::filesystem::is_empty(index_dir, ec)) {
      return Status::Ok();
    }
    if (!std::filesystem::exists(StorePath(options_.collection), ec)) return Status::Ok();
    TROVE_ASSIGN_OR_RETURN(auto store, store::Store::Open(StorePath(options_.collection)));
    TROVE_ASSIGN_OR_RETURN(auto counts, store->CountSourcesByState());
    if (counts.empty()) return Status::Ok();
    return store->ForgetSources();
  }

  Result<IngestProgress> Run() {
    started_ = Clock::now();
    TROVE_RETURN_IF_ERROR(ForgetLedgerWithoutIndex());
    TROVE_RETURN_IF_ERROR(CheckOcr());
    TROVE_RETURN_IF_ERROR(Prepare());
    const int jobs =
        options_.jobs > 0 ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
    workers_.resize(static_cast<std::size_t>(jobs));
    for (WorkerProcess& w : workers_) TROVE_RETURN_IF_ERROR(Spawn(w));

    TROVE_ASSIGN_OR_RETURN(store_, store::Store::Open(StorePath(options_.collection)));
    // Shards are written in parallel (one thread each): the index writer is the cost of indexing.
    const int shards =
        options_.shard_count > 0
            ? options_.shard_count
            : std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 4);
    TROVE_ASSIGN_OR_RETURN(writer_, index::Writer::Open(IndexDir(options_.collection), shards));
    TROVE_ASSIGN_OR_RETURN(run_id_, store_->BeginRun());
    TROVE_RETURN_IF_ERROR(store_->Begin());
    last_commit_ = Clock::now();
    // What an earlier run left in the OCR queue is finished by this one.
    if (options_.ocr != IngestOptions::Ocr::kOff) {
      TROVE_ASSIGN_OR_RETURN(const std::vector<store::OcrJob> jobs, store_->ListOcrJobs());
      for (const store::OcrJob& job : jobs) TROVE_RETURN_IF_ERROR(QueueOcr(job));
    }

    while (true) {
      TROVE_RETURN_IF_ERROR(Dispatch());
      const bool is_busy = std::any_of(
          workers_.begin(), workers_.end(),
          [](const WorkerProcess& w) { return w.task.has_value() || w.ocr.has_value(); });
      if (!is_busy && pending_.empty() && walker_->is_done() && ocr_docs_.empty()) break;
      TROVE_RETURN_IF_ERROR(PollWorkers());
      TROVE_RETURN_IF_ERROR(CheckTimeouts());
      TROVE_RETURN_IF_ERROR(MaybeCommit(/*force=*/false));
      ReportProgress(/*force=*/false);
    }
    TROVE_RETURN_IF_ERROR(MaybeCommit(/*force=*/true));
    (void)store_->Commit();
    TROVE_RETURN_IF_ERROR(store_->FinishRun(run_id_, Summary().dump()));
    ReportProgress(/*force=*/true);
    return progress_;
  }

 private:
  // OCR needs its language data; without it an explicit request fails at once, while the
  // default (auto) in a trove built without OCR quietly reads no image.
  Status CheckOcr() {
    if (options_.ocr == IngestOptions::Ocr::kOff) return Status::Ok();
    const Status status = extract::CheckOcrLanguages(options_.ocr_languages);
    if (status.Is(StatusCode::kUnsupported) && options_.ocr == IngestOptions::Ocr::kAuto) {
      options_.ocr = IngestOptions::Ocr::kOff;
      return Status::Ok();
    }
    return status;
  }

  Status Prepare() {
    std::error_code ec;
    std::filesystem::create_directories(options_.collection, ec);
    if (ec)
      return Status::IOError("cannot create collection " + options_.collection + ": " +
                             ec.message());
    const std::string collection =
        std::filesystem::absolute(options_.collection).lexically_normal();
    if (options_.retry_failed) {
      TROVE_ASSIGN_OR_RETURN(auto store, store::Store::Open(StorePath(options_.collection)));
      std::vector<std::string> paths;
      TROVE_ASSIGN_OR_RETURN(auto failed, store->SourcesInState(store::kStateFailed));
      for (const auto& s : failed) paths.push_back(s.path);
      TROVE_ASSIGN_OR_RETURN(auto problems, store->ListProblems());
      std::set<std::string> keys;
      for (const auto& p : problems) {
        if (p.state == store::kStateFailed) keys.insert(p.source_key);
      }
      TROVE_ASSIGN_OR_RETURN(auto indexed, store->SourcesInState(store::kStateIndexed));
      for (const auto& s : indexed) {
        if (keys.count(s.key) != 0) paths.push_back(s.path);
      }
      walker_ = internal::Walker::ForFiles(std::move(paths));
    } else {
      for (const std::string& source : options_.sources) {
        std::error_code exists_ec;
        if (!std::filesystem::exists(std::filesystem::symlink_status(source, exists_ec))) {
          return Status::InvalidArgument("no such file or directory: " + source);
        }
      }
      walker_ = internal::Walker::ForSources(options_.sources, collection);
    }
    return Status::Ok();
  }

  Status Spawn(WorkerProcess& w) {
    int to_child[2], from_child[2];
    if (pipe2(to_child, O_CLOEXEC) != 0)
      return Status::IOError(std::string("pipe: ") + std::strerror(errno));
    if (pipe2(from_child, O_CLOEXEC) != 0) {
      ::close(to_child[0]);
      ::close(to_child[1]);
      return Status::IOError(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) return Status::IOError(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      // The worker: dies with the supervisor, limited in memory, silent on the terminal.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(0);
      ::close(to_child[1]);
      ::close(from_child[0]);
      signal(SIGPIPE, SIG_IGN);
#if !defined(__SANITIZE_ADDRESS__)
      if (options_.memory_limit_bytes > 0) {
        const rlimit limit{options_.memory_limit_bytes, options_.memory_limit_bytes};
        setrlimit(RLIMIT_AS, &limit);
      }
#endif
      // One OpenMP thread for Tesseract: several workers' thread teams would oversubscribe the
      // cores. This takes effect only if libgomp has not read its environment yet (it does so
      // when it is loaded): the trove command sets it before it starts (src/cli/main.cc).
      setenv("OMP_THREAD_LIMIT", "1", 1);
      const int devnull = ::open("/dev/null", O_RDWR);
      if (devnull >= 0 && getenv("TROVE_WORKER_STDERR") == nullptr) {
        dup2(devnull, STDOUT_FILENO);
        dup2(devnull, STDERR_FILENO);
      }
      _exit(internal::RunWorker(to_child[0], from_child[1], options_));
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    fcntl(from_child[0], F_SETFL, fcntl(from_child[0], F_GETFL) | O_NONBLOCK);
    w.pid = pid;
    w.to_fd = to_child[1];
    w.from_fd = from_child[0];
    w.frames = internal::FrameBuffer();
    w.task.reset();
    w.ocr.reset();
    w.in_progress.clear();
    w.is_timed_out = false;
    return Status::Ok();
  }

  void StopWorker(WorkerProcess& w, bool kill_it) {
    if (w.pid <= 0) return;
    if (kill_it) kill(w.pid, SIGKILL);
    ::close(w.to_fd);
    ::close(w.from_fd);
    int status = 0;
    waitpid(w.pid, &status, 0);
    w.pid = -1;
  }

  // Hands pending tasks, then newly discovered files, then OCR work, to idle workers: every
  // file is searchable before OCR reads the pages of any.
  Status Dispatch() {
    for (WorkerProcess& w : workers_) {
      if (w.task.has_value() || w.ocr.has_value()) continue;
      std::optional<TaskState> next;
      while (!next.has_value()) {
        if (!pending_.empty()) {
          next = std::move(pending_.front());
          pending_.pop_front();
          break;
        }
        std::optional<internal::Discovered> found = walker_->Next();
        progress_.sources_found = walker_->found();
        progress_.is_discovery_done = walker_->is_done();
        if (!found.has_value()) break;
        TROVE_ASSIGN_OR_RETURN(next, Admit(*found));
      }
      if (next.has_value()) {
        TROVE_RETURN_IF_ERROR(Start(w, std::move(*next)));
      } else {
        TROVE_RETURN_IF_ERROR(StartOcr(w));
      }
    }
    return Status::Ok();
  }

  // --- OCR ---------------------------------------------------------------------------------

  // Takes a queued document into the OCR schedule; pages already in the cache are not read.
  Status QueueOcr(const store::OcrJob& job) {
    if (ocr_docs_.count(job.doc_id) != 0) return Status::Ok();
    OcrDocument doc;
    doc.job = job;
    auto record = DecodeRecord(job.record);
    if (record.ok()) doc.media_type = record->media_type;
    for (const int page : job.pages) {
      TROVE_ASSIGN_OR_RETURN(std::optional<store::OcrPageText> cached,
                             store_->FindOcrPage(job.doc_id, page, job.languages));
      if (cached.has_value()) {
        doc.read[page] = std::move(*cached);
        ++progress_.ocr_cache_hits;
      } else {
        doc.todo.push_back(page);
      }
    }
    ocr_docs_.emplace(job.doc_id, std::move(doc));
    ocr_order_.push_back(job.doc_id);
    return Status::Ok();
  }

  // Forgets the OCR work of a source file that is indexed again.
  Status DropOcrOfSource(const std::string& source_key) {
    TROVE_RETURN_IF_ERROR(store_->DeleteOcrJobsOfSource(source_key));
    std::erase_if(ocr_docs_,
                  [&](const auto& entry) { return entry.second.job.source_key == source_key; });
    return Status::Ok();
  }

  // The first queued document's next page, or its merge once every page is read; documents are
  // finished in queue order, their pages read in parallel.
  Status StartOcr(WorkerProcess& w) {
    while (!ocr_order_.empty()) {
      auto it = ocr_docs_.find(ocr_order_.front());
      if (it == ocr_docs_.end()) {
        ocr_order_.pop_front();
        continue;
      }
      break;
    }
    for (const std::string& id : ocr_order_) {
      auto it = ocr_docs_.find(id);
      if (it == ocr_docs_.end()) continue;
      OcrDocument& doc = it->second;
      OcrTask task;
      task.doc_id = doc.job.doc_id;
      task.source_path = doc.job.source_path;
      task.chain = doc.job.chain;
      task.media_type = doc.media_type;
      task.languages = doc.job.languages;
      if (!doc.todo.empty()) {
        task.kind = OcrTask::Kind::kPage;
        task.page = doc.todo.front();
        doc.todo.pop_front();
        ++doc.outstanding;
        if (!is_ocr_started_) {
          is_ocr_started_ = true;
          ocr_started_ = Clock::now();
        }
        return SendOcr(w, task, OcrWork{task.doc_id, task.page});
      }
      if (doc.outstanding > 0 || doc.is_merging) continue;
      task.kind = OcrTask::Kind::kMerge;
      task.record = doc.job.record;
      for (const auto& [page, text] : doc.read) {
        task.pages.push_back(page);
        task.texts.push_back(text.text);
        task.confidences.push_back(text.confidence);
      }
      task.failures = doc.failures;
      doc.is_merging = true;
      return SendOcr(w, task, OcrWork{task.doc_id, -1});
    }
    return Status::Ok();
  }

  Status SendOcr(WorkerProcess& w, const OcrTask& task, OcrWork work) {
    const Status sent =
        internal::WriteFrame(w.to_fd, MessageType::kOcrTask, internal::EncodeOcrTask(task));
    w.ocr = std::move(work);
    w.last_activity = Clock::now();
    if (!sent.ok()) return HandleExit(w);
    return Status::Ok();
  }

  // A page was read (or failed), or a merge failed (page -1).
  Status OnOcrPage(const internal::OcrPageResult& result) {
    auto it = ocr_docs_.find(result.doc_id);
    if (result.page < 0) {
      if (it == ocr_docs_.end()) return Status::Ok();
      return FinishOcrWithoutText(it->second, "OCR failed: " + result.error);
    }
    ++progress_.ocr_pages;
    ocr_finished_ = Clock::now();
    const std::string languages =
        it != ocr_docs_.end() ? it->second.job.languages : options_.ocr_languages;
    if (result.error.empty()) {
      // Cached even when the document left the queue meanwhile: the bytes are the same.
      const store::OcrPageText text{result.text, result.confidence};
      TROVE_RETURN_IF_ERROR(store_->PutOcrPage(result.doc_id, result.page, languages, text));
      if (it != ocr_docs_.end()) it->second.read[result.page] = text;
    } else {
      ++progress_.ocr_page_failures;
      if (it != ocr_docs_.end()) {
        it->second.failures.push_back("page " + std::to_string(result.page + 1) + ": " +
                                      result.error);
      }
    }
    if (it != ocr_docs_.end() && it->second.outstanding > 0) --it->second.outstanding;
    return Status::Ok();
  }

  // The document with its OCR text replaces the one indexed first.
  Status OnOcrDocument(const DocumentRecord& record, std::string blob) {
    auto it = ocr_docs_.find(record.id);
    if (it == ocr_docs_.end()) return Status::Ok();  // its source file is being indexed again
    index::PreparedDocument prepared{record.id, record.occurrence, std::move(blob)};
    prepared.is_revision = true;
    TROVE_RETURN_IF_ERROR(writer_->Add(std::move(prepared)));
    ++progress_.ocr_documents;
    ++docs_since_commit_;
    if (!record.ocr.reason.empty()) {
      TROVE_RETURN_IF_ERROR(store_->AddProblem(
          store::Problem{it->second.job.source_key, it->second.job.chain, store::kStateFailed,
                         "OCR: " + record.ocr.reason, record.media_type}));
    }
    TROVE_RETURN_IF_ERROR(store_->DeleteOcrJob(record.id));
    ocr_docs_.erase(it);
    return Status::Ok();
  }

  // The merge could not be done: the document keeps the text it was indexed with.
  Status FinishOcrWithoutText(const OcrDocument& doc, const std::string& reason) {
    TROVE_RETURN_IF_ERROR(store_->AddProblem(store::Problem{
        doc.job.source_key, doc.job.chain, store::kStateFailed, reason, doc.media_type}));
    TROVE_RETURN_IF_ERROR(store_->DeleteOcrJob(doc.job.doc_id));
    ocr_docs_.erase(doc.job.doc_id);
    return Status::Ok();
  }

  // A worker died on OCR work: a page counts as failed, a merge gives up.
  Status OnOcrWorkerExit(const OcrWork& work, const std::string& reason) {
    auto it = ocr_docs_.find(work.doc_id);
    if (it == ocr_docs_.end()) return Status::Ok();
    if (work.page < 0) {
      const OcrDocument doc = it->second;
      return FinishOcrWithoutText(doc, "OCR: " + reason);
    }
    return OnOcrPage(internal::OcrPageResult{work.doc_id, work.page, {}, 0, reason});
  }

  std::uint64_t QueuedOcrPages() const {
    std::uint64_t pages = 0;
    for (const auto& [id, doc] : ocr_docs_) {
      pages += doc.todo.size() + static_cast<std::uint64_t>(doc.outstanding);
    }
    return pages;
  }

  // Decides what to do with a discovered file: nothing (unchanged), record it (a symbolic
  // link), or a task.
  Result<std::optional<TaskState>> Admit(const internal::Discovered& found) {
    TROVE_ASSIGN_OR_RETURN(std::optional<store::SourceFile> row, store_->FindSource(found.path));
    if (row && row->run_id == run_id_) return std::optional<TaskState>();  // named twice
    const bool is_same = row && row->state != store::kStatePending && row->size == found.size &&
                         row->mtime_ns == found.mtime_ns;
    const bool is_retry = options_.retry_failed;
    if (is_same && !is_retry) {
      ++progress_.sources_done;
      ++progress_.skipped_unchanged;
      progress_.bytes_done += found.size;
      return std::optional<TaskState>();
    }
    TaskState state;
    state.source.path = found.path;
    state.source.key = SourceKey(found.path);
    state.source.size = found.size;
    state.source.mtime_ns = found.mtime_ns;
    state.source.run_id = run_id_;
    if (row) {
      // Indexed before (or partly, before a crash): its old documents make way for the new.
      TROVE_RETURN_IF_ERROR(writer_->RemoveSource(state.source.key));
      TROVE_RETURN_IF_ERROR(store_->ClearProblems(state.source.key));
      TROVE_RETURN_IF_ERROR(DropOcrOfSource(state.source.key));
    }
    if (!found.skip_reason.empty()) {
      state.source.state = store::kStateSkipped;
      state.source.reason = found.skip_reason;
      TROVE_RETURN_IF_ERROR(store_->PutSource(state.source));
      TROVE_RETURN_IF_ERROR(store_->AddProblem(store::Problem{
          state.source.key, found.path, store::kStateSkipped, found.skip_reason, ""}));
      ++progress_.sources_done;
      ++progress_.skipped_other;
      return std::optional<TaskState>();
    }
    state.source.state = store::kStatePending;
    TROVE_RETURN_IF_ERROR(store_->PutSource(state.source));
    state.task = internal::Task{state.source.key, found.path, {}};
    return std::optional<TaskState>(std::move(state));
  }

  Status Start(WorkerProcess& w, TaskState state) {
    ++state.attempts;
    const Status sent =
        internal::WriteFrame(w.to_fd, MessageType::kTask, internal::EncodeTask(state.task));
    w.task = std::move(state);
    w.in_progress.clear();
    w.last_activity = Clock::now();
    if (!sent.ok()) return HandleExit(w);  // the worker died while idle
    return Status::Ok();
  }

  Status PollWorkers() {
    std::vector<pollfd> fds;
    for (const WorkerProcess& w : workers_) fds.push_back(pollfd{w.from_fd, POLLIN, 0});
    const int n = poll(fds.data(), fds.size(), 100);
    if (n < 0 && errno != EINTR)
      return Status::IOError(std::string("poll: ") + std::strerror(errno));
    for (std::size_t i = 0; i < workers_.size(); ++i) {
      if (fds[i].revents == 0) continue;
      WorkerProcess& w = workers_[i];
      bool is_closed = false;
      char buf[1 << 16];
      while (true) {
        const ssize_t got = ::read(w.from_fd, buf, sizeof buf);
        if (got > 0) {
          w.frames.Append(std::string_view(buf, static_cast<std::size_t>(got)));
          w.last_activity = Clock::now();
          continue;
        }
        if (got == 0) is_closed = true;
        if (got < 0 && errno == EINTR) continue;
        break;  // EAGAIN, or closed
      }
      Frame frame;
      while (true) {
        auto has = w.frames.Next(&frame);
        if (!has.ok()) {
          is_closed = true;
          kill(w.pid, SIGKILL);
          break;
        }
        if (!*has) break;
        TROVE_RETURN_IF_ERROR(Handle(w, frame));
      }
      if (is_closed) TROVE_RETURN_IF_ERROR(HandleExit(w));
    }
    return Status::Ok();
  }

  Status Handle(WorkerProcess& w, const Frame& frame) {
    if (w.ocr.has_value()) {
      switch (frame.type) {
        case MessageType::kOcrPage: {
          auto result = internal::DecodeOcrPage(frame.payload);
          if (result.ok()) TROVE_RETURN_IF_ERROR(OnOcrPage(*result));
          return Status::Ok();
        }
        case MessageType::kOcrDocument: {
          auto doc = internal::DecodeDocument(frame.payload);
          if (doc.ok()) TROVE_RETURN_IF_ERROR(OnOcrDocument(doc->first, std::move(doc->second)));
          return Status::Ok();
        }
        case MessageType::kDone:
          w.ocr.reset();
          return Status::Ok();
        default:
          return Status::Ok();
      }
    }
    if (!w.task.has_value()) return Status::Ok();
    TaskState& task = *w.task;
    switch (frame.type) {
      case MessageType::kBegin: {
        auto begin = internal::DecodeBegin(frame.payload);
        if (!begin.ok()) return Status::Ok();
        // Identical bytes are extracted once: when they are indexed, or being extracted by
        // another worker right now, this copy only adds its place.
        const Occurrence occurrence{task.source.key, begin->chain, begin->parent_id};
        bool is_known = in_flight_.count(begin->id) != 0;
        if (is_known && begin->chain == task.source.path)
          task.duplicate_path = in_flight_[begin->id];
        if (is_known) {
          waiting_places_[begin->id].push_back(occurrence);
        } else {
          TROVE_ASSIGN_OR_RETURN(is_known, writer_->Contains(begin->id));
          if (is_known) TROVE_RETURN_IF_ERROR(writer_->AddOccurrence(begin->id, occurrence));
        }
        if (is_known) {
          if (begin->chain == task.source.path) {
            task.duplicate_of = begin->id;
            task.source.content_hash = begin->id;
            task.source.media_type = begin->media_type;
          }
        } else {
          in_flight_[begin->id] = begin->chain;
          w.in_progress.push_back(std::move(begin).value());
        }
        // A worker that died meanwhile shows up as end of file on its pipe.
        (void)internal::WriteFrame(w.to_fd, MessageType::kDecision, is_known ? "0" : "1");
        return Status::Ok();
      }
      case MessageType::kDocument: {
        auto doc = internal::DecodeDocument(frame.payload);
        if (!doc.ok()) return Status::Ok();
        TROVE_RETURN_IF_ERROR(Write(task, doc->first, std::move(doc->second)));
        if (!w.in_progress.empty() && w.in_progress.back().id == doc->first.id)
          w.in_progress.pop_back();
        return Status::Ok();
      }
      case MessageType::kDone:
        TROVE_RETURN_IF_ERROR(Finish(task));
        w.task.reset();
        w.in_progress.clear();
        return Status::Ok();
      default:
        return Status::Ok();
    }
  }

  Status Write(TaskState& task, const DocumentRecord& record, std::string blob) {
    TROVE_RETURN_IF_ERROR(
        writer_->Add(index::PreparedDocument{record.id, record.occurrence, std::move(blob)}));
    in_flight_.erase(record.id);
    if (auto waiting = waiting_places_.find(record.id); waiting != waiting_places_.end()) {
      for (const Occurrence& occ : waiting->second)
        TROVE_RETURN_IF_ERROR(writer_->AddOccurrence(record.id, occ));
      waiting_places_.erase(waiting);
    }
    ++progress_.documents;
    ++docs_since_commit_;
    if (record.state != DocState::kIndexed) {
      if (record.state == DocState::kFailed) ++progress_.document_failures;
      TROVE_RETURN_IF_ERROR(store_->AddProblem(store::Problem{
          task.source.key, record.occurrence.path, std::string(DocStateName(record.state)),
          record.reason, record.media_type}));
    }
    if (record.ocr.state == OcrInfo::State::kQueued) {
      const store::OcrJob job{record.id,
                              task.source.key,
                              task.source.path,
                              record.occurrence.path,
                              record.ocr.pages,
                              record.ocr.languages,
                              EncodeRecord(record, /*with_text=*/false)};
      TROVE_RETURN_IF_ERROR(store_->PutOcrJob(job));
      TROVE_RETURN_IF_ERROR(QueueOcr(job));
    }
    if (record.occurrence.path == task.source.path) {
      task.has_top = true;
      task.top_state = record.state;
      task.top_reason = record.reason;
      task.source.content_hash = record.id;
      task.source.media_type = record.media_type;
    }
    return Status::Ok();
  }

  Status Finish(TaskState& task) {
    store::SourceFile& source = task.source;
    if (!task.duplicate_of.empty()) {
      source.state = store::kStateSkipped;
      if (task.duplicate_path.empty()) {
        auto first = writer_->FirstPath(task.duplicate_of);
        if (first.ok()) task.duplicate_path = *first;
      }
      source.reason =
          "duplicate of " +
          (task.duplicate_path.empty() ? "document " + task.duplicate_of : task.duplicate_path);
      TROVE_RETURN_IF_ERROR(store_->AddProblem(store::Problem{
          source.key, source.path, store::kStateSkipped, source.reason, source.media_type}));
      ++progress_.skipped_duplicate;
    } else if (!task.has_top) {
      source.state = store::kStateFailed;
      source.reason = "no document came back from the parser";
      ++progress_.failed;
    } else {
      source.state = std::string(DocStateName(task.top_state));
      source.reason = task.top_reason;
      switch (task.top_state) {
        case DocState::kIndexed:
          ++progress_.indexed;
          break;
        case DocState::kFailed:
          ++progress_.failed;
          break;
        case DocState::kSkipped:
          (source.reason.rfind("unsupported type", 0) == 0 ? progress_.skipped_unsupported
                                                           : progress_.skipped_other)++;
          break;
      }
    }
    ++progress_.sources_done;
    progress_.bytes_done += source.size;
    return store_->PutSource(source);
  }

  // A worker's pipe closed: it crashed, ran out of memory or was killed for taking too long.
  // The document it was on is recorded as failed; the rest of its source file is tried again.
  Status HandleExit(WorkerProcess& w) {
    int status = 0;
    const pid_t pid = w.pid;
    ::close(w.to_fd);
    ::close(w.from_fd);
    waitpid(pid, &status, 0);
    w.pid = -1;
    const std::string reason =
        w.is_timed_out ? "timed out after " + std::to_string(options_.timeout_seconds) + " s"
                       : SignalReason(status);
    std::optional<TaskState> task = std::move(w.task);
    std::optional<OcrWork> ocr = std::move(w.ocr);
    std::vector<internal::Begin> in_progress = std::move(w.in_progress);
    TROVE_RETURN_IF_ERROR(Spawn(w));
    if (ocr.has_value()) return OnOcrWorkerExit(*ocr, reason);
    if (!task.has_value()) return Status::Ok();
    // The innermost document is the culprit; those around it are extracted again on the retry.
    std::optional<internal::Begin> current;
    if (!in_progress.empty()) {
      current = in_progress.back();
      for (const internal::Begin& b : in_progress) in_flight_.erase(b.id);
    }

    if (current.has_value()) {
      DocumentRecord record;
      record.id = current->id;
      record.occurrence = Occurrence{task->source.key, current->chain, current->parent_id};
      record.name = current->name;
      record.media_type = current->media_type;
      record.size = current->size;
      record.state = DocState::kFailed;
      record.reason = reason;
      TROVE_ASSIGN_OR_RETURN(std::string blob, internal::PrepareStub(record));
      TROVE_RETURN_IF_ERROR(Write(*task, record, std::move(blob)));
      if (current->chain != task->source.path && task->attempts < kMaxAttempts) {
        task->task.skip.push_back(current->chain);
        pending_.push_front(std::move(*task));
        return Status::Ok();
      }
    }
    if (!task->has_top) {
      task->has_top = true;
      task->top_state = DocState::kFailed;
      task->top_reason = reason;
    }
    return Finish(*task);
  }

  Status CheckTimeouts() {
    if (options_.timeout_seconds <= 0) return Status::Ok();
    const auto now = Clock::now();
    for (WorkerProcess& w : workers_) {
      if ((!w.task.has_value() && !w.ocr.has_value()) || w.is_timed_out) continue;
      if (now - w.last_activity > std::chrono::seconds(options_.timeout_seconds)) {
        w.is_timed_out = true;
        kill(w.pid, SIGKILL);  // its pipe closes; PollWorkers records the timeout
      }
    }
    return Status::Ok();
  }

  // Index first, then ledger: a crash in between leaves documents whose source file is still
  // pending, and the next run replaces them (same ids), so nothing is doubled.
  Status MaybeCommit(bool force) {
    const auto now = Clock::now();
    const bool is_due = docs_since_commit_ >= options_.commit_every_documents ||
                        now - last_commit_ >= std::chrono::seconds(options_.commit_every_seconds);
    if (!force && !is_due) return Status::Ok();
    TROVE_RETURN_IF_ERROR(writer_->Commit());
    // The counters so far go with the ledger they describe: `trove status` and the UI show a
    // running ingest's progress from them (at every commit, at most commit_every_seconds old).
    TROVE_RETURN_IF_ERROR(store_->UpdateRun(run_id_, Summary().dump()));
    TROVE_RETURN_IF_ERROR(store_->Commit());
    docs_since_commit_ = 0;
    last_commit_ = now;
    if (!force) TROVE_RETURN_IF_ERROR(store_->Begin());
    return Status::Ok();
  }

  // The run's counters as the store keeps them (the progress so far, or the final summary).
  nlohmann::json Summary() {
    UpdateTimes();
    return {
        {"sources_found", progress_.sources_found},
        {"discovery_done", progress_.is_discovery_done},
        {"sources_done", progress_.sources_done},
        {"bytes_done", progress_.bytes_done},
        {"indexed", progress_.indexed},
        {"failed", progress_.failed},
        {"skipped_unchanged", progress_.skipped_unchanged},
        {"skipped_duplicate", progress_.skipped_duplicate},
        {"skipped_unsupported", progress_.skipped_unsupported},
        {"skipped_other", progress_.skipped_other},
        {"documents", progress_.documents},
        {"ocr_pages", progress_.ocr_pages},
        {"ocr_page_failures", progress_.ocr_page_failures},
        {"ocr_cache_hits", progress_.ocr_cache_hits},
        {"ocr_documents", progress_.ocr_documents},
        {"ocr_queued_pages", progress_.ocr_queued_pages},
        {"ocr_seconds", progress_.ocr_seconds},
        {"seconds", progress_.elapsed_seconds},
    };
  }

  void UpdateTimes() {
    progress_.elapsed_seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    progress_.ocr_queued_pages = QueuedOcrPages();
    if (is_ocr_started_ && progress_.ocr_pages > 0) {
      progress_.ocr_seconds = std::chrono::duration<double>(ocr_finished_ - ocr_started_).count();
    }
  }

  void ReportProgress(bool force) {
    const auto now = Clock::now();
    UpdateTimes();
    if (!progress_cb_) return;
    if (!force && now - last_progress_ < progress_interval_) return;
    last_progress_ = now;
    progress_cb_(progress_);
  }

  IngestOptions options_;
  const ProgressCallback& progress_cb_;
  std::chrono::milliseconds progress_interval_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<index::Writer> writer_;
  std::unique_ptr<internal::Walker> walker_;
  std::vector<WorkerProcess> workers_;
  std::deque<TaskState> pending_;
  // Ids being extracted now, and the places of copies that arrived meanwhile.
  std::map<std::string, std::string> in_flight_;  // id -> path chain
  std::map<std::string, std::vector<Occurrence>> waiting_places_;
  // Documents waiting for OCR, by id, and the order they came in.
  std::map<std::string, OcrDocument> ocr_docs_;
  std::deque<std::string> ocr_order_;
  bool is_ocr_started_ = false;
  Clock::time_point ocr_started_, ocr_finished_;
  std::int64_t run_id_ = 0;
  IngestProgress progress_;
  std::uint64_t docs_since_commit_ = 0;
  Clock::time_point started_, last_commit_, last_progress_;
};

}  // namespace

Result<IngestProgress> Ingest(const IngestOptions& options, const ProgressCallback& progress,
                              int progress_interval_ms) {
  if (options.sources.empty() && !options.retry_failed) {
    return Status::InvalidArgument("nothing to ingest: name at least one file or folder");
  }
  // A worker that dies while we write to it must not kill the supervisor.
  signal(SIGPIPE, SIG_IGN);
  Supervisor supervisor(options, progress, progress_interval_ms);
  return internal::MatchWatchLists(options, supervisor.Run());
}

}  // namespace trove::pipeline

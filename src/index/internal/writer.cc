// The Writer: one thread per shard applies additions in the background, so that the
// supervisor goes on reading workers while Xapian updates its postings (the writer, not text
// processing, is the cost of indexing: shared/bench/README.md), and shards are written in
// parallel.
//
// Whether a document exists is answered without waiting for those threads: from a read-only
// view of the last commit, corrected by the ids added and removed since.
#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_set>

#include <xapian.h>

#include "index/index.h"
#include "index/internal/schema.h"
#include "index/internal/shard_writer.h"
#include "index/internal/shards.h"

namespace trove::index {
namespace {

using internal::ShardWriter;
using internal::Term;

// Operations and bytes queued per shard before Add blocks: bounds the memory that prepared
// documents waiting for their shard may take, however large they are.
constexpr std::size_t kMaxQueuedOperations = 256;
constexpr std::size_t kMaxQueuedBytes = 64u << 20;

// A shard's writer and the thread that applies queued operations to it in order.
class ShardThread {
 public:
  ShardThread(Xapian::WritableDatabase db, Xapian::Database reader)
      : writer_(std::move(db)), reader_(std::move(reader)), thread_([this] { Loop(); }) {}

  ~ShardThread() {
    {
      std::lock_guard lock(mu_);
      is_stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  // Queues `op`, which holds `bytes` of data; blocks while the queue is full (but always takes
  // an operation into an empty queue).
  void Enqueue(std::function<Status(ShardWriter&)> op, std::size_t bytes = 0) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [this] {
      return queue_.empty() ||
             (queue_.size() < kMaxQueuedOperations && queued_bytes_ < kMaxQueuedBytes);
    });
    queue_.push_back(Operation{std::move(op), bytes});
    queued_bytes_ += bytes;
    changed_.notify_all();
  }

  // Runs `op` on the writer after everything queued before it; returns the first error of any
  // operation since the last call.
  Status RunAfterQueue(const std::function<Status(ShardWriter&)>& op) {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [this] { return queue_.empty() && !is_busy_; });
    Status status = error_;
    error_ = Status::Ok();
    if (!status.ok()) return status;
    return op(writer_);  // the thread waits for mu_, so the writer is ours
  }

  // True when the last commit holds document `id`.
  Result<bool> CommittedContains(const std::string& id) {
    try {
      return reader_.term_exists(Term(internal::kPrefixId, id));
    } catch (const Xapian::Error& e) {
      return Status::IOError("looking up document " + id + ": " + e.get_description());
    }
  }

  Status ReopenReader() {
    try {
      reader_.reopen();
      return Status::Ok();
    } catch (const Xapian::Error& e) {
      return Status::IOError("reopening the index: " + e.get_description());
    }
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    while (true) {
      changed_.wait(lock, [this] { return is_stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      Operation op = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= op.bytes;
      is_busy_ = true;
      room_.notify_all();
      lock.unlock();
      Status status = op.run(writer_);
      lock.lock();
      is_busy_ = false;
      if (!status.ok() && error_.ok()) error_ = std::move(status);
      idle_.notify_all();
    }
  }

  // Touched only by the thread while is_busy_, and by RunAfterQueue under mu_ otherwise.
  ShardWriter writer_;
  Xapian::Database reader_;  // the supervisor's thread only

  std::mutex mu_;
  std::condition_variable changed_, room_, idle_;
  struct Operation {
    std::function<Status(ShardWriter&)> run;
    std::size_t bytes;
  };
  // Guarded by mu_:
  std::deque<Operation> queue_;
  std::size_t queued_bytes_ = 0;
  bool is_busy_ = false;
  bool is_stopping_ = false;
  Status error_;

  std::thread thread_;  // last: starts once the members above exist
};

class ThreadedWriter final : public Writer {
 public:
  ThreadedWriter(std::vector<Xapian::WritableDatabase> dbs, std::vector<Xapian::Database> readers) {
    for (std::size_t i = 0; i < dbs.size(); ++i) {
      shards_.push_back(std::make_unique<ShardThread>(std::move(dbs[i]), std::move(readers[i])));
    }
  }

  Status Add(PreparedDocument prepared) override {
    added_.insert(prepared.id);
    removed_.erase(prepared.id);
    ShardThread& shard = ShardOf(prepared.id);
    const std::size_t bytes = prepared.blob.size();
    shard.Enqueue([doc = std::move(prepared)](ShardWriter& w) { return w.Add(doc); }, bytes);
    return Status::Ok();
  }

  Status AddOccurrence(const std::string& id, const Occurrence& occurrence) override {
    TROVE_ASSIGN_OR_RETURN(const bool exists, Contains(id));
    if (!exists) return Status::NotFound("no document " + id);
    ShardOf(id).Enqueue(
        [id, occurrence](ShardWriter& w) { return w.AddOccurrence(id, occurrence); });
    return Status::Ok();
  }

  Result<bool> Contains(const std::string& id) override {
    if (added_.count(id) != 0) return true;
    if (removed_.count(id) != 0) return false;
    return ShardOf(id).CommittedContains(id);
  }

  Result<std::string> FirstPath(const std::string& id) override {
    Result<std::string> path = Status::NotFound("no document " + id);
    TROVE_RETURN_IF_ERROR(ShardOf(id).RunAfterQueue([&](ShardWriter& w) {
      path = w.FirstPath(id);
      return Status::Ok();
    }));
    return path;
  }

  Status RemoveSource(const std::string& source_key) override {
    std::vector<std::string> deleted;
    for (auto& shard : shards_) {
      TROVE_RETURN_IF_ERROR(shard->RunAfterQueue(
          [&](ShardWriter& w) { return w.RemoveSource(source_key, &deleted); }));
    }
    for (const std::string& id : deleted) {
      added_.erase(id);
      removed_.insert(id);
    }
    return Status::Ok();
  }

  Status Commit() override {
    // Every shard commits in its own thread; then wait for all of them.
    for (auto& shard : shards_) shard->Enqueue([](ShardWriter& w) { return w.Commit(); });
    Status first_error;
    for (auto& shard : shards_) {
      Status status = shard->RunAfterQueue([](ShardWriter&) { return Status::Ok(); });
      if (status.ok()) status = shard->ReopenReader();
      if (!status.ok() && first_error.ok()) first_error = std::move(status);
    }
    if (!first_error.ok()) return first_error;
    added_.clear();
    removed_.clear();
    return Status::Ok();
  }

  int shard_count() const override { return static_cast<int>(shards_.size()); }

 private:
  ShardThread& ShardOf(const std::string& id) {
    return *shards_[internal::ShardFor(id, shards_.size())];
  }

  std::vector<std::unique_ptr<ShardThread>> shards_;
  // Ids added and deleted since the last commit, which the committed view does not show yet.
  std::unordered_set<std::string> added_, removed_;
};

}  // namespace

bool IsIndexBeingWritten(const std::string& index_dir) {
  for (const std::string& path : internal::ListShards(index_dir)) {
    try {
      if (Xapian::Database(path).locked()) return true;
    } catch (const Xapian::Error&) {
      // Unreadable: it tells nothing; the other shards may.
    }
  }
  return false;
}

Result<std::unique_ptr<Writer>> Writer::Open(const std::string& index_dir, int shard_count) {
  std::error_code ec;
  std::filesystem::create_directories(index_dir, ec);
  if (ec) return Status::IOError("cannot create " + index_dir + ": " + ec.message());
  // Until this writer holds every shard's Xapian lock, no compaction may move a shard (nor
  // may a compaction's half-moved shard be taken for a missing one and created empty).
  TROVE_ASSIGN_OR_RETURN(internal::LayoutLock layout_lock,
                         internal::LayoutLock::Acquire(index_dir));
  TROVE_RETURN_IF_ERROR(internal::RecoverCompaction(index_dir));
  const std::vector<std::string> existing = internal::ListShards(index_dir);
  if (!existing.empty()) shard_count = static_cast<int>(existing.size());
  if (shard_count < 1) return Status::InvalidArgument("shard count must be at least 1");
  std::vector<Xapian::WritableDatabase> shards;
  std::vector<Xapian::Database> readers;
  const std::string format = std::to_string(internal::kIndexFormatVersion);
  for (int shard = 0; shard < shard_count; ++shard) {
    const std::string path = internal::ShardPath(index_dir, shard);
    try {
      Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
      const std::string found = db.get_metadata(internal::kFormatKey);
      if (found.empty()) {
        db.set_metadata(internal::kFormatKey, format);
      } else {
        // from_chars, not stoi: a damaged marker must become a Status, not an exception.
        int version = 0;
        const auto [end, ec] = std::from_chars(found.data(), found.data() + found.size(), version);
        if (ec != std::errc() || end != found.data() + found.size()) {
          return Status::Corrupt(path + " has an unreadable index format marker '" + found + "'");
        }
        if (version != internal::kIndexFormatVersion) {
          return Status::Unsupported(internal::FormatMismatch(path, version));
        }
      }
      db.commit();  // the format marker, so that a reader can open the shard at once
      readers.emplace_back(path);
      shards.push_back(std::move(db));
    } catch (const Xapian::DatabaseLockError&) {
      return Status::IOError(path + " is locked: another trove process is writing this collection");
    } catch (const Xapian::Error& e) {
      return Status::IOError("cannot open index " + path + ": " + e.get_description());
    }
  }
  return std::unique_ptr<Writer>(
      std::make_unique<ThreadedWriter>(std::move(shards), std::move(readers)));
}

}  // namespace trove::index

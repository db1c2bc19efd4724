// What a route handler sees: the request, its path parameters, the caller, and the collection's
// readers and stores, pooled across the server's threads.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <sys/types.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/hash.h"  // IsDocumentId
#include "core/status.h"
#include "core/time.h"
#include "index/index.h"
#include "server/server.h"
#include "store/store.h"
#include "store/watchlists.h"
#include "store/workspace.h"

namespace trove::server::internal {

using Json = nlohmann::json;

// Objects that are one-per-thread (Xapian readers, SQLite connections), lent to one request at
// a time and kept for the next.
template <typename T>
class Pool {
 public:
  using Factory = std::function<Result<std::unique_ptr<T>>()>;
  explicit Pool(Factory factory) : factory_(std::move(factory)) {}

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<T> item) : pool_(pool), item_(std::move(item)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (item_) pool_->Return(std::move(item_));
    }
    T* operator->() const { return item_.get(); }
    T& operator*() const { return *item_; }
    // Drops the object instead of returning it (after an error that may have broken it).
    void Discard() { item_.reset(); }
    // Gives the object back to the pool now, before the lease goes out of scope.
    void Release() {
      if (item_) pool_->Return(std::move(item_));
    }

   private:
    Pool* pool_;
    std::unique_ptr<T> item_;
  };

  Result<Lease> Take() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        std::unique_ptr<T> item = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(item));
      }
    }
    TROVE_ASSIGN_OR_RETURN(std::unique_ptr<T> item, factory_());
    return Lease(this, std::move(item));
  }

 private:
  void Return(std::unique_ptr<T> item) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(item));
  }

  Factory factory_;
  std::mutex mu_;
  std::vector<std::unique_ptr<T>> idle_;
};

struct Services {
  explicit Services(const ServeOptions& options);

  ServeOptions options;
  Pool<index::Reader> readers;
  Pool<store::Store> stores;
  Pool<store::Workspace> workspaces;
  Pool<store::WatchLists> watchlists;
  // The CSRF token of local mode (team mode keeps one per session).
  std::string local_csrf;

  // The `trove ingest --retry-failed` started from the UI (api.cc), one at a time.
  struct RetryJob {
    std::mutex mu;
    pid_t pid = -1;            // running child, or -1
    std::int64_t started = 0;  // seconds since the epoch; 0: never started
    std::int64_t finished = 0;
    int exit_code = -1;        // once finished; 128 + signal when killed
    std::string log_path;      // its standard output and error
    std::string started_by;
  };
  RetryJob retry;

  // An on-demand cross-reference (GET /api/watchlists/{list}/xref) is running: one at a time
  // (watchlists_api.cc).
  std::atomic<bool> is_xref_running{false};
};

struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  Services& services;
  std::map<std::string, std::string> params;  // from the path pattern
  std::string user;                           // "" in local mode
  store::Role role = store::Role::kAdmin;     // local mode may do everything
  std::string csrf;                           // the caller's CSRF token

  const std::string& Param(const std::string& name) const { return params.at(name); }
  // A query-string parameter, or `fallback`.
  std::string Query(const std::string& name, const std::string& fallback = "") const;
  // The request body as a JSON object whose keys are all in `allowed`; InvalidArgument names
  // the first unknown key, or says what is malformed.
  Result<Json> Body(const std::vector<std::string>& allowed) const;
  // Sends `value` as JSON with status 200 (or `status`).
  void Send(const Json& value, int status = 200) const;
  // Appends to the audit log (errors are logged, never fail the request).
  void Audit(const std::string& action, const std::string& detail) const;
};

using Handler = std::function<Status(Call&)>;

struct Route {
  RouteInfo info;
  Handler handler;
};

// The API's routes (api.cc), in the order they are matched.
std::vector<Route> ApiRoutes();

// The watch-list routes (watchlists_api.cc), rows of ApiRoutes(): docs/api.md, "Watch lists".
Status WatchListsRoute(Call& call);       // GET /api/watchlists
Status WatchHitsRoute(Call& call);        // GET /api/watchlists/{list}/hits
Status PutWatchListRoute(Call& call);     // POST /api/watchlists/{list}
Status RemoveWatchListRoute(Call& call);  // DELETE /api/watchlists/{list}
Status XrefWatchListRoute(Call& call);    // GET /api/watchlists/{list}/xref

}  // namespace trove::server::internal

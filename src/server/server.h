// The server: `trove serve`, the JSON API (docs/api.md) and the web UI (web/) from one binary.
//
// Every route is a row of one table (Routes()): its method, path pattern and the weakest role
// that may call it. The table is what the server dispatches on and what the security tests
// enumerate, so a new route cannot escape the checks.
//
// Local mode (a collection without accounts): no login, only 127.0.0.1 by default. Team mode
// (the collection has a user): every route but the login ones needs a session cookie.
// State-changing requests always carry the CSRF token of GET /api/session, in both modes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/workspace.h"

namespace trove::server {

struct ServeOptions {
  std::string collection;
  std::string host = "127.0.0.1";
  int port = 8080;      // 0: any free port
  std::string web_dir;  // the built UI (web/dist); empty: the one beside the sources
  int threads = 8;      // requests served at once
  std::size_t max_body_bytes = 4u << 20;  // a larger request body is refused with 413
};

// One row of the route table.
struct RouteInfo {
  std::string method;   // GET, POST, PUT, DELETE
  std::string pattern;  // "/api/documents/{id}/tags/{tag}"
  // Who may call it in team mode; kPublic routes answer without a session.
  bool is_public = false;
  store::Role role = store::Role::kReader;
  std::string summary;
};

const std::vector<RouteInfo>& Routes();

// Serves until SIGINT or SIGTERM. `on_listening` gets the address to open once the port is
// bound (before any request is served).
Status Serve(const ServeOptions& options,
             const std::function<void(const std::string& url)>& on_listening);

// An argon2id hash of `password` in libsodium's string format (salt and parameters inside).
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& hash, const std::string& password);

}  // namespace trove::server

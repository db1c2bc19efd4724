// The HTTP side of `trove serve`: cpp-httplib hands every request to Dispatch, which finds the
// route in the table, checks the caller (session, role, CSRF, host), runs the handler and turns
// a non-OK Status into the API's one error shape. Static files of the UI are served from
// web_dir with the same security headers.
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sodium.h>

#include "core/collection.h"
#include "core/hash.h"
#include "server/internal/context.h"

namespace trove::server {
namespace internal {
namespace {

constexpr const char* kSessionCookie = "trove_session";
constexpr std::int64_t kSessionSeconds = 12 * 3600;
// Failed logins allowed within kLoginWindow seconds: per account (guessing one password), and
// per client address (trying many accounts; higher, since a newsroom may share one address).
constexpr int kMaxFailuresPerAccount = 5;
constexpr int kMaxFailuresPerAddress = 20;
constexpr std::int64_t kLoginWindow = 60;

// The UI loads its own script and style only; document content never runs.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

std::string TokenHash(const std::string& token) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  std::string hex(sizeof out * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), out, sizeof out);
  hex.pop_back();
  return hex;
}

int HttpStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kCorrupt:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kUnsupported:
      return 415;
    case StatusCode::kLimitExceeded:
      return 413;
    case StatusCode::kTimeout:
      return 503;
    default:
      return 500;
  }
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  const Json body = {{"error", {{"status", status}, {"message", message}}}};
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void SetSecurityHeaders(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  res.set_header("Cross-Origin-Resource-Policy", "same-origin");
}

// Splits "/a/b/c" into its non-empty segments.
std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool Match(const std::string& pattern, const std::string& path,
           std::map<std::string, std::string>* params) {
  const auto want = Segments(pattern);
  const auto got = Segments(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      found[w.substr(1, w.size() - 2)] = got[i];
    } else if (w != got[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

// Failed logins by client address and by account name, to slow down password guessing.
class LoginLimiter {
 public:
  bool IsBlocked(const std::string& key, int max_failures, std::int64_t now) {
    std::lock_guard lock(mu_);
    auto& times = failures_[key];
    std::erase_if(times, [&](std::int64_t t) { return t <= now - kLoginWindow; });
    return static_cast<int>(times.size()) >= max_failures;
  }
  void Fail(const std::string& key, std::int64_t now) {
    std::lock_guard lock(mu_);
    failures_[key].push_back(now);
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<std::int64_t>> failures_;
};

struct ServerState {
  explicit ServerState(const ServeOptions& options) : services(options) {}
  Services services;
  std::vector<Route> routes;
  LoginLimiter limiter;
};

std::optional<std::string> Cookie(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  std::size_t at = 0;
  while (at < header.size()) {
    std::size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(at, end - at);
    const auto first = part.find_first_not_of(' ');
    if (first != std::string::npos) part = part.substr(first);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    at = end + 1;
  }
  return std::nullopt;
}

bool IsStateChanging(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// The Host header must name the address the server listens on (or localhost on loopback):
// a page on another origin resolved to 127.0.0.1 (DNS rebinding) is refused.
bool IsAllowedHost(const httplib::Request& req, const ServeOptions& options, int port) {
  std::string host = req.get_header_value("Host");
  if (host.empty()) return true;  // HTTP/1.0 clients
  const std::string suffix = ":" + std::to_string(port);
  if (host.size() > suffix.size() &&
      host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) {
    host.resize(host.size() - suffix.size());
  }
  if (host == options.host) return true;
  const bool is_loopback =
      options.host == "127.0.0.1" || options.host == "localhost" || options.host == "::1";
  if (is_loopback) return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
  return options.host == "0.0.0.0" || options.host == "::";
}

Status Login(ServerState& state, Call& call) {
  TROVE_ASSIGN_OR_RETURN(Json body, call.Body({"name", "password"}));
  if (!body.contains("name") || !body["name"].is_string() || !body.contains("password") ||
      !body["password"].is_string()) {
    return Status::InvalidArgument("login needs \"name\" and \"password\" strings");
  }
  const std::string name = body["name"];
  const std::string password = body["password"];
  const std::int64_t now = std::time(nullptr);
  const std::string by_address = "addr:" + call.req.remote_addr;
  const std::string by_name = "name:" + name;
  if (state.limiter.IsBlocked(by_address, kMaxFailuresPerAddress, now) ||
      state.limiter.IsBlocked(by_name, kMaxFailuresPerAccount, now)) {
    SendError(call.res, 429, "too many failed logins; wait a minute and try again");
    return Status::Ok();
  }
  TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
  TROVE_ASSIGN_OR_RETURN(std::optional<store::User> user, workspace->FindUser(name));
  if (!user || !VerifyPassword(user->password_hash, password)) {
    state.limiter.Fail(by_address, now);
    state.limiter.Fail(by_name, now);
    (void)workspace->Audit({0, now, name, "login-failed", call.req.remote_addr});
    SendError(call.res, 401, "wrong name or password");
    return Status::Ok();
  }
  const std::string token = RandomHex(32);
  store::Session session{TokenHash(token), user->name, RandomHex(16), now, now + kSessionSeconds};
  TROVE_RETURN_IF_ERROR(workspace->PutSession(session));
  (void)workspace->Audit({0, now, user->name, "login", call.req.remote_addr});
  call.res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + token +
                                        "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                        std::to_string(kSessionSeconds));
  call.Send({{"user", user->name},
             {"role", store::RoleName(user->role)},
             {"csrf", session.csrf},
             {"mode", "team"}});
  return Status::Ok();
}

Status Logout(Call& call) {
  if (auto token = Cookie(call.req, kSessionCookie)) {
    TROVE_ASSIGN_OR_RETURN(auto workspace, call.services.workspaces.Take());
    TROVE_RETURN_IF_ERROR(workspace->DeleteSession(TokenHash(*token)));
  }
  call.Audit("logout", "");
  call.res.set_header("Set-Cookie", std::string(kSessionCookie) +
                                        "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  call.Send({{"ok", true}});
  return Status::Ok();
}

void Dispatch(ServerState& state, int port, const httplib::Request& req, httplib::Response& res) {
  SetSecurityHeaders(res);
  res.set_header("Cache-Control", "no-store");
  if (!IsAllowedHost(req, state.services.options, port)) {
    SendError(res, 421, "this server answers to " + state.services.options.host + " only");
    return;
  }
  const Route* route = nullptr;
  bool is_path_known = false;
  std::map<std::string, std::string> params;
  for (const Route& r : state.routes) {
    std::map<std::string, std::string> found;
    if (!Match(r.info.pattern, req.path, &found)) continue;
    is_path_known = true;
    if (r.info.method == req.method) {
      route = &r;
      params = std::move(found);
      break;
    }
  }
  if (route == nullptr) {
    if (is_path_known) {
      SendError(res, 405, req.method + " is not allowed on " + req.path);
    } else {
      SendError(res, 404, "no API route " + req.path);
    }
    return;
  }
  Call call{req, res, state.services, std::move(params), {}, store::Role::kAdmin, {}};
  for (const auto& [name, value] : call.params) {
    // Path parameters name documents, tags and users, never files: refuse anything that could
    // be read as a path or smuggle a control character.
    if (value == "." || value == ".." || value.find('/') != std::string::npos ||
        value.find('\\') != std::string::npos ||
        std::any_of(value.begin(), value.end(),
                    [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
      SendError(res, 400, "path parameter '" + name + "' is not a valid value");
      return;
    }
    if (name == "id" && !IsDocumentId(value)) {
      SendError(res, 400, "'" + value + "' is not a document id (32 hex digits)");
      return;
    }
  }
  auto workspace = state.services.workspaces.Take();
  if (!workspace.ok()) {
    SendError(res, 500, workspace.status().message());
    return;
  }
  auto users = (*workspace)->CountUsers();
  if (!users.ok()) {
    SendError(res, 500, users.status().message());
    return;
  }
  const bool is_team = *users > 0;
  if (is_team) {
    call.role = store::Role::kReader;
    std::optional<store::Session> session;
    if (auto token = Cookie(req, kSessionCookie)) {
      auto found = (*workspace)->FindSession(TokenHash(*token), std::time(nullptr));
      if (!found.ok()) {
        SendError(res, 500, found.status().message());
        return;
      }
      session = std::move(found).value();
    }
    std::optional<store::User> user;
    if (session) {
      auto found = (*workspace)->FindUser(session->user);
      if (found.ok()) user = std::move(found).value();
    }
    if (user) {
      call.user = user->name;
      call.role = user->role;
      call.csrf = session->csrf;
    } else if (!route->info.is_public) {
      SendError(res, 401, "log in first: this collection has accounts");
      return;
    }
    if (user && !route->info.is_public && user->role < route->info.role) {
      SendError(res, 403,
                std::string("this needs the ") + store::RoleName(route->info.role) + " role; " +
                    user->name + " is " + store::RoleName(user->role));
      return;
    }
  } else {
    call.csrf = state.services.local_csrf;
  }
  if (IsStateChanging(req.method) && route->info.pattern != "/api/login") {
    const std::string sent = req.get_header_value("X-CSRF-Token");
    if (call.csrf.empty() || sent.empty() ||
        sodium_memcmp(sent.data(), call.csrf.data(), std::min(sent.size(), call.csrf.size())) !=
            0 ||
        sent.size() != call.csrf.size()) {
      SendError(res, 403, "missing or wrong X-CSRF-Token header (GET /api/session gives it)");
      return;
    }
  }
  // Back to the pool: handlers take their own. (Discarding it here made every audited request
  // open the store again, migrations check included: a quarter of a search's time.)
  workspace->Release();
  Status status;
  if (route->info.pattern == "/api/login") {
    status = Login(state, call);
  } else if (route->info.pattern == "/api/logout") {
    status = Logout(call);
  } else if (route->info.pattern == "/api/session") {
    call.Send({{"mode", is_team ? "team" : "local"},
               {"user", call.user},
               {"role", call.user.empty() && is_team ? "" : store::RoleName(call.role)},
               {"csrf", call.csrf}});
  } else {
    status = route->handler(call);
  }
  if (!status.ok()) SendError(res, HttpStatus(status), status.message());
}

std::string MediaTypeOf(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

// A file of the built UI; any path that is not a file is the single-page app's index.html.
void ServeStatic(const ServeOptions& options, const httplib::Request& req, httplib::Response& res) {
  SetSecurityHeaders(res);
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(options.web_dir, ec);
  if (ec || !fs::is_directory(root)) {
    SendError(res, 404,
              "the web UI is not built (" + options.web_dir + "); run `make web` or use the API");
    return;
  }
  fs::path wanted = fs::weakly_canonical(root / fs::path(req.path).relative_path(), ec);
  const auto [end, _] = std::mismatch(root.begin(), root.end(), wanted.begin(), wanted.end());
  if (ec || end != root.end() || !fs::is_regular_file(wanted)) wanted = root / "index.html";
  std::ifstream in(wanted, std::ios::binary);
  if (!in) {
    SendError(res, 404, "the web UI has no index.html in " + options.web_dir);
    return;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const bool is_asset = wanted.parent_path().filename() == "assets";
  res.set_header("Cache-Control", is_asset ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_content(bytes.str(), MediaTypeOf(wanted));
}

std::atomic<httplib::Server*> g_running{nullptr};

void StopOnSignal(int) {
  if (httplib::Server* server = g_running.load()) server->stop();
}

}  // namespace

Services::Services(const ServeOptions& opts)
    : options(opts),
      readers([dir = IndexDir(opts.collection)] { return index::Reader::Open(dir); }),
      stores([path = StorePath(opts.collection)] { return store::Store::Open(path); }),
      workspaces([path = StorePath(opts.collection)] { return store::Workspace::Open(path); }),
      watchlists([path = StorePath(opts.collection)] { return store::WatchLists::Open(path); }),
      local_csrf(RandomHex(16)) {}

std::string Call::Query(const std::string& name, const std::string& fallback) const {
  return req.has_param(name) ? req.get_param_value(name) : fallback;
}

Result<Json> Call::Body(const std::vector<std::string>& allowed) const {
  Json body = Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Status::InvalidArgument("the request body is not valid JSON");
  if (!body.is_object()) return Status::InvalidArgument("the request body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      return Status::InvalidArgument("unknown field \"" + key + "\" (this request takes " + known +
                                     ")");
    }
  }
  return body;
}

void Call::Send(const Json& value, int status) const {
  res.status = status;
  res.set_content(value.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void Call::Audit(const std::string& action, const std::string& detail) const {
  auto workspace = services.workspaces.Take();
  Status status =
      workspace.ok() ? (*workspace)->Audit({0, 0, user, action, detail}) : workspace.status();
  if (!status.ok()) std::fprintf(stderr, "trove serve: audit log: %s\n", status.message().c_str());
}

}  // namespace internal

const std::vector<RouteInfo>& Routes() {
  static const std::vector<RouteInfo> routes = [] {
    std::vector<RouteInfo> out;
    for (const internal::Route& r : internal::ApiRoutes()) out.push_back(r.info);
    return out;
  }();
  return routes;
}

Result<std::string> HashPassword(const std::string& password) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to start");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::LimitExceeded("not enough memory to hash the password");
  }
  return std::string(hash);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  if (sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Status Serve(const ServeOptions& given,
             const std::function<void(const std::string& url)>& on_listening) {
  ServeOptions options = given;
  if (options.web_dir.empty()) {
    const char* env = std::getenv("TROVE_WEB");
    options.web_dir = env != nullptr && *env != '\0' ? env : TROVE_WEB_DIR;
  }
  if (sodium_init() < 0) return Status::Internal("libsodium failed to start");
  // The collection must exist: serving an empty folder by mistake helps nobody.
  TROVE_RETURN_IF_ERROR(store::Store::Open(StorePath(options.collection)).status());
  internal::ServerState state(options);
  state.routes = internal::ApiRoutes();
  httplib::Server server;
  server.new_task_queue = [threads = options.threads] {
    return new httplib::ThreadPool(static_cast<std::size_t>(std::max(1, threads)));
  };
  server.set_payload_max_length(options.max_body_bytes);
  server.set_read_timeout(30, 0);
  int port = options.port;
  auto api = [&state, &port](const httplib::Request& req, httplib::Response& res) {
    internal::Dispatch(state, port, req, res);
  };
  auto page = [&options](const httplib::Request& req, httplib::Response& res) {
    internal::ServeStatic(options, req, res);
  };
  server.Get("/api/.*", api);
  server.Post("/api/.*", api);
  server.Put("/api/.*", api);
  server.Delete("/api/.*", api);
  server.Patch("/api/.*", api);
  server.Get(".*", page);
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string what = "internal error";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        internal::SendError(res, 500, what);
      });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    internal::SetSecurityHeaders(res);
    const std::string message = res.status == 413   ? "the request body is too large"
                                : res.status == 414 ? "the request line is too long"
                                                    : "cannot serve " + req.path;
    internal::SendError(res, res.status, message);
  });
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) return Status::IOError("cannot listen on " + options.host);
  } else if (!server.bind_to_port(options.host, port)) {
    return Status::IOError("cannot listen on " + options.host + ":" + std::to_string(port) +
                           " (in use? try --port)");
  }
  const bool is_v6 = options.host.find(':') != std::string::npos;
  const std::string host = is_v6 ? "[" + options.host + "]" : options.host;
  if (on_listening) on_listening("http://" + host + ":" + std::to_string(port) + "/");
  internal::g_running.store(&server);
  std::signal(SIGINT, internal::StopOnSignal);
  std::signal(SIGTERM, internal::StopOnSignal);
  const bool is_ok = server.listen_after_bind();
  internal::g_running.store(nullptr);
  if (!is_ok) return Status::IOError("the server stopped on an error");
  return Status::Ok();
}

}  // namespace trove::server

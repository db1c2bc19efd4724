#include "cli/serve.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <termios.h>
#include <unistd.h>

#include "cli/format.h"
#include "core/collection.h"
#include "server/server.h"
#include "store/workspace.h"

namespace trove::cli {
namespace {

// A line of standard input; echo is off when it is a terminal.
std::string ReadSecret(const char* prompt) {
  const bool is_tty = isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (is_tty) {
    std::fprintf(stderr, "%s", prompt);
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (is_tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fprintf(stderr, "\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int AddUser(const std::string& collection, const std::string& name, const std::string& role_name) {
  const auto role = store::ParseRole(role_name);
  if (!role) return Fail(Status::InvalidArgument("role must be reader, editor or admin"));
  std::string password = ReadSecret(("password for " + name + ": ").c_str());
  if (isatty(STDIN_FILENO) == 1 && ReadSecret("again: ") != password) {
    return Fail(Status::InvalidArgument("the two passwords differ"));
  }
  if (password.size() < 8) {
    return Fail(Status::InvalidArgument("a password has at least 8 characters"));
  }
  auto hash = server::HashPassword(password);
  if (!hash.ok()) return Fail(hash.status());
  auto workspace = store::Workspace::Open(StorePath(collection));
  if (!workspace.ok()) return Fail(workspace.status());
  auto had = (*workspace)->CountUsers();
  if (!had.ok()) return Fail(had.status());
  Status status = (*workspace)->PutUser({name, *role, *hash, 0});
  if (!status.ok()) return Fail(status);
  (void)(*workspace)->Audit({0, 0, "(command line)", "user-add", name + " " + role_name});
  std::printf("%s is %s%s\n", name.c_str(), role_name.c_str(),
              *had == 0 ? "; the collection is now in team mode: log in to use it" : "");
  return 0;
}

int ListUsers(const std::string& collection) {
  auto workspace = store::Workspace::Open(StorePath(collection));
  if (!workspace.ok()) return Fail(workspace.status());
  auto users = (*workspace)->ListUsers();
  if (!users.ok()) return Fail(users.status());
  if (users->empty()) std::printf("no accounts: local mode (127.0.0.1, no login)\n");
  for (const auto& u : *users) std::printf("%-8s %s\n", store::RoleName(u.role), u.name.c_str());
  return 0;
}

int RemoveUser(const std::string& collection, const std::string& name) {
  auto workspace = store::Workspace::Open(StorePath(collection));
  if (!workspace.ok()) return Fail(workspace.status());
  Status status = (*workspace)->DeleteUser(name);
  if (!status.ok()) return Fail(status);
  (void)(*workspace)->Audit({0, 0, "(command line)", "user-delete", name});
  std::printf("removed %s\n", name.c_str());
  return 0;
}

int Audit(const std::string& collection, std::uint64_t limit) {
  auto workspace = store::Workspace::Open(StorePath(collection));
  if (!workspace.ok()) return Fail(workspace.status());
  auto entries = (*workspace)->ListAudit(0, limit);
  if (!entries.ok()) return Fail(entries.status());
  for (const auto& e : *entries) {
    char when[32] = "";
    const std::time_t t = static_cast<std::time_t>(e.time);
    std::tm tm{};
    if (gmtime_r(&t, &tm) != nullptr) std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::printf("%s  %-12s %-14s %s\n", when, e.user.empty() ? "-" : e.user.c_str(),
                e.action.c_str(), e.detail.c_str());
  }
  return 0;
}

int PrintRoutes() {
  for (const server::RouteInfo& r : server::Routes()) {
    std::printf("%-6s %-36s %-7s %s\n", r.method.c_str(), r.pattern.c_str(),
                r.is_public ? "public" : store::RoleName(r.role), r.summary.c_str());
  }
  return 0;
}

}  // namespace

std::function<std::optional<int>()> AddServeCommands(CLI::App& app) {
  struct State {
    server::ServeOptions serve;
    std::string collection = kDefaultCollection;
    std::string name, role = "reader";
    std::uint64_t limit = 100;
  };
  auto state = std::make_shared<State>();
  state->serve.web_dir.clear();

  auto* serve = app.add_subcommand("serve", "the web UI and JSON API (docs/api.md)");
  serve->add_option("--collection", state->collection, "collection directory")
      ->capture_default_str();
  serve
      ->add_option("--host", state->serve.host,
                   "address to listen on; anything but 127.0.0.1 shares the collection with "
                   "the network: add accounts first (trove user add)")
      ->capture_default_str();
  serve->add_option("--port", state->serve.port, "port (0: any free port)")->capture_default_str();
  serve->add_option("--web", state->serve.web_dir, "the built web UI (default: web/dist)");
  serve->add_option("--threads", state->serve.threads, "requests served at once")
      ->capture_default_str();

  auto* user = app.add_subcommand("user", "accounts of team mode: add, list, remove");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand(
      "add", "add or change an account (the password is read from standard input)");
  auto* user_list = user->add_subcommand("list", "the accounts and their roles");
  auto* user_remove = user->add_subcommand("remove", "delete an account and its sessions");
  for (auto* cmd : {user_add, user_list, user_remove}) {
    cmd->add_option("--collection", state->collection, "collection directory")
        ->capture_default_str();
  }
  user_add->add_option("NAME", state->name, "account name")->required();
  user_add->add_option("--role", state->role, "reader, editor or admin")
      ->check(CLI::IsMember({"reader", "editor", "admin"}))
      ->capture_default_str();
  user_remove->add_option("NAME", state->name, "account name")->required();

  auto* audit = app.add_subcommand("audit", "who searched, viewed and exported what, newest first");
  audit->add_option("--collection", state->collection, "collection directory")
      ->capture_default_str();
  audit->add_option("--limit", state->limit, "entries to show")->capture_default_str();

  auto* routes = app.add_subcommand("routes", "the API's routes and the role each needs");

  return [=]() -> std::optional<int> {
    if (serve->parsed()) {
      state->serve.collection = state->collection;
      const std::string& host = state->serve.host;
      if (host != "127.0.0.1" && host != "localhost" && host != "::1") {
        auto workspace = store::Workspace::Open(StorePath(state->collection));
        auto users = workspace.ok() ? (*workspace)->CountUsers() : Result<std::uint64_t>(0);
        if (users.ok() && *users == 0) {
          std::fprintf(stderr,
                       "trove: warning: %s has no accounts, so anyone who can reach %s can read "
                       "it; add one first (trove user add NAME --role admin)\n",
                       state->collection.c_str(), host.c_str());
        }
      }
      Status status = server::Serve(state->serve, [&](const std::string& url) {
        std::printf("trove: serving %s at %s (Ctrl-C stops)\n", state->collection.c_str(),
                    url.c_str());
        std::fflush(stdout);
      });
      return status.ok() ? 0 : Fail(status);
    }
    if (user_add->parsed()) return AddUser(state->collection, state->name, state->role);
    if (user_list->parsed()) return ListUsers(state->collection);
    if (user_remove->parsed()) return RemoveUser(state->collection, state->name);
    if (audit->parsed()) return Audit(state->collection, state->limit);
    if (routes->parsed()) return PrintRoutes();
    return std::nullopt;
  };
}

}  // namespace trove::cli

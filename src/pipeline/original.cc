#include "pipeline/original.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/document.h"
#include "core/file.h"
#include "core/hash.h"
#include "extract/extractor.h"
#include "extract/registry.h"
#include "pipeline/internal/finding_sink.h"

namespace trove::pipeline {
namespace {

using internal::FindingSink;

// What the child sends: one byte (kOk or kError), an 8-byte little-endian length, then the
// member's bytes or the error message.
constexpr char kOk = 'O';
constexpr char kError = 'E';
constexpr char kTooLarge = 'L';
constexpr char kGone = 'N';
constexpr std::size_t kHeaderBytes = 9;

// In the child: the bytes at `chain`, found by extracting each container on the way again.
Result<std::string> FindMember(const OriginalRequest& request, const IngestOptions& options) {
  const std::unique_ptr<extract::Registry> registry =
      options.registry_factory ? options.registry_factory() : extract::Registry::CreateDefault();
  TROVE_ASSIGN_OR_RETURN(auto file, MappedFile::Open(request.source_path, options.max_file_bytes));
  std::string bytes(file.bytes());
  std::string current = request.source_path;
  std::string name = current.substr(current.rfind('/') + 1);
  std::string hint;
  for (int depth = 0; current != request.chain; ++depth) {
    if (depth > options.max_depth || request.chain.compare(0, current.size(), current) != 0) {
      return Status::NotFound("cannot find " + request.chain + " any more");
    }
    const std::string media_type = extract::DetectMediaType(bytes, name, hint);
    const extract::Extractor* extractor = registry->Find(media_type);
    if (extractor == nullptr) return Status::NotFound("cannot open " + current + " any more");
    FindingSink sink(current, request.chain);
    const extract::Input input{bytes, name, media_type, options.limits};
    (void)extractor->Extract(input, sink);  // stopped early once the member is found
    if (!sink.found().has_value()) {
      return Status::NotFound("cannot find " + request.chain + " any more");
    }
    ChildFile child = std::move(*sink.found());
    current = sink.found_chain();
    name = child.name.substr(child.name.rfind('/') + 1);
    hint = std::move(child.media_type);
    bytes = std::move(child.bytes);
  }
  if (bytes.size() > request.max_bytes) {
    return Status::LimitExceeded(std::to_string(bytes.size()));
  }
  return bytes;
}

bool WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void RunChild(int out_fd, const OriginalRequest& request,
                           const IngestOptions& options) {
  char code = kOk;
  std::string payload;
  try {
    auto bytes = FindMember(request, options);
    if (bytes.ok()) {
      payload = std::move(bytes).value();
    } else {
      code = bytes.status().Is(StatusCode::kLimitExceeded) ? kTooLarge
             : bytes.status().Is(StatusCode::kNotFound)    ? kGone
                                                           : kError;
      payload = bytes.status().message();
    }
  } catch (const std::exception& e) {
    code = kError;
    payload = std::string("parser error: ") + e.what();
  }
  char header[kHeaderBytes];
  header[0] = code;
  const auto size = static_cast<std::uint64_t>(payload.size());
  for (int i = 0; i < 8; ++i) header[1 + i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  const bool is_sent =
      WriteAll(out_fd, header, sizeof header) && WriteAll(out_fd, payload.data(), payload.size());
  _exit(is_sent ? 0 : 1);
}

}  // namespace

Result<std::string> ExtractOriginal(const OriginalRequest& request, const IngestOptions& options) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return Status::IOError(std::string("pipe: ") + std::strerror(errno));
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::IOError(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Like an ingest worker: dies with its parent, limited in memory and CPU, silent, and holding
    // none of the server's sockets or databases.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    signal(SIGPIPE, SIG_IGN);
    const int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDOUT_FILENO);
      if (getenv("TROVE_WORKER_STDERR") == nullptr) dup2(devnull, STDERR_FILENO);
    }
    const int out_fd = 3;
    if (fds[1] != out_fd && dup2(fds[1], out_fd) < 0) _exit(1);
    close_range(out_fd + 1, ~0U, 0);
#if !defined(__SANITIZE_ADDRESS__)
    if (options.memory_limit_bytes > 0) {
      const rlimit memory{options.memory_limit_bytes, options.memory_limit_bytes};
      setrlimit(RLIMIT_AS, &memory);
    }
#endif
    if (options.timeout_seconds > 0) {
      const auto seconds = static_cast<rlim_t>(options.timeout_seconds);
      const rlimit cpu{seconds, seconds + 1};
      setrlimit(RLIMIT_CPU, &cpu);
    }
    RunChild(out_fd, request, options);
  }
  ::close(fds[1]);
  const int in_fd = fds[0];

  // Read the answer until the deadline; a child that overstays it is killed.
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(std::max(1, options.timeout_seconds));
  std::string answer;
  std::uint64_t expected = 0;
  bool has_header = false;
  bool is_timed_out = false;
  bool is_too_large = false;
  char buf[1 << 16];
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      is_timed_out = true;
      break;
    }
    pollfd p{in_fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    const ssize_t n = ::read(in_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child is done (or died)
    answer.append(buf, static_cast<std::size_t>(n));
    if (!has_header && answer.size() >= kHeaderBytes) {
      has_header = true;
      for (int i = 0; i < 8; ++i) {
        expected |= static_cast<std::uint64_t>(static_cast<unsigned char>(answer[1 + i]))
                    << (8 * i);
      }
      // The child checks the cap; the parent does not trust it to.
      if (answer[0] == kOk && expected > request.max_bytes) {
        is_too_large = true;
        break;
      }
      answer.reserve(kHeaderBytes + expected);
    }
    if (has_header && answer.size() > kHeaderBytes + expected) break;
  }
  ::close(in_fd);
  if (is_timed_out || is_too_large) kill(pid, SIGKILL);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }

  const std::string what = request.chain;
  if (is_timed_out) {
    return Status::Timeout("extracting " + what + " took longer than " +
                           std::to_string(options.timeout_seconds) + " s");
  }
  const std::string too_large = "the original of " + what + " is larger than the " +
                                std::to_string(request.max_bytes >> 20) + " MB download limit";
  if (is_too_large) return Status::LimitExceeded(too_large);
  if (!has_header || answer.size() != kHeaderBytes + expected) {
    std::string why = "the extraction of " + what + " stopped";
    if (WIFSIGNALED(wait_status)) {
      why += " on signal " + std::to_string(WTERMSIG(wait_status)) +
             (WTERMSIG(wait_status) == SIGXCPU ? " (CPU time limit)" : "");
    } else if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) != 0) {
      why += " with exit code " + std::to_string(WEXITSTATUS(wait_status)) + " (out of memory?)";
    }
    return Status::IOError(why);
  }
  const char code = answer[0];
  answer.erase(0, kHeaderBytes);
  std::string payload = std::move(answer);
  switch (code) {
    case kOk:
      break;
    case kTooLarge:
      return Status::LimitExceeded(too_large);
    case kGone:
      return Status::NotFound(payload);
    default:
      return Status::IOError("cannot extract " + what + ": " + payload);
  }
  if (ContentHash(payload) != request.expected_id) {
    return Status::NotFound(what + " has changed since it was indexed (its content hash is not " +
                            request.expected_id + ")");
  }
  return payload;
}

}  // namespace trove::pipeline

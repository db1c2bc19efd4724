#include "extract/legacy/helper_program.h"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace trove::extract::internal {
namespace {

constexpr std::size_t kMaxErrBytes = 4096;
// The child reports a failed exec with this exit code (as shells use 127 for "not found").
constexpr int kExecFailed = 127;

class TempFile {
 public:
  ~TempFile() {
    if (!path_.empty()) unlink(path_.c_str());
  }
  Status Write(std::string_view bytes) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern =
        std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/trove-helper-XXXXXX";
    const int fd = mkstemp(pattern.data());
    if (fd < 0)
      return Status::IOError("cannot create a temporary file: " +
                             std::string(std::strerror(errno)));
    path_ = pattern;
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fd);
        return Status::IOError("cannot write a temporary file " + path_ + ": " +
                               std::strerror(errno));
      }
      written += static_cast<std::size_t>(n);
    }
    close(fd);
    return Status::Ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

Result<HelperOutput> RunHelper(const std::vector<std::string>& argv, std::string_view input,
                               const HelperLimits& limits) {
  if (argv.empty()) return Status::InvalidArgument("no helper program given");
  TempFile file;
  TROVE_RETURN_IF_ERROR(file.Write(input));
  std::vector<std::string> args = argv;
  args.push_back(file.path());
  std::vector<char*> c_args;
  for (std::string& arg : args) c_args.push_back(arg.data());
  c_args.push_back(nullptr);

  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Status::IOError("pipe failed");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Status::IOError("pipe failed");
  }
  const pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    return Status::IOError("cannot start " + argv[0] + ": " + std::strerror(errno));
  }
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec: the worker may have threads.
    const rlimit memory{limits.max_memory_bytes, limits.max_memory_bytes};
    setrlimit(RLIMIT_AS, &memory);
    const rlim_t cpu_seconds = static_cast<rlim_t>(limits.timeout.count() / 1000 + 1);
    const rlimit cpu{cpu_seconds, cpu_seconds};
    setrlimit(RLIMIT_CPU, &cpu);
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execvp(c_args[0], c_args.data());
    _exit(kExecFailed);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);

  HelperOutput output;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  std::array<pollfd, 2> fds = {{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
  bool is_timed_out = false;
  int open_count = 2;
  std::array<char, 65536> buffer;
  while (open_count > 0) {
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) {
      is_timed_out = true;
      break;
    }
    const int ready = poll(fds.data(), fds.size(), static_cast<int>(remaining.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    for (std::size_t idx = 0; idx < fds.size(); ++idx) {
      if (fds[idx].fd < 0 || fds[idx].revents == 0) continue;
      const ssize_t n = read(fds[idx].fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fds[idx].fd);
        fds[idx].fd = -1;
        --open_count;
        continue;
      }
      std::string& target = idx == 0 ? output.out : output.err;
      const std::uint64_t cap = idx == 0 ? limits.max_output_bytes : kMaxErrBytes;
      const std::size_t room =
          target.size() >= cap ? 0 : static_cast<std::size_t>(cap - target.size());
      target.append(buffer.data(), std::min(room, static_cast<std::size_t>(n)));
      if (idx == 0 && static_cast<std::size_t>(n) > room) output.is_truncated = true;
    }
    if (output.is_truncated) break;  // enough: the rest is not read
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  if (is_timed_out || output.is_truncated) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (is_timed_out) {
    return Status::Timeout(argv[0] + " ran longer than " +
                           std::to_string(limits.timeout.count() / 1000) + " s");
  }
  if (WIFEXITED(status)) {
    output.exit_code = WEXITSTATUS(status);
    if (output.exit_code == kExecFailed && output.out.empty() && output.err.empty()) {
      return Status::NotFound("helper program " + argv[0] + " is not installed");
    }
  } else if (WIFSIGNALED(status) && !output.is_truncated) {
    return Status::Crashed(argv[0] + " died with signal " + std::to_string(WTERMSIG(status)));
  }
  return output;
}

}  // namespace trove::extract::internal

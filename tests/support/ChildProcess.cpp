#include "support/ChildProcess.hpp"

#include "core/ExecArgs.hpp"
#include "support/Files.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <atomic>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace streamdx::testing {

namespace {

std::atomic<int> g_counter{0};

}  // namespace

std::filesystem::path scratch_dir(const std::string& test_name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("streamdx-" + test_name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

ChildProcess::ChildProcess(std::vector<std::string> argv, const std::filesystem::path& input) {
  const auto base =
      std::filesystem::temp_directory_path() /
      ("streamdx-child-" + std::to_string(::getpid()) + "-" + std::to_string(g_counter++));
  out_path_ = base.string() + ".out";
  err_path_ = base.string() + ".err";

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, input.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<char*> cargv = exec_argv(argv);
  const int rc = posix_spawn(&pid_, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed for " + argv[0]);
}

ChildProcess::~ChildProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove(out_path_, ignored);
  std::filesystem::remove(err_path_, ignored);
}

void ChildProcess::send_signal(int sig) const {
  if (!reaped_) ::kill(pid_, sig);
}

ChildExit ChildProcess::wait(std::chrono::milliseconds timeout) {
  ChildExit result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reaped_ = true;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.out = read_file(out_path_);
  result.err = read_file(err_path_);
  return result;
}

ChildExit run_streamdx(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{STREAMDX_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess child(argv);
  return child.wait(timeout);
}

ChildExit run_streamdx_like(const std::vector<std::string>& argv,
                            const std::filesystem::path& input, std::chrono::milliseconds timeout) {
  ChildProcess child(argv, input);
  return child.wait(timeout);
}

}  // namespace streamdx::testing

namespace streamdx::testing {

ChildExit run_with_chunked_stdin(const std::vector<std::string>& argv,
                                 const std::filesystem::path& input,
                                 const std::vector<std::size_t>& chunks, std::size_t pause_every) {
  const auto fifo = scratch_dir("fifo") / "stdin";
  if (::mkfifo(fifo.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
  // The writer runs on its own thread: opening a FIFO blocks until the other end opens, and
  // the child (which opens the read end) starts only after posix_spawn returns.
  std::thread writer([&] {
    const std::string bytes = read_file(input);
    std::ofstream pipe(fifo, std::ios::binary);
    std::size_t at = 0;
    for (std::size_t k = 0; at < bytes.size(); ++k) {
      const std::size_t n = std::min(chunks[k % chunks.size()], bytes.size() - at);
      pipe.write(bytes.data() + at, static_cast<std::streamsize>(n));
      pipe.flush();
      at += n;
      if (pause_every != 0 && k % pause_every == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  });
  ChildProcess child(argv, fifo);
  writer.join();
  ChildExit result = child.wait();
  std::filesystem::remove(fifo);
  return result;
}

}  // namespace streamdx::testing

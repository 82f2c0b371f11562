#pragma once
// A real child process for tests: started with posix_spawn, stdout and stderr captured to files,
// stopped by PID. The destructor kills a child that is still running, so no test leaks one.
#include <sys/types.h>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace streamdx::testing {

struct ChildExit {
  int exit_code = -1;  // when it exited
  int signal = 0;      // when a signal ended it
  bool timed_out = false;
  std::string out;
  std::string err;
};

class ChildProcess {
 public:
  explicit ChildProcess(std::vector<std::string> argv,
                        const std::filesystem::path& input = "/dev/null");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  void send_signal(int sig) const;
  // Waits for exit; after `timeout` the child is killed and timed_out is set.
  ChildExit wait(std::chrono::milliseconds timeout = std::chrono::seconds(120));

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
};

// Runs `streamdx ARGS...` to completion.
ChildExit run_streamdx(const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = std::chrono::seconds(120));

// Runs any program to completion with stdin from `input`.
ChildExit run_streamdx_like(const std::vector<std::string>& argv,
                            const std::filesystem::path& input,
                            std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Runs `argv` with stdin from a FIFO fed with `input`'s bytes in pieces of `chunks` sizes
// (cycled), each flushed, so the child's reads come back short; with `pause_every` > 0 the
// writer also sleeps 1 ms every that many pieces.
ChildExit run_with_chunked_stdin(const std::vector<std::string>& argv,
                                 const std::filesystem::path& input,
                                 const std::vector<std::size_t>& chunks,
                                 std::size_t pause_every = 0);

// A fresh directory for one test's files.
std::filesystem::path scratch_dir(const std::string& test_name);

}  // namespace streamdx::testing

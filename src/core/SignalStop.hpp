#pragma once
// SignalStop turns SIGINT and SIGTERM into a clean stop request. Construct it before any other
// thread starts: it blocks both signals in the calling thread (new threads inherit the mask) and
// receives them on its own thread with sigtimedwait, so the stop callback runs as ordinary code,
// never inside an async signal handler.
#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace streamdx {

class SignalStop {
 public:
  explicit SignalStop(std::function<void(int signal)> on_signal);
  ~SignalStop();  // stops listening and restores the old signal mask
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

  // The signal that arrived (SIGINT or SIGTERM), or 0.
  [[nodiscard]] int received() const noexcept { return received_.load(); }

 private:
  std::function<void(int)> on_signal_;
  sigset_t old_mask_{};
  std::atomic<int> received_{0};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace streamdx

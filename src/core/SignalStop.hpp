#pragma once
// SIGINT and SIGTERM as clean stop requests.
//
// install_signal_gate() is the first thing main() does, before any library can start a thread:
// it blocks both signals in the main thread, so every thread started later inherits the block
// (OpenBLAS's workers, started when LibTorch loads, included), and starts the one thread that
// receives them, with sigwait. A signal then never lands on a thread that would let it kill the
// process mid-write.
//
// A SignalStop is a scope that wants the signals: while one is alive, the first signal calls its
// callback (on the gate's thread, as ordinary code, never inside an async handler) and later
// ones are ignored, the stop being under way. While none is alive, a signal ends the process as
// it would have (exit status 128 + the signal), so a command without anything to flush still
// stops at once.
//
// Without the gate (unit tests), a SignalStop blocks the signals itself and receives them on a
// thread of its own.
//
// SIGUSR1 is a request, not a stop: the gate blocks it too, and passes it to the SignalRequest
// alive at the time (`epr run` writes a snapshot of its image), or says that nothing takes
// requests. It never ends the process, as it would by default. Only through the gate.
#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace streamdx {

void install_signal_gate();

class SignalStop {
 public:
  explicit SignalStop(std::function<void(int signal)> on_signal);
  ~SignalStop();  // stops listening (and, without the gate, restores the old signal mask)
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

  // The signal that arrived (SIGINT or SIGTERM), or 0.
  [[nodiscard]] int received() const noexcept { return received_.load(); }

  // Called by whichever thread receives the signal.
  void deliver(int sig);

 private:
  std::function<void(int)> on_signal_;
  std::atomic<int> received_{0};
  bool gated_ = false;
  // Without the gate only:
  sigset_t old_mask_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// A scope that answers SIGUSR1 (through the gate; see above). `on_request` runs on the gate's
// thread, as ordinary code, once per signal.
class SignalRequest {
 public:
  explicit SignalRequest(std::function<void()> on_request);
  ~SignalRequest();
  SignalRequest(const SignalRequest&) = delete;
  SignalRequest& operator=(const SignalRequest&) = delete;

  void deliver();  // called by the gate's thread

 private:
  std::function<void()> on_request_;
};

}  // namespace streamdx

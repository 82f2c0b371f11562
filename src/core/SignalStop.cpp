#include "core/SignalStop.hpp"

#include <pthread.h>
#include <ctime>

namespace streamdx {

SignalStop::SignalStop(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
  thread_ = std::thread([this, set] {
    const timespec poll{0, 100'000'000};  // look at done_ ten times a second
    while (!done_.load()) {
      const int sig = sigtimedwait(&set, nullptr, &poll);
      if (done_.load()) break;  // the destructor's wake-up call, not a user's signal
      if (sig == SIGINT || sig == SIGTERM) {
        // A second signal after the first is ignored: the stop is already under way.
        int expected = 0;
        if (received_.compare_exchange_strong(expected, sig)) on_signal_(sig);
      }
    }
  });
}

SignalStop::~SignalStop() {
  done_.store(true);
  // Wake the thread now rather than at its next poll: otherwise every command's exit (and every
  // benchmark's clock) waited up to 0.1 s for it.
  // NOLINTNEXTLINE(bugprone-bad-signal-to-kill-thread): it waits for this very signal
  pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

}  // namespace streamdx

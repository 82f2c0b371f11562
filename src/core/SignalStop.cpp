#include "core/SignalStop.hpp"

#include <pthread.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace streamdx {

namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// The gate's state: whether it runs, the SignalStop that wants the stop signals now, and the
// SignalRequest that wants SIGUSR1.
struct Gate {
  std::mutex mutex;
  bool installed = false;
  SignalStop* listener = nullptr;
  SignalRequest* requester = nullptr;
};

Gate& gate() {
  static Gate g;
  return g;
}

}  // namespace

void install_signal_gate() {
  Gate& g = gate();
  const std::scoped_lock lock(g.mutex);
  if (g.installed) return;
  sigset_t set = stop_signals();
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // Lives as long as the process: it is what receives the signals.
  std::thread([set] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      Gate& gt = gate();
      const std::scoped_lock guard(gt.mutex);
      if (sig == SIGUSR1) {
        // A request, never a stop: with nobody to answer it, it is said and ignored.
        if (gt.requester != nullptr) {
          gt.requester->deliver();
        } else {
          std::fprintf(stderr, "streamdx: SIGUSR1 received: this command takes no requests\n");
        }
        continue;
      }
      if (gt.listener == nullptr) {
        // Nothing is running yet (or any more) that could stop cleanly: while a command starts
        // (options, model load), nothing has been processed, so there is nothing to flush.
        std::fprintf(stderr, "streamdx: %s received while starting: stopped, nothing processed\n",
                     sig == SIGINT ? "SIGINT" : "SIGTERM");
        std::_Exit(128 + sig);  // as the signal itself would
      }
      gt.listener->deliver(sig);
    }
  }).detach();
  g.installed = true;
}

SignalStop::SignalStop(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  {
    Gate& g = gate();
    const std::scoped_lock lock(g.mutex);
    if (g.installed) {
      gated_ = true;
      g.listener = this;
      return;
    }
  }
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
  thread_ = std::thread([this, set] {
    const timespec poll{0, 100'000'000};  // look at done_ ten times a second
    while (!done_.load()) {
      const int sig = sigtimedwait(&set, nullptr, &poll);
      if (done_.load()) break;  // the destructor's wake-up call, not a user's signal
      if (sig == SIGINT || sig == SIGTERM) deliver(sig);
    }
  });
}

void SignalStop::deliver(int sig) {
  // A second signal after the first is ignored: the stop is already under way.
  int expected = 0;
  if (received_.compare_exchange_strong(expected, sig)) on_signal_(sig);
}

SignalStop::~SignalStop() {
  if (gated_) {
    Gate& g = gate();
    const std::scoped_lock lock(g.mutex);
    if (g.listener == this) g.listener = nullptr;
    return;
  }
  done_.store(true);
  // Wake the thread now rather than at its next poll: otherwise every command's exit (and every
  // benchmark's clock) waited up to 0.1 s for it.
  // NOLINTNEXTLINE(bugprone-bad-signal-to-kill-thread): it waits for this very signal
  pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

SignalRequest::SignalRequest(std::function<void()> on_request)
    : on_request_(std::move(on_request)) {
  Gate& g = gate();
  const std::scoped_lock lock(g.mutex);
  g.requester = this;
}

SignalRequest::~SignalRequest() {
  Gate& g = gate();
  const std::scoped_lock lock(g.mutex);
  if (g.requester == this) g.requester = nullptr;
}

void SignalRequest::deliver() {
  if (on_request_) on_request_();
}

}  // namespace streamdx

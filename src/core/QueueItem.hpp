#pragma once
// What a reader takes out of a queue: the value, and when it went in, so that every reader can
// tell how stale its data is.
#include <memory>

#include "core/Clock.hpp"

namespace streamdx {

template <class T>
struct QueueItem {
  std::unique_ptr<T> value;
  MonoNs enqueued_ns = 0;

  // How long the item waited in the queue before `now`.
  [[nodiscard]] MonoNs age_ns(MonoNs now = monotonic_ns()) const noexcept {
    return now - enqueued_ns;
  }
};

}  // namespace streamdx

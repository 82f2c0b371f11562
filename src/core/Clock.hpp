#pragma once
// One clock for every latency figure: CLOCK_MONOTONIC in nanoseconds. It is shared by all
// processes on one machine, so stamps taken on both sides of an ipc or loopback tcp edge compare
// directly; across machines they do not (docs/PROTOCOL.md).
#include <chrono>
#include <cstdint>

namespace streamdx {

using MonoNs = std::int64_t;

inline MonoNs monotonic_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace streamdx

#include "core/RealtimePacer.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

namespace streamdx {

bool RealtimePacer::wait_for(const Frame& frame, const std::stop_token& stop) {
  const auto duration_ns = static_cast<std::int64_t>(
      std::llround(1e9 * frame.shape.samples_per_channel / std::max(frame.sample_rate_hz, 1e-9)));
  const std::int64_t complete_at = frame.first_sample_ns + duration_ns;
  if (!started_) {
    started_ = true;
    origin_ns_ = monotonic_ns() - frame.first_sample_ns;
  }
  const MonoNs release = origin_ns_ + complete_at;
  constexpr MonoNs kSliceNs = 100'000'000;
  for (MonoNs now = monotonic_ns(); now < release; now = monotonic_ns()) {
    if (stop.stop_requested()) return false;
    std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(release - now, kSliceNs)));
  }
  return !stop.stop_requested();
}

FramePtr PacedSource::next(const std::stop_token& stop) {
  FramePtr frame = inner_->next(stop);
  if (!frame || !pacer_.wait_for(*frame, stop)) return nullptr;
  // The frame becomes available now, not when the file was read: restamp the source.
  if (frame->stamp_count > 0) frame->stamps[0].t_ns = monotonic_ns();
  return frame;
}

}  // namespace streamdx

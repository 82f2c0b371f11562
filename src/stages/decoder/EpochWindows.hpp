#pragma once
// EpochWindows: turns the stream of LFCC feature frames (channels x 26 every 0.1 s) into the
// model's input: for every channel, the last 7 one-second epochs of 10 frames, oldest first.
//
// An epoch completes with its 10th frame; the window then ends with that epoch. Before 7 epochs
// have arrived, the missing older epochs repeat the first one (edge replication, as in the
// feature deltas), so a decision exists from the first second on; training sees windows built
// the same way. A partial epoch at the end of a stream makes no window.
#include <cstddef>
#include <span>
#include <vector>

#include "stages/decoder/DecoderShape.hpp"

namespace streamdx {

class EpochWindows {
 public:
  explicit EpochWindows(std::size_t channels = 0);

  // One feature frame, channel-major (channels x 26). True when it completed an epoch:
  // windows() then holds channels x 7 x 260 values, channel by channel.
  bool push(std::span<const float> frame);

  [[nodiscard]] std::span<const float> windows() const noexcept { return windows_; }
  [[nodiscard]] std::size_t channels() const noexcept { return channels_; }
  [[nodiscard]] std::size_t epochs() const noexcept { return epochs_; }  // completed so far

 private:
  std::size_t channels_;
  std::vector<float> ring_;  // kSteps epoch slots of channels x kInputs
  std::size_t frame_in_epoch_ = 0;
  std::size_t epochs_ = 0;
  std::vector<float> windows_;
};

}  // namespace streamdx

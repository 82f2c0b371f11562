#include "stages/decoder/EpochWindows.hpp"

#include <algorithm>
#include <stdexcept>

namespace streamdx {

using decoder::kFeatures;
using decoder::kFramesPerEpoch;
using decoder::kInputs;
using decoder::kSteps;

EpochWindows::EpochWindows(std::size_t channels)
    : channels_(channels),
      ring_(kSteps * channels * kInputs),
      windows_(channels * decoder::kWindowValues) {}

bool EpochWindows::push(std::span<const float> frame) {
  if (frame.size() != channels_ * kFeatures) {
    throw std::invalid_argument("EpochWindows: a feature frame of the wrong size");
  }
  float* slot = ring_.data() + (epochs_ % kSteps) * channels_ * kInputs;
  for (std::size_t c = 0; c < channels_; ++c) {
    std::copy_n(frame.data() + c * kFeatures, kFeatures,
                slot + c * kInputs + frame_in_epoch_ * kFeatures);
  }
  if (++frame_in_epoch_ < kFramesPerEpoch) return false;
  frame_in_epoch_ = 0;
  const std::size_t newest = epochs_++;
  // Window steps s = 0 (oldest) .. 6 (newest) are epochs newest-6 .. newest, clamped at 0.
  for (std::size_t s = 0; s < kSteps; ++s) {
    const std::size_t back = kSteps - 1 - s;
    const std::size_t epoch = newest >= back ? newest - back : 0;
    const float* src = ring_.data() + (epoch % kSteps) * channels_ * kInputs;
    for (std::size_t c = 0; c < channels_; ++c) {
      std::copy_n(src + c * kInputs, kInputs,
                  windows_.data() + c * decoder::kWindowValues + s * kInputs);
    }
  }
  return true;
}

}  // namespace streamdx

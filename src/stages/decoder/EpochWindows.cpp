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
      step_size_(kInputs),
      epoch_(channels * kInputs),
      ring_(kSteps * channels * kInputs),
      windows_(channels * kSteps * kInputs) {}

EpochWindows::EpochWindows(std::size_t channels, SeizureModel& model)
    : channels_(channels),
      model_(&model),
      step_size_(model.encoding_size()),
      epoch_(channels * kInputs),
      ring_(kSteps * channels * step_size_),
      windows_(channels * kSteps * step_size_) {}

bool EpochWindows::push(std::span<const float> frame) {
  if (frame.size() != channels_ * kFeatures) {
    throw std::invalid_argument("EpochWindows: a feature frame of the wrong size");
  }
  for (std::size_t c = 0; c < channels_; ++c) {
    std::copy_n(frame.data() + c * kFeatures, kFeatures,
                epoch_.data() + c * kInputs + frame_in_epoch_ * kFeatures);
  }
  if (++frame_in_epoch_ < kFramesPerEpoch) return false;
  frame_in_epoch_ = 0;
  const std::size_t newest = epochs_++;
  const std::span<float> slot(ring_.data() + (newest % kSteps) * channels_ * step_size_,
                              channels_ * step_size_);
  if (model_ != nullptr) {
    model_->encode_epochs(epoch_, channels_, slot);
  } else {
    std::copy(epoch_.begin(), epoch_.end(), slot.begin());
  }
  // Window steps s = 0 (oldest) .. 6 (newest) are epochs newest-6 .. newest, clamped at 0.
  const std::size_t window_size = kSteps * step_size_;
  for (std::size_t s = 0; s < kSteps; ++s) {
    const std::size_t back = kSteps - 1 - s;
    const std::size_t epoch = newest >= back ? newest - back : 0;
    const float* src = ring_.data() + (epoch % kSteps) * channels_ * step_size_;
    for (std::size_t c = 0; c < channels_; ++c) {
      std::copy_n(src + c * step_size_, step_size_,
                  windows_.data() + c * window_size + s * step_size_);
    }
  }
  return true;
}

}  // namespace streamdx

#include "stages/decoder/EpochWindows.hpp"

#include <algorithm>
#include <stdexcept>

namespace streamdx {

using decoder::kInputs;
using decoder::kSteps;

EpochWindows::EpochWindows(std::size_t channels, std::size_t step_size, SeizureModel* model)
    : channels_(channels),
      model_(model),
      step_size_(step_size),
      assembler_(channels),
      ring_(kSteps * channels * step_size),
      windows_(channels * kSteps * step_size) {}

EpochWindows::EpochWindows(std::size_t channels) : EpochWindows(channels, kInputs, nullptr) {}

EpochWindows::EpochWindows(std::size_t channels, SeizureModel& model)
    : EpochWindows(channels, model.encoding_size(), &model) {}

EpochWindows EpochWindows::of_encodings(std::size_t channels, std::size_t step_size) {
  return {channels, step_size, nullptr};
}

bool EpochWindows::push(std::span<const float> frame) {
  if (!assembler_.push(frame)) return false;
  const std::span<float> slot = next_slot();
  if (model_ != nullptr) {
    model_->encode_epochs(assembler_.epoch(), channels_, slot);
  } else {
    std::copy(assembler_.epoch().begin(), assembler_.epoch().end(), slot.begin());
  }
  return true;
}

void EpochWindows::push_encoded(std::span<const float> encodings) {
  if (encodings.size() != channels_ * step_size_) {
    throw std::invalid_argument("EpochWindows: an encoded epoch of the wrong size");
  }
  const std::span<float> slot = next_slot();
  std::copy(encodings.begin(), encodings.end(), slot.begin());
}

std::span<float> EpochWindows::next_slot() {
  const std::size_t newest = epochs_++;
  windows_stale_ = true;
  return {ring_.data() + (newest % kSteps) * channels_ * step_size_, channels_ * step_size_};
}

SeizureModel::StepPointers EpochWindows::steps() const noexcept {
  // Window steps s = 0 (oldest) .. 6 (newest) are epochs newest-6 .. newest, clamped at 0.
  SeizureModel::StepPointers steps{};
  if (epochs_ == 0) return steps;
  const std::size_t newest = epochs_ - 1;
  for (std::size_t s = 0; s < kSteps; ++s) {
    const std::size_t back = kSteps - 1 - s;
    const std::size_t epoch = newest >= back ? newest - back : 0;
    steps[s] = ring_.data() + (epoch % kSteps) * channels_ * step_size_;
  }
  return steps;
}

std::span<const float> EpochWindows::windows() const {
  if (windows_stale_ && epochs_ > 0) {
    SeizureModel::gather_windows(steps(), step_size_, channels_, step_size_, windows_);
    windows_stale_ = false;
  }
  return windows_;
}

void EpochWindows::append_windows(std::vector<float>& out) const {
  const std::size_t at = out.size();
  out.resize(at + channels_ * decoder::kSteps * step_size_);
  SeizureModel::gather_windows(steps(), step_size_, channels_, step_size_,
                               std::span<float>(out).subspan(at));
}

}  // namespace streamdx

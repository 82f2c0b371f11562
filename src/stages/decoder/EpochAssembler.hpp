#pragma once
// EpochAssembler: collects the 10 LFCC feature frames of a 1 s epoch (channels x 26 each) into
// the model's per-step input, channel-major: channels x kInputs, frame by frame within a channel.
// Shared by the encoder stage and by EpochWindows, so that both see the same layout.
#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

#include "stages/decoder/DecoderShape.hpp"

namespace streamdx {

class EpochAssembler {
 public:
  explicit EpochAssembler(std::size_t channels = 0)
      : channels_(channels), epoch_(channels * decoder::kInputs) {}

  // One feature frame. True when it completed an epoch, which epoch() then holds until the
  // next push.
  bool push(std::span<const float> frame) {
    if (frame.size() != channels_ * decoder::kFeatures) {
      throw std::invalid_argument("a feature frame of the wrong size for its epoch");
    }
    for (std::size_t c = 0; c < channels_; ++c) {
      std::copy_n(frame.data() + c * decoder::kFeatures, decoder::kFeatures,
                  epoch_.data() + c * decoder::kInputs + frame_in_epoch_ * decoder::kFeatures);
    }
    if (++frame_in_epoch_ < decoder::kFramesPerEpoch) return false;
    frame_in_epoch_ = 0;
    return true;
  }

  [[nodiscard]] std::span<const float> epoch() const noexcept { return epoch_; }
  [[nodiscard]] std::size_t channels() const noexcept { return channels_; }

 private:
  std::size_t channels_;
  std::vector<float> epoch_;
  std::size_t frame_in_epoch_ = 0;
};

}  // namespace streamdx

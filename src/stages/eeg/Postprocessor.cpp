#include "stages/eeg/Postprocessor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace streamdx {

Postprocessor::Postprocessor(PostprocessSettings settings) : settings_(settings) {
  if (settings_.smoothing_epochs < 1 || settings_.smoothing_epochs > kBufferEpochs) {
    throw std::invalid_argument(fmt::format("postprocess.smoothing_s = {}: must be 1 to {}",
                                            settings_.smoothing_epochs, kBufferEpochs));
  }
  if (settings_.min_duration_epochs < 1 || settings_.min_duration_epochs > kBufferEpochs ||
      settings_.min_channels < 1) {
    throw std::invalid_argument(
        "postprocess: min_duration_s must be 1 to 8 and min_channels at least 1");
  }
}

StreamInfo Postprocessor::configure(const StreamInfo& in) {
  if (in.shape.samples_per_channel != 2) {
    throw std::runtime_error(fmt::format(
        "the postprocessor needs class posteriors (2 values per channel); this stream has {}",
        in.shape.samples_per_channel));
  }
  channels_ = in.shape.channels;
  history_.assign(kBufferEpochs * channels_, 0.0F);
  epochs_ = 0;
  qualifying_run_ = 0;
  return StreamInfo{in.stream_id, FrameShape{1, static_cast<std::uint16_t>(kDecisionFields)},
                    in.sample_rate_hz};
}

bool Postprocessor::process(std::span<const float> in, std::span<float> out) {
  float* now = history_.data() + (epochs_ % kBufferEpochs) * channels_;
  for (std::size_t c = 0; c < channels_; ++c) now[c] = in[c * 2];
  ++epochs_;
  const std::size_t span = std::min(settings_.smoothing_epochs, epochs_);

  std::size_t votes = 0;
  double voting_sum = 0;
  double all_sum = 0;
  for (std::size_t c = 0; c < channels_; ++c) {
    double sum = 0;
    for (std::size_t k = 0; k < span; ++k) {
      sum += history_[((epochs_ - 1 - k) % kBufferEpochs) * channels_ + c];
    }
    const double p = sum / static_cast<double>(span);
    all_sum += p;
    if (p >= settings_.threshold) {
      ++votes;
      voting_sum += p;
    }
  }
  const double mean_all = all_sum / static_cast<double>(channels_);
  const double mean_voting = votes ? voting_sum / static_cast<double>(votes) : 0.0;
  const bool qualifies = votes >= std::min(settings_.min_channels, channels_) &&
                         mean_voting >= settings_.min_confidence;
  qualifying_run_ = qualifies ? qualifying_run_ + 1 : 0;
  const bool seizure = qualifying_run_ >= settings_.min_duration_epochs;
  out[kLabel] = seizure ? 1.0F : 0.0F;
  out[kConfidence] = static_cast<float>(seizure ? mean_voting : 1.0 - mean_all);
  out[kVotes] = static_cast<float>(votes);
  out[kMeanSeizure] = static_cast<float>(mean_all);
  const bool confirms = seizure && qualifying_run_ == settings_.min_duration_epochs;
  out[kOnsetEpochsBack] = confirms ? static_cast<float>(settings_.min_duration_epochs - 1) : 0.0F;
  return true;
}

}  // namespace streamdx

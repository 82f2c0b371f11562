#include "stages/eeg/LfccExtractor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "core/SimdClones.hpp"

namespace streamdx {

using namespace lfcc;

LfccExtractor::LfccExtractor(std::size_t channels)
    : analyzer_(0), delta_(kDeltaReach, 0), delta_delta_(kDeltaDeltaReach, 0) {
  resize(channels);
}

void LfccExtractor::resize(std::size_t channels) {
  if (analyzer_.channels() != channels) analyzer_ = LfccAnalyzer(channels);
  delta_ = CentredDelta(kDeltaReach, channels * kWithDiff);
  delta_delta_ = CentredDelta(kDeltaDeltaReach, channels * 2 * kWithDiff);
  channels_ = channels;
  ring_.assign(kBufferFrames * channels * kFrameSamples, 0.0F);
  absolute_.assign(channels * kAbsolute, 0.0);
  energies_.assign(kDiffEnergyFrames * channels, 0.0);
  energy_low_.assign(channels, 0.0);
  energy_high_.assign(channels, 0.0);
  pending_.clear();
  pending_first_ = 0;
  frames_in_ = 0;
  analysed_ = 0;
  finishing_ = false;
}

StreamInfo LfccExtractor::configure(const StreamInfo& in) {
  if (in.sample_rate_hz != kSampleRateHz || in.shape.samples_per_channel != kFrameSamples) {
    throw std::runtime_error(fmt::format(
        "LFCC features need {} Hz frames of {} samples per channel; this stream has {} Hz "
        "frames of {} (acquisition resamples every input to this; a raw ZeroMQ stream needs "
        "--preprocess)",
        kSampleRateHz, kFrameSamples, in.sample_rate_hz, in.shape.samples_per_channel));
  }
  if (in.shape.channels == 0) throw std::runtime_error("LFCC features: the stream has no channels");
  resize(in.shape.channels);
  return StreamInfo{in.stream_id,
                    FrameShape{in.shape.channels, static_cast<std::uint16_t>(kFeatures)},
                    kSampleRateHz / static_cast<double>(kFrameSamples)};
}

float* LfccExtractor::slot(std::size_t frame) noexcept {
  return ring_.data() + (frame % kBufferFrames) * channels_ * kFrameSamples;
}

// Defined before its callers: clang accepts a multiversioned (SIMD clones) function only if
// nothing in this file used it first.
STREAMDX_SIMD_CLONES
void LfccExtractor::analyse_frame(std::size_t frame) {
  // Frames frame-1, frame, frame+1 sit in the ring; the window starts kWindowLead samples
  // before frame `frame`.
  const float* prev = slot(frame + kBufferFrames - 1);
  const float* cur = slot(frame + kBufferFrames);
  const float* next = slot(frame + kBufferFrames + 1);
  constexpr std::size_t kFromNext = kWindowSamples - kWindowLead - kFrameSamples;
  for (std::size_t c = 0; c < channels_; ++c) {
    double* w = analyzer_.window(c).data();
    const std::size_t base = c * kFrameSamples;
    w = std::copy_n(prev + base + kFrameSamples - kWindowLead, kWindowLead, w);
    w = std::copy_n(cur + base, kFrameSamples, w);
    std::copy_n(next + base, kFromNext, w);
  }
  analyzer_.analyze(absolute_);

  // Differential energy: max - min of the energy over the last kDiffEnergyFrames windows
  // (fewer at the start, which is the same as repeating the first).
  // The energies are kept [window][channel], so that the minimum and maximum run along
  // channels in vector loops.
  const std::size_t n = analysed_++;
  const std::size_t nc = channels_;
  const auto store = [&](std::size_t slot) {
    double* e = energies_.data() + slot * nc;
    for (std::size_t c = 0; c < nc; ++c) e[c] = absolute_[c * kAbsolute];
  };
  if (n == 0) {
    // Before the recording, its first window repeated.
    for (std::size_t k = 0; k < kDiffEnergyFrames; ++k) store(k);
  } else {
    store(n % kDiffEnergyFrames);
  }
  double* lo = energy_low_.data();
  double* hi = energy_high_.data();
  for (std::size_t c = 0; c < nc; ++c) lo[c] = hi[c] = energies_[c];
  for (std::size_t k = 1; k < kDiffEnergyFrames; ++k) {
    const double* slot = energies_.data() + k * nc;
    for (std::size_t c = 0; c < nc; ++c) {
      lo[c] = slot[c] < lo[c] ? slot[c] : lo[c];
      hi[c] = slot[c] > hi[c] ? slot[c] : hi[c];
    }
  }
  double* rows = delta_.next_row().data();
  for (std::size_t c = 0; c < nc; ++c) {
    double* row = rows + c * kWithDiff;
    std::copy_n(absolute_.data() + c * kAbsolute, kAbsolute, row);
    row[kAbsolute] = hi[c] - lo[c];
  }
  if (delta_.push()) feed_delta_delta();
}

bool LfccExtractor::process(std::span<const float> in, std::span<float> out) {
  if (in.size() != channels_ * kFrameSamples) {
    throw std::runtime_error(fmt::format("LFCC features: a frame of {} values, expected {} x {}",
                                         in.size(), channels_, kFrameSamples));
  }
  if (finishing_) throw std::logic_error("LfccExtractor::process after flush");
  const std::size_t t = frames_in_;
  std::copy(in.begin(), in.end(), slot(t + kBufferFrames));  // + kBufferFrames: no wrap below 0
  if (t == 0) {
    // Before the recording, its first sample repeated: frame -1 lives in the slot of frame 2.
    float* before = slot(kBufferFrames - 1);
    for (std::size_t c = 0; c < channels_; ++c) {
      std::fill_n(before + c * kFrameSamples, kFrameSamples, in[c * kFrameSamples]);
    }
  }
  ++frames_in_;
  if (t >= 1) analyse_frame(t - 1);
  return pop_pending(out);
}

bool LfccExtractor::flush(std::span<float> out) {
  if (!finishing_ && frames_in_ > 0) {
    finishing_ = true;
    // After the recording, its last sample repeated, for the last frame's window.
    const std::size_t last = frames_in_ - 1;
    const float* tail = slot(last + kBufferFrames);
    float* after = slot(last + 1 + kBufferFrames);
    for (std::size_t c = 0; c < channels_; ++c) {
      std::fill_n(after + c * kFrameSamples, kFrameSamples,
                  tail[c * kFrameSamples + kFrameSamples - 1]);
    }
    analyse_frame(last);
    while (delta_.drain()) feed_delta_delta();
    while (delta_delta_.drain()) emit_from_delta_delta();
  }
  return pop_pending(out);
}

void LfccExtractor::feed_delta_delta() {
  const std::span<const double> centre = delta_.centre();
  const std::span<const double> d = delta_.delta();
  double* rows = delta_delta_.next_row().data();
  for (std::size_t c = 0; c < channels_; ++c) {
    double* row = rows + c * 2 * kWithDiff;
    std::copy_n(centre.data() + c * kWithDiff, kWithDiff, row);
    std::copy_n(d.data() + c * kWithDiff, kWithDiff, row + kWithDiff);
  }
  if (delta_delta_.push()) emit_from_delta_delta();
}

void LfccExtractor::emit_from_delta_delta() {
  const std::span<const double> centre = delta_delta_.centre();
  const std::span<const double> dd = delta_delta_.delta();
  if (pending_first_ == pending_.size()) {
    pending_.clear();
    pending_first_ = 0;
  }
  const std::size_t at = pending_.size();
  pending_.resize(at + channels_ * kFeatures);
  for (std::size_t c = 0; c < channels_; ++c) {
    float* o = pending_.data() + at + c * kFeatures;
    const double* x = centre.data() + c * 2 * kWithDiff;
    for (std::size_t i = 0; i < 2 * kWithDiff; ++i) o[i] = static_cast<float>(x[i]);
    // The delta-deltas of energy, c1..c7: the first 8 deltas' own deltas.
    const double* y = dd.data() + c * 2 * kWithDiff + kWithDiff;
    for (std::size_t i = 0; i < kAbsolute; ++i) o[2 * kWithDiff + i] = static_cast<float>(y[i]);
  }
}

bool LfccExtractor::pop_pending(std::span<float> out) {
  if (pending_first_ == pending_.size()) return false;
  const std::size_t n = channels_ * kFeatures;
  std::copy_n(pending_.begin() + static_cast<std::ptrdiff_t>(pending_first_), n, out.begin());
  pending_first_ += n;
  return true;
}

}  // namespace streamdx

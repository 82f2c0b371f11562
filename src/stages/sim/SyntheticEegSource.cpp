#include "stages/sim/SyntheticEegSource.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace streamdx {

namespace {
constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kArCoefficient = 0.97;  // background pole: most power below ~3 Hz
constexpr double kBackgroundUv = 12.0;   // background standard deviation
constexpr double kThetaUv = 4.0;
constexpr double kAlphaHz = 10.0;
constexpr double kThetaHz = 6.0;
constexpr double kDischargeUv = 150.0;
constexpr double kRampS = 2.0;
}  // namespace

SyntheticEegSource::SyntheticEegSource(const SyntheticEegSettings& settings) : settings_(settings) {
  if (settings.channels == 0 || settings.frame_samples == 0 || !(settings.sample_rate_hz > 0.0)) {
    throw std::invalid_argument(fmt::format(
        "simulate: need channels > 0, frame_samples > 0 and sample_rate_hz > 0 (got {}, {}, {})",
        settings.channels, settings.frame_samples, settings.sample_rate_hz));
  }
  SplitMix64 seeder(settings.seed);
  for (std::uint16_t c = 0; c < settings.channels; ++c) {
    ChannelState ch{SplitMix64(seeder.next())};
    ch.alpha_phase = kTwoPi * ch.rng.uniform();
    ch.theta_phase = kTwoPi * ch.rng.uniform();
    // Alpha is strongest over the back of the head: later channels in a montage list tend to be
    // posterior, so weight by position, with a little per-channel variation.
    const double position = settings.channels > 1 ? c / (settings.channels - 1.0) : 0.5;
    ch.alpha_gain = 4.0 + 10.0 * position + 2.0 * ch.rng.uniform();
    ch.discharge_gain = 0.7 + 0.3 * ch.rng.uniform();
    channels_.push_back(ch);
  }
  if (settings.duration_s > 0.0) {
    total_samples_ =
        static_cast<std::uint64_t>(std::llround(settings.duration_s * settings.sample_rate_hz));
  }
}

StreamInfo SyntheticEegSource::info() const {
  return StreamInfo{settings_.stream_id, FrameShape{settings_.channels, settings_.frame_samples},
                    settings_.sample_rate_hz};
}

double SyntheticEegSource::discharge_weight(double t_s) const noexcept {
  const double start = settings_.discharge_start_s;
  const double stop = start + settings_.discharge_length_s;
  if (settings_.discharge_length_s <= 0.0 || t_s < start || t_s >= stop) return 0.0;
  return std::clamp(std::min(t_s - start, stop - t_s) / kRampS, 0.0, 1.0);
}

std::optional<SourceBlockInfo> SyntheticEegSource::produce(std::span<float> out,
                                                           const std::stop_token& stop) {
  const std::uint16_t n = settings_.frame_samples;
  if (stop.stop_requested()) return std::nullopt;
  if (total_samples_ != 0 && next_sample_ + n > total_samples_) return std::nullopt;

  const double fs = settings_.sample_rate_hz;
  const double innovation = kBackgroundUv * std::sqrt(1.0 - kArCoefficient * kArCoefficient);
  // The rhythms advance by a fixed angle per sample: each is a phasor rotated sample by sample,
  // anchored afresh with sin/cos at every frame's first sample, so the error never builds up
  // (and the sine calls, once the simulator's biggest cost, happen once a frame).
  const double t0 = static_cast<double>(next_sample_) / fs;
  const double alpha_step = kTwoPi * kAlphaHz / fs;
  const double theta_step = kTwoPi * kThetaHz / fs;
  const double alpha_cos = std::cos(alpha_step);
  const double alpha_sin = std::sin(alpha_step);
  const double theta_cos = std::cos(theta_step);
  const double theta_sin = std::sin(theta_step);
  for (std::size_t c = 0; c < channels_.size(); ++c) {
    ChannelState& ch = channels_[c];
    float* dst = out.data() + c * n;
    double as = std::sin(kTwoPi * kAlphaHz * t0 + ch.alpha_phase);
    double ac = std::cos(kTwoPi * kAlphaHz * t0 + ch.alpha_phase);
    double ts = std::sin(kTwoPi * kThetaHz * t0 + ch.theta_phase);
    double tc = std::cos(kTwoPi * kThetaHz * t0 + ch.theta_phase);
    for (std::uint16_t i = 0; i < n; ++i) {
      const double t = static_cast<double>(next_sample_ + i) / fs;
      ch.ar = kArCoefficient * ch.ar + innovation * ch.rng.normal();
      double v = ch.ar + ch.alpha_gain * as + kThetaUv * ts;
      const double as_next = as * alpha_cos + ac * alpha_sin;
      ac = ac * alpha_cos - as * alpha_sin;
      as = as_next;
      const double ts_next = ts * theta_cos + tc * theta_sin;
      tc = tc * theta_cos - ts * theta_sin;
      ts = ts_next;
      if (const double w = discharge_weight(t); w > 0.0) {
        // Spike-and-wave: a sharp negative spike followed by a slow positive wave, each cycle.
        const double cycle =
            std::fmod((t - settings_.discharge_start_s) * settings_.discharge_hz, 1.0);
        const double spike = -std::exp(-0.5 * std::pow((cycle - 0.1) / 0.025, 2.0));
        const double wave =
            0.6 * std::sin(std::numbers::pi * std::clamp((cycle - 0.2) / 0.8, 0.0, 1.0));
        v += w * ch.discharge_gain * kDischargeUv * (spike + wave);
      }
      dst[i] = static_cast<float>(v);
    }
  }
  SourceBlockInfo block;
  block.first_sample_ns =
      static_cast<std::int64_t>(std::llround(static_cast<double>(next_sample_) * 1e9 / fs));
  block.flags = kFrameSynthetic;
  next_sample_ += n;
  return block;
}

}  // namespace streamdx

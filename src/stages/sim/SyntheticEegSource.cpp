#include "stages/sim/SyntheticEegSource.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "stages/sim/IctalEvolution.hpp"

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
constexpr double kFocalShare = 0.4;   // evolving: channels in the focus join at once
constexpr double kLatestJoinS = 3.0;  // the others join 0.5 s to this late
constexpr double kMaxPhaseLag = 0.15;
// Seeds the spread apart from the channels' own generators, so that the background's bits do not
// depend on the discharge.
constexpr std::uint64_t kSpreadSeedSalt = 0x9e3779b97f4a7c15ULL;
}  // namespace

DischargePattern parse_discharge_pattern(std::string_view text) {
  if (text == "evolving") return DischargePattern::kEvolving;
  if (text == "fixed") return DischargePattern::kFixed;
  throw std::invalid_argument(
      fmt::format("simulate.discharge_pattern = '{}': expected evolving or fixed", text));
}

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
  SplitMix64 spread(settings.seed ^ kSpreadSeedSalt);
  for (std::size_t c = 0; c < channels_.size(); ++c) {
    const bool focal = c == 0 || spread.uniform() < kFocalShare;
    const double late = spread.uniform();
    channels_[c].join_s = focal ? 0.0 : 0.5 + (kLatestJoinS - 0.5) * late;
    channels_[c].phase_lag = kMaxPhaseLag * spread.uniform();
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
  if (settings_.discharge_pattern == DischargePattern::kEvolving) {
    return ictal::amplitude((t_s - start) / settings_.discharge_length_s);
  }
  return std::clamp(std::min(t_s - start, stop - t_s) / kRampS, 0.0, 1.0);
}

void SyntheticEegSource::advance_discharge_phase(std::uint64_t first_sample, std::size_t n) {
  frame_cycles_.resize(n);
  const double fs = settings_.sample_rate_hz;
  for (std::size_t i = 0; i < n; ++i) {
    frame_cycles_[i] = discharge_cycles_;
    const double tau = static_cast<double>(first_sample + i) / fs - settings_.discharge_start_s;
    if (tau >= 0.0 && tau < settings_.discharge_length_s) {
      discharge_cycles_ += ictal::frequency_hz(tau / settings_.discharge_length_s) / fs;
    }
  }
}

void SyntheticEegSource::add_discharge(const ChannelState& ch, std::uint64_t first_sample,
                                       std::span<double> v) const {
  const double fs = settings_.sample_rate_hz;
  const double length = settings_.discharge_length_s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double t = static_cast<double>(first_sample + i) / fs;
    if (settings_.discharge_pattern == DischargePattern::kFixed) {
      if (const double w = discharge_weight(t); w > 0.0) {
        const double cycle =
            std::fmod((t - settings_.discharge_start_s) * settings_.discharge_hz, 1.0);
        v[i] += w * ch.discharge_gain * kDischargeUv * ictal::waveform(cycle, 1.0);
      }
      continue;
    }
    const double tau = t - settings_.discharge_start_s;
    if (length <= 0.0 || tau < 0.0) continue;
    if (tau >= length) {
      v[i] *= ictal::postictal_gain(tau - length);
      continue;
    }
    const double u = tau / length;
    const double joined = std::clamp((tau - ch.join_s) / ictal::kRampInS, 0.0, 1.0);
    if (joined <= 0.0) continue;
    const double cycle = std::fmod(frame_cycles_[i] - ch.phase_lag + 1.0, 1.0);
    v[i] += joined * ictal::amplitude(u) * ch.discharge_gain * kDischargeUv *
            ictal::waveform(cycle, ictal::sharpness(u));
  }
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
  background_.resize(n);
  if (settings_.discharge_pattern == DischargePattern::kEvolving)
    advance_discharge_phase(next_sample_, n);
  for (std::size_t c = 0; c < channels_.size(); ++c) {
    ChannelState& ch = channels_[c];
    float* dst = out.data() + c * n;
    double as = std::sin(kTwoPi * kAlphaHz * t0 + ch.alpha_phase);
    double ac = std::cos(kTwoPi * kAlphaHz * t0 + ch.alpha_phase);
    double ts = std::sin(kTwoPi * kThetaHz * t0 + ch.theta_phase);
    double tc = std::cos(kTwoPi * kThetaHz * t0 + ch.theta_phase);
    for (std::uint16_t i = 0; i < n; ++i) {
      ch.ar = kArCoefficient * ch.ar + innovation * ch.rng.normal();
      background_[i] = ch.ar + ch.alpha_gain * as + kThetaUv * ts;
      const double as_next = as * alpha_cos + ac * alpha_sin;
      ac = ac * alpha_cos - as * alpha_sin;
      as = as_next;
      const double ts_next = ts * theta_cos + tc * theta_sin;
      tc = tc * theta_cos - ts * theta_sin;
      ts = ts_next;
    }
    add_discharge(ch, next_sample_, background_);
    for (std::uint16_t i = 0; i < n; ++i) dst[i] = static_cast<float>(background_[i]);
  }
  SourceBlockInfo block;
  block.first_sample_ns =
      static_cast<std::int64_t>(std::llround(static_cast<double>(next_sample_) * 1e9 / fs));
  block.flags = kFrameSynthetic;
  next_sample_ += n;
  return block;
}

}  // namespace streamdx

#pragma once
// SyntheticEegSource: a SYNTHETIC multichannel EEG-like recording, for demos, tests and
// benchmarks when no real recording is at hand. Every frame it makes carries kFrameSynthetic.
//
// Per channel (µV): an AR(1) background (1/f-like), a posterior-weighted 10 Hz alpha rhythm and
// a 6 Hz theta component, each with its own seeded phase; optionally one generalized 3 Hz
// spike-and-wave discharge (a seizure-like pattern, ~150 µV) with 2 s ramps. Fully determined
// by the seed: the same settings give bit-identical frames.
#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>
#include <string_view>
#include <vector>

#include "core/Random.hpp"
#include "core/Settings.hpp"
#include "core/Stage.hpp"
#include "stages/eeg/StreamFormat.hpp"

namespace streamdx {

struct SyntheticEegSettings {
  std::uint32_t stream_id = 0;
  std::uint16_t channels = setting_default<std::uint16_t>("simulate.channels");
  double sample_rate_hz = kStreamRateHz;
  std::uint16_t frame_samples = kStreamFrameSamples;
  double duration_s = setting_default<double>("simulate.duration_s");  // <= 0: endless
  std::uint64_t seed = setting_default<std::uint64_t>("simulate.seed");
  double discharge_start_s = setting_default<double>("simulate.discharge_start_s");
  double discharge_length_s = setting_default<double>("simulate.discharge_length_s");  // 0: none
  double discharge_hz = setting_default<double>("simulate.discharge_hz");  // cycles per second
};

class SyntheticEegSource {
 public:
  static constexpr std::string_view kName = "simulate";
  static constexpr bool kNeverWaits = true;  // computes its samples (Stage.hpp: never_waits)

  explicit SyntheticEegSource(const SyntheticEegSettings& settings);

  [[nodiscard]] StreamInfo info() const;
  std::optional<SourceBlockInfo> produce(std::span<float> out, const std::stop_token& stop);

  // Weight of the discharge at time t (0 outside it, 1 at full strength): the ground truth.
  [[nodiscard]] double discharge_weight(double t_s) const noexcept;

 private:
  struct ChannelState {
    SplitMix64 rng;
    double ar = 0.0;
    double alpha_phase = 0.0;
    double theta_phase = 0.0;
    double alpha_gain = 0.0;
    double discharge_gain = 0.0;
  };

  SyntheticEegSettings settings_;
  std::vector<ChannelState> channels_;
  std::uint64_t next_sample_ = 0;
  std::uint64_t total_samples_ = 0;  // 0: endless
};

}  // namespace streamdx

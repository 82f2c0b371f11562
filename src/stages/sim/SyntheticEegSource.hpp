#pragma once
// SyntheticEegSource: a SYNTHETIC multichannel EEG-like recording, for demos, tests and
// benchmarks when no real recording is at hand. Every frame it makes carries kFrameSynthetic.
//
// Per channel (µV): an AR(1) background (1/f-like), a posterior-weighted 10 Hz alpha rhythm and
// a 6 Hz theta component, each with its own seeded phase; optionally one seizure-like discharge
// (~150 µV at full amplitude). The default discharge evolves as a focal seizure does on the
// scalp (IctalEvolution.hpp): a 7 Hz onset rhythm that spreads over the channels, slows and
// grows into 3 then 2 Hz spike-and-wave, and ends abruptly into a postictal attenuation. The
// "fixed" pattern is a steady spike-and-wave at `discharge_hz` with 2 s ramps (the rhythm sweep,
// training/DemoRhythmSweep.hpp). Fully determined by the seed: the same settings give
// bit-identical frames, and the background's bits do not depend on the discharge.
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

enum class DischargePattern { kEvolving, kFixed };

// "evolving" or "fixed"; throws std::invalid_argument naming the setting otherwise.
DischargePattern parse_discharge_pattern(std::string_view text);

struct SyntheticEegSettings {
  std::uint32_t stream_id = 0;
  std::uint16_t channels = setting_default<std::uint16_t>("simulate.channels");
  double sample_rate_hz = kStreamRateHz;
  std::uint16_t frame_samples = kStreamFrameSamples;
  double duration_s = setting_default<double>("simulate.duration_s");  // <= 0: endless
  std::uint64_t seed = setting_default<std::uint64_t>("simulate.seed");
  double discharge_start_s = setting_default<double>("simulate.discharge_start_s");
  double discharge_length_s = setting_default<double>("simulate.discharge_length_s");  // 0: none
  double discharge_hz = setting_default<double>("simulate.discharge_hz");  // kFixed only
  DischargePattern discharge_pattern = DischargePattern::kEvolving;
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
    double join_s = 0.0;     // evolving: when this channel joins the discharge, from its start
    double phase_lag = 0.0;  // evolving: cycles behind the focus
  };

  // Adds the discharge (and, evolving, the postictal attenuation) to one channel's frame `v`,
  // whose first sample is `first_sample`.
  void add_discharge(const ChannelState& ch, std::uint64_t first_sample, std::span<double> v) const;
  void advance_discharge_phase(std::uint64_t first_sample, std::size_t n);

  SyntheticEegSettings settings_;
  std::vector<ChannelState> channels_;
  std::vector<double> frame_cycles_;  // evolving: the discharge's phase at each sample, cycles
  double discharge_cycles_ = 0.0;     // evolving: the phase reached so far
  std::vector<double> background_;    // one channel's frame before it is rounded to float
  std::uint64_t next_sample_ = 0;
  std::uint64_t total_samples_ = 0;  // 0: endless
};

}  // namespace streamdx

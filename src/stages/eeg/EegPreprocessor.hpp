#pragma once
// EegPreprocessor: turns raw multichannel blocks at the recording's own rate into clean frames:
// montage -> resample to 250 Hz -> 0.1 s frames (25 samples per channel), each stamped with the
// recording time of its first sample.
//
// - Montage: each output channel is the signed sum of inputs in its MontagePlan.
// - Non-finite samples (NaN, Inf) are refused with the channel and recording time named.
// - Gaps: a block whose onset is later than the previous block's end starts a new segment. The
//   old segment's resampler is drained, its last partial frame (under 0.1 s) is dropped and
//   counted, and the first frame after the gap carries kFrameDiscontinuity. Nothing is glued.
// - Delay: frames lag the input by the resampler's half-width (Resampler::latency_s) plus the
//   wait for a frame to fill.
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/Frame.hpp"
#include "core/Stage.hpp"
#include "stages/eeg/Resampler.hpp"
#include "stages/eeg/StreamFormat.hpp"
#include "stages/eeg/TcpMontage.hpp"

namespace streamdx {

struct EegFrameSettings {
  double out_rate_hz = kStreamRateHz;
  std::uint16_t frame_samples = kStreamFrameSamples;
};

struct EegPreprocessorCounters {
  std::uint64_t frames = 0;
  std::uint64_t gaps = 0;
  std::uint64_t dropped_partial_samples = 0;  // at segment ends, per channel
};

class EegPreprocessor {
 public:
  // `plan` maps inputs to montage channels; `input_labels` name the inputs in error messages.
  EegPreprocessor(MontagePlan plan, std::vector<std::string> input_labels, double in_rate_hz,
                  EegFrameSettings settings);

  // `planar` holds, for each of plan.used_inputs in order, `samples` values; the block's first
  // sample was recorded `onset_s` after the recording start.
  void push(std::span<const float> planar, std::size_t samples, double onset_s);
  // Starts the stream at input sample `first_input` of a longer recording (a chunk of it, for
  // streamdx batch), before any push: frames are cut and stamped on the recording's own grid,
  // so a frame made from the same samples is the same frame, bits and stamp. The first input
  // must begin a frame (a whole 0.1 s from the recording's start).
  void start_at_input(std::int64_t first_input);
  // End of input: drains the resampler and ends the last segment.
  void finish();

  // The next complete frame (channel-major, channels() x frame_samples), if one is ready.
  bool pop(std::span<float> out, SourceBlockInfo& info);

  [[nodiscard]] std::size_t channels() const noexcept { return plan_.channels.size(); }
  [[nodiscard]] const MontagePlan& plan() const noexcept { return plan_; }
  [[nodiscard]] const EegFrameSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] double in_rate() const noexcept { return in_rate_; }
  [[nodiscard]] const EegPreprocessorCounters& counters() const noexcept { return counters_; }

 private:
  struct ReadyFrame {
    std::vector<float> samples;
    SourceBlockInfo info;
  };
  void start_segment(double onset_s);
  void end_segment();
  void begin_after_gap(double onset_s);
  void cut_frames();

  MontagePlan plan_;
  std::vector<std::string> input_labels_;
  double in_rate_;
  EegFrameSettings settings_;
  std::vector<std::size_t> position_of_input_;  // input index -> position in a pushed block
  std::unique_ptr<Resampler> resampler_;
  double segment_onset_s_ = 0;
  std::uint64_t segment_frames_ = 0;
  bool started_at_input_ = false;  // start_at_input(): the first onset is not a new origin
  double expected_onset_s_ = -1;   // where the next block should start if there is no gap
  bool next_is_discontinuity_ = false;
  std::vector<float> mixed_;
  std::deque<ReadyFrame> ready_;
  EegPreprocessorCounters counters_;
};

}  // namespace streamdx

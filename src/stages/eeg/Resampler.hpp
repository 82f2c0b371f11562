#pragma once
// Resampler: streaming, causal sample-rate conversion of planar multichannel blocks to a fixed
// output rate, by windowed-sinc interpolation (docs/ACQUISITION.md has the measured figures).
//
// Why not libsoxr: measured here, soxr's HQ stream held back 3.6 to 5.3 s of output (1.6 to
// 2.4 s with its smallest DFT sizes), because it filters in DFT blocks. This filter holds back
// only its half-width, 50 ms for any input of 250 Hz or more (0.3 s when upsampling from
// 173.61 Hz), at the same passband flatness (< 0.1 dB) and 80 dB of stopband.
//
// Design, from the two rates alone (nothing to tune):
// - passband edge fp = 100 Hz, or 90 % of the input's Nyquist frequency when that is lower;
// - stopband edge: out_rate - fp when downsampling (nothing aliases into the passband), the
//   input's Nyquist frequency when upsampling (no images);
// - a Kaiser window for 80 dB, its length set by the transition width (Kaiser's formula);
// - the kernel is tabulated at 4096 points over its half-width and linearly interpolated;
// - each output's weights are normalised to sum to 1, so DC passes exactly, even at the edges.
//
// Output sample k is the signal at time k / out_rate: the filter is centred, so timestamps stay
// exact and the cost is latency. Output k is released once the input up to k / out_rate plus
// the half-width has arrived. Arithmetic runs in a fixed order, so the same input gives the
// same bits however it is chunked (one block, or one sample at a time). Equal rates bypass the
// filter and copy samples unchanged.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace streamdx {

class Resampler {
 public:
  Resampler(double in_rate_hz, double out_rate_hz, std::size_t channels);

  // Starts the stream at input sample `first_input` of a longer recording, before any push (a
  // chunk of it, streamdx batch): output k still sits at input position k * in_rate / out_rate
  // counted from the recording's first sample, so every output computed from the same inputs
  // has the same bits as in a run over the whole recording. The first output is the first one
  // at or after `first_input`.
  void start_at(std::int64_t first_input);

  // Appends `samples` samples per channel; `planar` holds channels * samples values.
  void push(std::span<const float> planar, std::size_t samples);
  // End of input: releases every output whose time lies within the input.
  void finish();

  // Output samples per channel ready to take.
  [[nodiscard]] std::size_t available() const noexcept {
    return out_.empty() ? 0 : out_[0].size() - taken_;
  }
  // Moves `samples` samples per channel into `planar` (channels * samples values).
  void take(std::size_t samples, std::span<float> planar);

  // Index of the next output sample in the recording's output grid (start_at).
  [[nodiscard]] std::int64_t next_output_index() const noexcept {
    return bypass() ? in_count_ - static_cast<std::int64_t>(available())
                    : next_out_ - static_cast<std::int64_t>(available());
  }
  [[nodiscard]] double in_rate() const noexcept { return in_rate_; }
  [[nodiscard]] double out_rate() const noexcept { return out_rate_; }
  [[nodiscard]] bool bypass() const noexcept { return in_rate_ == out_rate_; }
  // The filter's half-width: how far output lags input, in seconds (0 when bypassing).
  [[nodiscard]] double latency_s() const noexcept { return half_width_s_; }
  [[nodiscard]] double passband_edge_hz() const noexcept { return passband_hz_; }
  [[nodiscard]] double stopband_edge_hz() const noexcept { return stopband_hz_; }
  [[nodiscard]] std::size_t taps() const noexcept;

 private:
  void emit_ready(bool at_end);
  [[nodiscard]] double kernel(double tau_s) const noexcept;
  void compact();

  double in_rate_;
  double out_rate_;
  double passband_hz_ = 0;
  double stopband_hz_ = 0;
  double half_width_s_ = 0;
  std::vector<double> table_;  // kernel at tau = i * half_width / (size - 1), i = 0 .. size - 1

  std::vector<std::vector<float>> in_;  // per channel; in_[c][i] is input sample in_base_ + i
  std::int64_t origin_ = 0;             // index of the first input sample (start_at)
  std::int64_t in_base_ = 0;
  std::int64_t in_count_ = 0;  // index after the last input sample pushed
  std::int64_t next_out_ = 0;  // index of the next output sample to compute
  std::vector<std::vector<float>> out_;
  std::size_t taken_ = 0;
  std::vector<double> weights_;
};

}  // namespace streamdx

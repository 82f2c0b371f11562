#include "stages/eeg/Resampler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace streamdx {

namespace {

constexpr double kStopbandDb = 80.0;
constexpr double kMaxPassbandHz = 100.0;
constexpr std::size_t kTablePoints = 4096;

// Modified Bessel function of the first kind, order 0 (power series; converges fast here).
double bessel_i0(double x) {
  double sum = 1.0;
  double term = 1.0;
  for (int k = 1; k < 64; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

}  // namespace

Resampler::Resampler(double in_rate_hz, double out_rate_hz, std::size_t channels)
    : in_rate_(in_rate_hz), out_rate_(out_rate_hz), in_(channels), out_(channels) {
  if (channels == 0 || !(in_rate_hz > 0) || !(out_rate_hz > 0) || !std::isfinite(in_rate_hz)) {
    throw std::invalid_argument(fmt::format("resampler: bad rates {} -> {} Hz or {} channels",
                                            in_rate_hz, out_rate_hz, channels));
  }
  if (bypass()) return;
  const double nyquist_in = in_rate_hz / 2;
  const double nyquist_out = out_rate_hz / 2;
  const double nyquist_low = std::min(nyquist_in, nyquist_out);
  passband_hz_ = std::min(kMaxPassbandHz, 0.9 * nyquist_low);
  stopband_hz_ = in_rate_hz > out_rate_hz ? out_rate_hz - passband_hz_ : nyquist_in;
  const double transition_hz = stopband_hz_ - passband_hz_;
  const double cutoff_hz = (passband_hz_ + stopband_hz_) / 2;
  // Kaiser: beta for the attenuation, and the window length (seconds) for the transition width.
  const double beta = 0.1102 * (kStopbandDb - 8.7);
  const double length_s = (kStopbandDb - 7.95) / (2.285 * 2 * std::numbers::pi * transition_hz);
  half_width_s_ = length_s / 2;
  table_.resize(kTablePoints);
  const double i0_beta = bessel_i0(beta);
  for (std::size_t i = 0; i < kTablePoints; ++i) {
    const double tau = half_width_s_ * static_cast<double>(i) / (kTablePoints - 1);
    const double x = 2 * cutoff_hz * tau;
    const double sinc = x == 0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
    const double r = tau / half_width_s_;
    const double window = bessel_i0(beta * std::sqrt(std::max(0.0, 1 - r * r))) / i0_beta;
    table_[i] = sinc * window;  // scale is irrelevant: weights are normalised per output
  }
}

std::size_t Resampler::taps() const noexcept {
  return bypass() ? 1 : static_cast<std::size_t>(2 * half_width_s_ * in_rate_) + 1;
}

double Resampler::kernel(double tau_s) const noexcept {
  const double pos = std::abs(tau_s) / half_width_s_ * (kTablePoints - 1);
  if (pos >= kTablePoints - 1) return 0.0;
  const auto i = static_cast<std::size_t>(pos);
  const double frac = pos - static_cast<double>(i);
  return table_[i] + frac * (table_[i + 1] - table_[i]);
}

void Resampler::start_at(std::int64_t first_input) {
  if (in_count_ != origin_ || first_input < 0) {
    throw std::logic_error("resampler: start_at() after input, or before the recording");
  }
  origin_ = in_base_ = in_count_ = first_input;
  if (bypass()) return;
  // The first output at or after the first input, in the recording's own output grid.
  auto k = static_cast<std::int64_t>(
      std::floor(static_cast<double>(first_input) * out_rate_ / in_rate_));
  while (static_cast<double>(k) * in_rate_ / out_rate_ < static_cast<double>(first_input)) ++k;
  next_out_ = k;
}

void Resampler::push(std::span<const float> planar, std::size_t samples) {
  const std::size_t nch = in_.size();
  if (planar.size() != nch * samples) {
    throw std::invalid_argument(fmt::format("resampler: {} values for {} channels x {} samples",
                                            planar.size(), nch, samples));
  }
  for (std::size_t c = 0; c < nch; ++c) {
    const auto ch = planar.subspan(c * samples, samples);
    (bypass() ? out_[c] : in_[c]).insert((bypass() ? out_[c] : in_[c]).end(), ch.begin(), ch.end());
  }
  in_count_ += static_cast<std::int64_t>(samples);
  if (!bypass()) emit_ready(false);
}

void Resampler::finish() {
  if (!bypass()) emit_ready(true);
}

void Resampler::emit_ready(bool at_end) {
  const double half_in = half_width_s_ * in_rate_;  // half-width in input samples
  const double last_in = static_cast<double>(in_count_ - 1);
  for (;; ++next_out_) {
    // Output k sits at input position p = k * in_rate / out_rate.
    const double p = static_cast<double>(next_out_) * in_rate_ / out_rate_;
    if (at_end ? p > last_in : p + half_in > last_in) break;
    const auto lo =
        std::max<std::int64_t>(static_cast<std::int64_t>(std::ceil(p - half_in)), origin_);
    const auto hi =
        std::min<std::int64_t>(static_cast<std::int64_t>(std::floor(p + half_in)), in_count_ - 1);
    weights_.clear();
    double sum = 0;
    for (std::int64_t n = lo; n <= hi; ++n) {
      const double w = kernel((static_cast<double>(n) - p) / in_rate_);
      weights_.push_back(w);
      sum += w;
    }
    for (std::size_t c = 0; c < in_.size(); ++c) {
      const float* x = in_[c].data() + (lo - in_base_);
      double acc = 0;
      for (std::size_t j = 0; j < weights_.size(); ++j) acc += weights_[j] * x[j];
      out_[c].push_back(static_cast<float>(acc / sum));
    }
  }
  // Inputs before the next output's window will never be read again.
  const double p_next = static_cast<double>(next_out_) * in_rate_ / out_rate_;
  const auto keep_from =
      std::max<std::int64_t>(static_cast<std::int64_t>(std::ceil(p_next - half_in)) - 1, in_base_);
  if (keep_from - in_base_ > 4096) {
    for (auto& ch : in_) ch.erase(ch.begin(), ch.begin() + (keep_from - in_base_));
    in_base_ = keep_from;
  }
}

void Resampler::take(std::size_t samples, std::span<float> planar) {
  if (samples > available() || planar.size() != out_.size() * samples) {
    throw std::logic_error("resampler: take() beyond what is available");
  }
  for (std::size_t c = 0; c < out_.size(); ++c) {
    const auto from = out_[c].begin() + static_cast<std::ptrdiff_t>(taken_);
    std::copy(from, from + static_cast<std::ptrdiff_t>(samples),
              planar.begin() + static_cast<std::ptrdiff_t>(c * samples));
  }
  taken_ += samples;
  compact();
}

void Resampler::compact() {
  // Keep the output FIFOs small without moving memory on every take.
  if (taken_ < 4096 || taken_ * 2 < out_[0].size()) return;
  for (auto& ch : out_) ch.erase(ch.begin(), ch.begin() + static_cast<std::ptrdiff_t>(taken_));
  taken_ = 0;
}

}  // namespace streamdx

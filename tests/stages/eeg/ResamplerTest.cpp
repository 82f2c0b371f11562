#include "stages/eeg/Resampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numbers>

#include "core/Random.hpp"

namespace streamdx {
namespace {

constexpr double kPi = std::numbers::pi;

std::vector<float> resample_all(double in_rate, const std::vector<float>& planar,
                                std::size_t channels, const std::vector<std::size_t>& chunks) {
  Resampler r(in_rate, 250.0, channels);
  const std::size_t n = planar.size() / channels;
  std::size_t at = 0;
  std::size_t k = 0;
  std::vector<float> block;
  while (at < n) {
    const std::size_t len = std::min(chunks[k++ % chunks.size()], n - at);
    block.resize(channels * len);
    for (std::size_t c = 0; c < channels; ++c) {
      std::copy_n(planar.begin() + static_cast<std::ptrdiff_t>(c * n + at), len,
                  block.begin() + static_cast<std::ptrdiff_t>(c * len));
    }
    r.push(block, len);
    at += len;
  }
  r.finish();
  std::vector<float> out(channels * r.available());
  r.take(r.available(), out);
  return out;
}

std::vector<float> tone(double rate, double hz, double seconds) {
  const auto n = static_cast<std::size_t>(rate * seconds);
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(std::sin(2 * kPi * hz * static_cast<double>(i) / rate));
  return x;
}

// Least-squares amplitude of a `hz` sinusoid in y (sampled at 250 Hz), ignoring the edges.
double amplitude(const std::vector<float>& y, double hz) {
  double ss = 0, sc = 0, cc = 0, s2 = 0, c2 = 0;
  for (std::size_t i = 500; i + 500 < y.size(); ++i) {
    const double t = static_cast<double>(i) / 250.0;
    const double s = std::sin(2 * kPi * hz * t);
    const double c = std::cos(2 * kPi * hz * t);
    ss += y[i] * s;
    cc += y[i] * c;
    s2 += s * s;
    c2 += c * c;
    sc += s * c;
  }
  (void)sc;
  return std::hypot(ss / s2, cc / c2);
}

TEST(Resampler, PassbandIsFlatToWithinATenthOfADecibel) {
  for (const double rate : {173.61, 200.0, 256.0, 400.0, 487.5, 499.5, 500.0}) {
    // Up to 100 Hz, or 90 % of the input's own Nyquist frequency when that is lower.
    const double top = std::min(100.0, 0.9 * rate / 2);
    for (int step = 0; 0.5 + 2.0 * step <= top; ++step) {  // a sweep in 2 Hz steps
      const double hz = 0.5 + 2.0 * step;
      const std::vector<float> y = resample_all(rate, tone(rate, hz, 12.0), 1, {4096});
      ASSERT_NEAR(static_cast<double>(y.size()), 12.0 * 250.0, 2.0) << rate;
      const double db = 20 * std::log10(amplitude(y, hz));
      EXPECT_LT(std::abs(db), 0.1) << rate << " Hz input, " << hz << " Hz tone: " << db << " dB";
    }
  }
}

TEST(Resampler, WhatCannotBeRepresentedAt250HzIsRemovedNotAliased) {
  for (const double rate : {400.0, 500.0}) {
    const std::vector<float> y = resample_all(rate, tone(rate, 160.0, 12.0), 1, {4096});
    // 160 Hz would alias to 90 Hz; it must be at least 60 dB down.
    EXPECT_LT(20 * std::log10(amplitude(y, 250.0 - 160.0)), -60.0) << rate;
  }
}

TEST(Resampler, OutputSampleKIsTheSignalAtKOver250Seconds) {
  // A slow ramp makes any misalignment show as an offset.
  for (const double rate : {256.0, 173.61, 500.0}) {
    const auto n = static_cast<std::size_t>(rate * 20);
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
      x[i] = static_cast<float>(std::sin(2 * kPi * 0.5 * static_cast<double>(i) / rate));
    const std::vector<float> y = resample_all(rate, x, 1, {100});
    for (std::size_t k = 1000; k < 4000; k += 250) {
      EXPECT_NEAR(y[k], std::sin(2 * kPi * 0.5 * static_cast<double>(k) / 250.0), 2e-4)
          << rate << " Hz, k=" << k;
    }
  }
}

TEST(Resampler, ChunkingNeverChangesTheOutput) {
  SplitMix64 rng(5);
  for (const double rate : {256.0, 173.61, 400.0, 250.0}) {
    const std::size_t channels = 3;
    const auto n = static_cast<std::size_t>(rate * 30);
    std::vector<float> x(channels * n);
    for (float& v : x) v = static_cast<float>(rng.normal() * 30);
    const auto whole = resample_all(rate, x, channels, {n});
    EXPECT_EQ(whole, resample_all(rate, x, channels, {1})) << rate;
    EXPECT_EQ(whole, resample_all(rate, x, channels, {7, 1, 300, 25, 26, 2})) << rate;
  }
}

// The latency a live stream pays: how far output lags the input already pushed. It is bounded
// and stated in docs/ACQUISITION.md.
TEST(Resampler, HoldBackIsBounded) {
  for (const double rate : {173.61, 200.0, 256.0, 400.0, 487.5, 499.5, 500.0}) {
    Resampler r(rate, 250, 1);
    const auto n = static_cast<std::size_t>(rate * 60);
    std::vector<float> x(n, 1.0F);
    double worst_s = 0;
    for (std::size_t at = 0; at < n; at += 25) {
      const std::size_t len = std::min<std::size_t>(25, n - at);
      r.push(std::span(x).subspan(at, len), len);
      const double pushed_s = static_cast<double>(at + len) / rate;
      const double released_s = static_cast<double>(r.available()) / 250.0;
      if (at > n / 2) worst_s = std::max(worst_s, pushed_s - released_s);
    }
    std::cout << "  " << rate << " Hz -> 250 Hz: hold-back at most " << worst_s * 1000
              << " ms (filter half-width " << r.latency_s() * 1000 << " ms, " << r.taps()
              << " taps, passband " << r.passband_edge_hz() << " Hz, stopband "
              << r.stopband_edge_hz() << " Hz)\n";
    // Half-width, plus up to one 25-sample push and one output sample of granularity.
    EXPECT_LE(worst_s, r.latency_s() + 25 / rate + 1 / 250.0 + 1e-9) << rate;
    EXPECT_LT(worst_s, rate >= 250 ? 0.2 : 0.5) << rate;
  }
}

TEST(Resampler, EqualRatesAreAnExactCopy) {
  Resampler r(250, 250, 1);
  EXPECT_TRUE(r.bypass());
  const std::vector<float> x{1.5F, -2.25F, 3.0F};
  r.push(x, 3);
  std::vector<float> y(3);
  r.take(3, y);
  EXPECT_EQ(x, y);
}

}  // namespace
}  // namespace streamdx

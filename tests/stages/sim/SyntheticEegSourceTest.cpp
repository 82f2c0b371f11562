#include "stages/sim/SyntheticEegSource.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace streamdx {
namespace {

std::vector<float> generate(SyntheticEegSettings s, std::size_t frames) {
  SyntheticEegSource src(s);
  std::vector<float> all;
  std::vector<float> block(src.info().shape.sample_count());
  for (std::size_t i = 0; i < frames; ++i) {
    const auto info = src.produce(block, std::stop_token{});
    if (!info) break;
    EXPECT_EQ(info->flags & kFrameSynthetic, kFrameSynthetic);
    all.insert(all.end(), block.begin(), block.end());
  }
  return all;
}

double rms(std::span<const float> x) {
  double acc = 0;
  for (float v : x) acc += static_cast<double>(v) * v;
  return std::sqrt(acc / static_cast<double>(x.size()));
}

TEST(SyntheticEegSource, SameSeedSameBitsOtherSeedOtherBits) {
  SyntheticEegSettings s;
  s.duration_s = 5;
  const auto a = generate(s, 100);
  const auto b = generate(s, 100);
  EXPECT_EQ(a, b);
  s.seed = 2;
  EXPECT_NE(a, generate(s, 100));
}

TEST(SyntheticEegSource, EndsAfterItsDurationWithTimestampsFromZero) {
  SyntheticEegSettings s;
  s.duration_s = 2.0;
  SyntheticEegSource src(s);
  std::vector<float> block(src.info().shape.sample_count());
  std::vector<std::int64_t> t;
  while (auto info = src.produce(block, std::stop_token{})) t.push_back(info->first_sample_ns);
  ASSERT_EQ(t.size(), 20U);  // 2 s of 0.1 s frames
  EXPECT_EQ(t[0], 0);
  EXPECT_EQ(t[19], 1'900'000'000);
}

TEST(SyntheticEegSource, TheDischargeIsWhereTheSettingsPutIt) {
  SyntheticEegSettings s;
  s.channels = 4;
  s.duration_s = 30;
  s.discharge_start_s = 10;
  s.discharge_length_s = 10;
  s.discharge_pattern = DischargePattern::kFixed;
  SyntheticEegSource src(s);
  EXPECT_EQ(src.discharge_weight(9.9), 0.0);
  EXPECT_EQ(src.discharge_weight(15.0), 1.0);
  EXPECT_EQ(src.discharge_weight(20.0), 0.0);
  std::vector<float> block(src.info().shape.sample_count());
  std::vector<double> rms_per_frame;
  while (src.produce(block, std::stop_token{})) rms_per_frame.push_back(rms(block));
  auto mean_rms = [&](std::size_t from, std::size_t to) {
    double acc = 0;
    for (std::size_t i = from; i < to; ++i) acc += rms_per_frame[i];
    return acc / static_cast<double>(to - from);
  };
  const double background = mean_rms(0, 90);    // 0-9 s
  const double discharge = mean_rms(130, 170);  // 13-17 s, full strength
  const double after = mean_rms(210, 300);      // 21-30 s
  EXPECT_GT(discharge, 3.0 * background);
  EXPECT_LT(after, 1.5 * background);
  EXPECT_GT(background, 5.0);  // EEG-like microvolts, not silence
  EXPECT_LT(background, 60.0);
}

// Channel 0 (always in the focus) of a 40 s recording with a 20 s discharge at 10 s, minus the
// same recording without it: the discharge alone (and, after it, the postictal attenuation).
struct EvolvingDischarge {
  std::vector<float> with;
  std::vector<float> without;
  std::vector<double> alone;  // channel 0, with - without
};

EvolvingDischarge evolving_discharge() {
  SyntheticEegSettings s;
  s.channels = 4;
  s.duration_s = 40;
  s.discharge_start_s = 10;
  s.discharge_length_s = 20;
  EvolvingDischarge d;
  d.with = generate(s, 400);
  s.discharge_length_s = 0;
  d.without = generate(s, 400);
  const std::size_t n = 25;  // samples per frame, channel-major within a frame
  for (std::size_t f = 0; f < 400; ++f) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t at = f * 4 * n + i;
      d.alone.push_back(static_cast<double>(d.with[at]) - d.without[at]);
    }
  }
  return d;
}

// Upward zero crossings per second of `x` in [from_s, to_s): the rhythm's frequency.
double crossings_per_s(const std::vector<double>& x, double from_s, double to_s) {
  const auto a = static_cast<std::size_t>(from_s * 250);
  const auto b = static_cast<std::size_t>(to_s * 250);
  int up = 0;
  for (std::size_t i = a + 1; i < b; ++i) up += (x[i - 1] < 0 && x[i] >= 0) ? 1 : 0;
  return up / (to_s - from_s);
}

double rms_of(const std::vector<double>& x, double from_s, double to_s) {
  double acc = 0;
  const auto a = static_cast<std::size_t>(from_s * 250);
  const auto b = static_cast<std::size_t>(to_s * 250);
  for (std::size_t i = a; i < b; ++i) acc += x[i] * x[i];
  return std::sqrt(acc / static_cast<double>(b - a));
}

TEST(SyntheticEegSource, TheEvolvingSeizureSlowsGrowsAndStops) {
  const EvolvingDischarge d = evolving_discharge();
  // The background is the same bits with or without the discharge, up to its onset.
  const std::size_t onset = std::size_t{10} * 250 * 4;
  EXPECT_TRUE(std::equal(d.with.begin(), d.with.begin() + onset, d.without.begin()));
  // Onset: 7 Hz; late: between 3 and 2 Hz.
  EXPECT_NEAR(crossings_per_s(d.alone, 10.5, 13.5), 7.0, 0.7);
  const double late = crossings_per_s(d.alone, 25, 28);
  EXPECT_GE(late, 2.0);
  EXPECT_LE(late, 3.0);
  // The amplitude grows at least 2-fold from onset to the late phase.
  EXPECT_GT(rms_of(d.alone, 24, 28), 2.0 * rms_of(d.alone, 10.5, 13.5));
  // Postictal attenuation: after the abrupt end, the channel is quieter than without a seizure.
  std::vector<double> with0;
  std::vector<double> without0;
  for (std::size_t f = 300; f < 330; ++f) {
    for (std::size_t i = 0; i < 25; ++i) {
      with0.push_back(d.with[f * 100 + i]);
      without0.push_back(d.without[f * 100 + i]);
    }
  }
  EXPECT_LT(rms_of(with0, 0, 3), 0.8 * rms_of(without0, 0, 3));
}

TEST(SyntheticEegSource, TheGroundTruthWeightFollowsTheEvolution) {
  SyntheticEegSettings s;
  s.discharge_start_s = 10;
  s.discharge_length_s = 20;
  const SyntheticEegSource src(s);
  EXPECT_EQ(src.discharge_weight(9.99), 0.0);
  EXPECT_GT(src.discharge_weight(10.0), 0.0);
  EXPECT_LT(src.discharge_weight(11.0), src.discharge_weight(25.0));
  EXPECT_EQ(src.discharge_weight(30.0), 0.0);
}

TEST(SyntheticEegSource, NonsenseSettingsAreRefused) {
  SyntheticEegSettings s;
  s.channels = 0;
  EXPECT_THROW(SyntheticEegSource{s}, std::invalid_argument);
  EXPECT_THROW(parse_discharge_pattern("ramp"), std::invalid_argument);
  EXPECT_EQ(parse_discharge_pattern("fixed"), DischargePattern::kFixed);
}

}  // namespace
}  // namespace streamdx

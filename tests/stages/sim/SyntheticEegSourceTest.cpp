#include "stages/sim/SyntheticEegSource.hpp"

#include <gtest/gtest.h>

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

TEST(SyntheticEegSource, NonsenseSettingsAreRefused) {
  SyntheticEegSettings s;
  s.channels = 0;
  EXPECT_THROW(SyntheticEegSource{s}, std::invalid_argument);
}

}  // namespace
}  // namespace streamdx

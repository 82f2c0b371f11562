#include "stages/eeg/TimeStretchedSource.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace streamdx {
namespace {

constexpr double kRate = 250.0;
constexpr std::uint16_t kPerFrame = 25;

// `count` frames of two channels starting at `onset_s`: channel c is a tone of hz[c].
std::vector<Frame> tone_frames(std::size_t count, const std::array<double, 2>& hz,
                               double onset_s = 0.0) {
  std::vector<Frame> frames(count);
  for (std::size_t f = 0; f < count; ++f) {
    Frame& fr = frames[f];
    fr.reshape(FrameShape{2, kPerFrame});
    fr.sample_rate_hz = kRate;
    fr.first_sample_ns = std::llround((onset_s + static_cast<double>(f * kPerFrame) / kRate) * 1e9);
    for (std::size_t c = 0; c < 2; ++c) {
      for (std::size_t i = 0; i < kPerFrame; ++i) {
        const double t = static_cast<double>(f * kPerFrame + i) / kRate;
        fr.samples[c * kPerFrame + i] =
            static_cast<float>(std::sin(2 * std::numbers::pi * hz[c] * t));
      }
    }
  }
  return frames;
}

struct Replayed {
  std::vector<std::vector<float>> channels{2};
  std::vector<SourceBlockInfo> blocks;
};

Replayed replay(TimeStretchedSource& s) {
  Replayed r;
  std::vector<float> out(s.info().shape.sample_count());
  const std::stop_source never;
  while (const auto block = s.produce(out, never.get_token())) {
    r.blocks.push_back(*block);
    for (std::size_t c = 0; c < 2; ++c) {
      r.channels[c].insert(r.channels[c].end(),
                           out.begin() + static_cast<std::ptrdiff_t>(c * kPerFrame),
                           out.begin() + static_cast<std::ptrdiff_t>((c + 1) * kPerFrame));
    }
  }
  return r;
}

// The frequency of the strongest DFT bin between 1 and 40 Hz, on a 0.05 Hz grid.
double peak_hz(const std::vector<float>& x) {
  double best_hz = 0;
  double best = -1;
  for (int step = 0; step <= 780; ++step) {
    const double hz = 1.0 + 0.05 * step;
    double re = 0;
    double im = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double a = 2 * std::numbers::pi * hz * static_cast<double>(i) / kRate;
      re += x[i] * std::cos(a);
      im += x[i] * std::sin(a);
    }
    if (re * re + im * im > best) {
      best = re * re + im * im;
      best_hz = hz;
    }
  }
  return best_hz;
}

TEST(TimeStretchedSource, FactorOneReplaysTheFramesUnchanged) {
  const auto frames = tone_frames(40, {7.0, 13.0}, 2.5);
  TimeStretchedSource s(frames, 1.0);
  const Replayed r = replay(s);
  ASSERT_EQ(r.blocks.size(), frames.size());
  for (std::size_t f = 0; f < frames.size(); ++f) {
    EXPECT_EQ(r.blocks[f].first_sample_ns, frames[f].first_sample_ns);
    for (std::size_t i = 0; i < kPerFrame; ++i) {
      EXPECT_EQ(r.channels[1][f * kPerFrame + i], frames[f].samples[kPerFrame + i]);
    }
  }
}

TEST(TimeStretchedSource, RhythmsSpeedUpByTheFactorAndStampsKeepRecordingTime) {
  const auto frames = tone_frames(200, {8.0, 20.0});  // 20 s
  TimeStretchedSource faster(frames, 1.25);
  const Replayed r = replay(faster);
  // 20 s at 1.25x speed lasts 16 s: 160 frames (the resampler's edges may cost one).
  EXPECT_NEAR(static_cast<double>(r.blocks.size()), 160.0, 1.0);
  EXPECT_NEAR(peak_hz(r.channels[0]), 10.0, 0.06);
  EXPECT_NEAR(peak_hz(r.channels[1]), 25.0, 0.06);
  // Frame f starts f * 0.1 s into the replay, which is f * 0.125 s of the recording.
  EXPECT_EQ(r.blocks[8].first_sample_ns, 1'000'000'000);
  EXPECT_EQ(r.blocks[100].first_sample_ns, 12'500'000'000);

  TimeStretchedSource slower(frames, 0.8);
  const Replayed q = replay(slower);
  EXPECT_NEAR(static_cast<double>(q.blocks.size()), 250.0, 1.0);
  EXPECT_NEAR(peak_hz(q.channels[0]), 6.4, 0.06);
  EXPECT_EQ(q.blocks[10].first_sample_ns, 800'000'000);
}

TEST(TimeStretchedSource, EachContiguousRunIsStretchedOnItsOwn) {
  auto frames = tone_frames(50, {8.0, 8.0});
  auto after_gap = tone_frames(50, {8.0, 8.0}, 30.0);
  after_gap[0].flags = kFrameDiscontinuity;
  frames.insert(frames.end(), after_gap.begin(), after_gap.end());
  TimeStretchedSource s(frames, 2.0);
  const Replayed r = replay(s);
  ASSERT_EQ(r.blocks.size(), 50U);  // each 5 s run lasts 2.5 s: 25 frames
  EXPECT_EQ(r.blocks[0].first_sample_ns, 0);
  EXPECT_EQ(r.blocks[25].first_sample_ns, 30'000'000'000);
  EXPECT_EQ(r.blocks[25].flags, kFrameDiscontinuity);
  EXPECT_EQ(r.blocks[26].first_sample_ns, 30'200'000'000);
  EXPECT_EQ(r.blocks[24].flags, 0U);
}

TEST(TimeStretchedSource, RefusesAFactorThatIsNotPositive) {
  const auto frames = tone_frames(10, {8.0, 8.0});
  EXPECT_THROW(TimeStretchedSource(frames, 0.0), std::invalid_argument);
  EXPECT_THROW(TimeStretchedSource(frames, -1.5), std::invalid_argument);
  EXPECT_THROW(TimeStretchedSource(frames, std::nan("")), std::invalid_argument);
}

}  // namespace
}  // namespace streamdx

#include "stages/eeg/LfccExtractor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <vector>

#include "core/Random.hpp"

namespace streamdx {
namespace {

using lfcc::kFeatures;
using lfcc::kFrameSamples;
constexpr double kPi = std::numbers::pi;

// A recording as frames: frames[t] is planar channels x 25.
using Frames = std::vector<std::vector<float>>;

Frames make_frames(std::size_t channels, std::size_t count,
                   const std::function<double(std::size_t ch, double t)>& signal) {
  Frames frames(count, std::vector<float>(channels * kFrameSamples));
  for (std::size_t t = 0; t < count; ++t) {
    for (std::size_t c = 0; c < channels; ++c) {
      for (std::size_t i = 0; i < kFrameSamples; ++i) {
        const double time = static_cast<double>(t * kFrameSamples + i) / lfcc::kSampleRateHz;
        frames[t][c * kFrameSamples + i] = static_cast<float>(signal(c, time));
      }
    }
  }
  return frames;
}

Frames noise_frames(std::size_t channels, std::size_t count, std::uint64_t seed) {
  SplitMix64 rng(seed);
  return make_frames(channels, count, [&](std::size_t, double) { return 40.0 * rng.normal(); });
}

struct Extraction {
  Frames outputs;
  std::vector<std::size_t> produced_at;  // input index at which each output appeared
};

Extraction extract(const Frames& frames, std::size_t channels) {
  LfccExtractor x;
  const StreamInfo out = x.configure(
      StreamInfo{0, FrameShape{static_cast<std::uint16_t>(channels), kFrameSamples}, 250.0});
  EXPECT_EQ(out.shape.samples_per_channel, kFeatures);
  EXPECT_DOUBLE_EQ(out.sample_rate_hz, 10.0);
  Extraction r;
  std::vector<float> o(channels * kFeatures);
  for (std::size_t t = 0; t < frames.size(); ++t) {
    if (x.process(frames[t], o)) {
      r.outputs.push_back(o);
      r.produced_at.push_back(t);
    }
  }
  while (x.flush(o)) {
    r.outputs.push_back(o);
    r.produced_at.push_back(frames.size());
  }
  return r;
}

double feature(const Frames& out, std::size_t t, std::size_t ch, std::size_t f) {
  return out[t][ch * kFeatures + f];
}

TEST(LfccExtractor, OutputsLagInputsByTheDocumentedDelayAndNoneIsLost) {
  EXPECT_EQ(lfcc::kDelayFrames, 6U);
  for (const std::size_t n : {1U, 3U, 6U, 7U, 40U}) {
    const Extraction r = extract(noise_frames(2, n, 1), 2);
    ASSERT_EQ(r.outputs.size(), n) << n << " frames in";
    for (std::size_t k = 0; k < n; ++k) {
      // Output k (describing frame k) leaves with input k + 6, or at flush.
      EXPECT_EQ(r.produced_at[k], std::min(k + lfcc::kDelayFrames, n));
    }
  }
}

TEST(LfccExtractor, ACallWithoutOutputLeavesTheOutputUntouched) {
  // The runner relies on it to skip re-zeroing output frames (core/Stage.hpp).
  LfccExtractor x;
  x.configure(StreamInfo{0, FrameShape{2, kFrameSamples}, 250.0});
  const Frames frames = noise_frames(2, 10, 4);
  std::vector<float> o(2 * kFeatures, 0.0F);
  std::size_t declined = 0;
  for (const auto& frame : frames) {
    std::fill(o.begin(), o.end(), -7.0F);
    if (x.process(frame, o)) continue;
    ++declined;
    for (const float v : o) ASSERT_EQ(v, -7.0F);
  }
  EXPECT_EQ(declined, lfcc::kDelayFrames);
}

TEST(LfccExtractor, ChannelsAreIndependentAndRunsRepeatBitForBit) {
  const Frames all = noise_frames(22, 60, 7);
  const Extraction together = extract(all, 22);
  EXPECT_EQ(extract(all, 22).outputs, together.outputs);
  // Channel 3 alone gives the same bits as channel 3 among 22 (SIMD lanes do not mix, and the
  // FFT plan for one channel runs the same arithmetic as the plan for 22).
  Frames alone(all.size(), std::vector<float>(kFrameSamples));
  for (std::size_t t = 0; t < all.size(); ++t) {
    std::copy_n(all[t].begin() + 3 * kFrameSamples, kFrameSamples, alone[t].begin());
  }
  const Extraction single = extract(alone, 1);
  for (std::size_t t = 0; t < all.size(); ++t) {
    for (std::size_t f = 0; f < kFeatures; ++f) {
      ASSERT_EQ(feature(single.outputs, t, 0, f), feature(together.outputs, t, 3, f))
          << "frame " << t << " feature " << lfcc::kFeatureNames[f];
    }
  }
}

TEST(LfccExtractor, EnergyTermIsTheLogPowerOfASinusoid) {
  // 20 µV amplitude: power A^2/2 = 200 µV^2 in every window (to within the window's end
  // effects for a non-integer number of cycles).
  const Extraction r = extract(
      make_frames(1, 30, [](std::size_t, double t) { return 20.0 * std::sin(2 * kPi * 10.0 * t); }),
      1);
  // Away from the ends, where the repeated first and last samples enter the windows.
  for (std::size_t t = 1; t < 29; ++t) {
    EXPECT_NEAR(feature(r.outputs, t, 0, 0), std::log(200.0), 0.02) << t;
  }
  for (std::size_t t = 10; t < 24; ++t) {
    EXPECT_NEAR(feature(r.outputs, t, 0, 8), 0.0, 0.01) << t;  // steady: no differential energy
    EXPECT_NEAR(feature(r.outputs, t, 0, 9), 0.0, 0.01) << t;  // and no energy delta
  }
}

TEST(LfccExtractor, EnergyDeltaIsTheSlopeOfAGrowingSignal) {
  // Amplitude e^(a t): log power grows by 2 a per second, 0.2 a per 0.1 s frame.
  constexpr double kA = 1.5;
  const Extraction r =
      extract(make_frames(1, 60,
                          [](std::size_t, double t) {
                            return 10.0 * std::exp(kA * t) * std::sin(2 * kPi * 12.5 * t);
                          }),
              1);
  for (std::size_t t = 10; t < 50; ++t) {
    EXPECT_NEAR(feature(r.outputs, t, 0, 9), 0.2 * kA, 0.01) << t;      // d_energy
    EXPECT_NEAR(feature(r.outputs, t, 0, 18), 0.0, 0.01) << t;          // dd_energy
    EXPECT_NEAR(feature(r.outputs, t, 0, 8), 8 * 0.2 * kA, 0.05) << t;  // 9 frames: 8 steps
  }
}

TEST(LfccExtractor, SpectralShapeMovesTheCepstra) {
  // A slow and a fast rhythm of equal power: low frequencies raise the log-spectrum's low
  // bands, and c1 (a half cosine across the bands) has the opposite sign for the two.
  const auto c1_of = [](double hz) {
    const Extraction r = extract(
        make_frames(1, 20,
                    [hz](std::size_t, double t) { return 30.0 * std::sin(2 * kPi * hz * t); }),
        1);
    return feature(r.outputs, 10, 0, 1);
  };
  EXPECT_GT(c1_of(4.0), 1.0);
  EXPECT_LT(c1_of(30.0), -1.0);
}

TEST(LfccExtractor, FlatChannelGivesFiniteFeatures) {
  const Extraction r =
      extract(make_frames(2, 12,
                          [](std::size_t ch, double t) {
                            return ch == 0 ? 0.0 : 25.0 * std::sin(2 * kPi * 7.0 * t);
                          }),
              2);
  for (std::size_t t = 0; t < 12; ++t) {
    EXPECT_DOUBLE_EQ(feature(r.outputs, t, 0, 0),
                     static_cast<double>(static_cast<float>(std::log(lfcc::kEnergyFloor))));
    for (std::size_t f = 1; f < kFeatures; ++f) {
      EXPECT_NEAR(feature(r.outputs, t, 0, f), 0.0, 1e-9) << lfcc::kFeatureNames[f];
    }
    for (std::size_t f = 0; f < kFeatures; ++f) {
      EXPECT_TRUE(std::isfinite(feature(r.outputs, t, 1, f)));
    }
  }
}

TEST(LfccExtractor, RejectsStreamsItWasNotDefinedFor) {
  LfccExtractor x;
  EXPECT_THROW((void)x.configure(StreamInfo{0, FrameShape{4, 25}, 256.0}), std::runtime_error);
  EXPECT_THROW((void)x.configure(StreamInfo{0, FrameShape{4, 50}, 250.0}), std::runtime_error);
  EXPECT_THROW((void)x.configure(StreamInfo{0, FrameShape{0, 25}, 250.0}), std::runtime_error);
  (void)x.configure(StreamInfo{0, FrameShape{4, 25}, 250.0});
  std::vector<float> out(4 * kFeatures);
  EXPECT_THROW((void)x.process(std::vector<float>(std::size_t{3} * 25), out), std::runtime_error);
}

TEST(LfccExtractor, PipelineAdapterStampsEachOutputWithTheFrameItDescribes) {
  TransformAdapter<LfccExtractor> node{LfccExtractor{}};
  const Frames frames = noise_frames(3, 15, 3);
  std::vector<FramePtr> outs;
  for (std::size_t t = 0; t < frames.size(); ++t) {
    auto f = std::make_unique<Frame>();
    f->sequence = t;
    f->first_sample_ns = static_cast<std::int64_t>(t) * 100'000'000 + 5;
    f->sample_rate_hz = 250.0;
    f->reshape(FrameShape{3, 25});
    f->samples = frames[t];
    if (FramePtr o = node.process(std::move(f))) outs.push_back(std::move(o));
    EXPECT_EQ(outs.size(), t >= 6 ? t - 5 : 0U);
  }
  while (FramePtr o = node.flush()) outs.push_back(std::move(o));
  ASSERT_EQ(outs.size(), frames.size());
  for (std::size_t k = 0; k < outs.size(); ++k) {
    EXPECT_EQ(outs[k]->sequence, k);
    EXPECT_EQ(outs[k]->first_sample_ns, static_cast<std::int64_t>(k) * 100'000'000 + 5);
    EXPECT_EQ(outs[k]->shape, (FrameShape{3, 26}));
    EXPECT_DOUBLE_EQ(outs[k]->sample_rate_hz, 10.0);
  }
}

}  // namespace
}  // namespace streamdx

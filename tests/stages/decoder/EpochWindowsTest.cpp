#include "stages/decoder/EpochWindows.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace streamdx {
namespace {

using decoder::kFeatures;
using decoder::kInputs;
using decoder::kSteps;

// Frame t of channel c: every feature equals 1000 c + t.
std::vector<float> frame(std::size_t channels, std::size_t t) {
  std::vector<float> f(channels * kFeatures);
  for (std::size_t c = 0; c < channels; ++c) {
    for (std::size_t i = 0; i < kFeatures; ++i)
      f[c * kFeatures + i] = static_cast<float>(1000 * c + t);
  }
  return f;
}

// The frame index a window value came from.
float at(const EpochWindows& w, std::size_t c, std::size_t step, std::size_t frame_in_step) {
  return w.windows()[c * decoder::kWindowValues + step * kInputs + frame_in_step * kFeatures];
}

TEST(EpochWindows, EveryTenthFrameCompletesAWindowOfTheLastSevenEpochs) {
  EpochWindows w(3);
  std::size_t windows = 0;
  for (std::size_t t = 0; t < 120; ++t) {
    const bool done = w.push(frame(3, t));
    EXPECT_EQ(done, t % 10 == 9) << t;
    if (!done) continue;
    ++windows;
    const std::size_t newest = t / 10;
    for (std::size_t c = 0; c < 3; ++c) {
      for (std::size_t s = 0; s < kSteps; ++s) {
        // Steps oldest first; before epoch 0, epoch 0 repeated.
        const std::size_t back = kSteps - 1 - s;
        const std::size_t epoch = newest >= back ? newest - back : 0;
        for (std::size_t k = 0; k < 10; ++k) {
          ASSERT_EQ(at(w, c, s, k), static_cast<float>(1000 * c + epoch * 10 + k))
              << "window " << newest << " channel " << c << " step " << s;
        }
      }
    }
  }
  EXPECT_EQ(windows, 12U);
  EXPECT_EQ(w.epochs(), 12U);
}

TEST(EpochWindows, RejectsFramesOfTheWrongSize) {
  EpochWindows w(2);
  EXPECT_THROW((void)w.push(std::vector<float>(kFeatures)), std::invalid_argument);
}

}  // namespace
}  // namespace streamdx

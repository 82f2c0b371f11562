// BackgroundLevel: the log energy relative to the channel's own recent background. Warm-up,
// the median, the hold while a level departs, its limit, gain invariance and channel
// independence, each on energies made by hand.
#include "stages/decoder/BackgroundLevel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "stages/decoder/DecoderShape.hpp"

namespace streamdx {
namespace {

using decoder::kFeatures;
using decoder::kFramesPerEpoch;

// Feeds `seconds` one-second blocks at energy `e` (all 10 frames alike) to channel 0 of a
// 1-channel level, returning the relative energy of every frame.
std::vector<float> feed(BackgroundLevel& level, float e, std::size_t seconds) {
  std::vector<float> out;
  std::vector<float> frame(kFeatures, 0.5F);
  for (std::size_t s = 0; s < seconds * kFramesPerEpoch; ++s) {
    frame[0] = e;
    level.apply(frame);
    out.push_back(frame[0]);
  }
  return out;
}

TEST(BackgroundLevel, WarmUpReadsZeroThenTheMedianOfPastSeconds) {
  BackgroundLevel level(1);
  const auto first = feed(level, 3.0F, 1);
  for (const float v : first) EXPECT_EQ(v, 0.0F);  // its own mean: nothing to compare with yet
  EXPECT_EQ(level.background(0), 3.0F);
  // During warm-up every second is accepted, even a big step: the median follows.
  feed(level, 5.0F, 2);
  EXPECT_EQ(level.background(0), 5.0F);  // history 3, 5, 5: lower median 5
}

TEST(BackgroundLevel, OnlyOtherFeaturesAreUntouched) {
  BackgroundLevel level(1);
  std::vector<float> frame(kFeatures);
  for (std::size_t i = 0; i < kFeatures; ++i) frame[i] = static_cast<float>(i) + 1.0F;
  const std::vector<float> before = frame;
  level.apply(frame);
  EXPECT_EQ(frame[0], 0.0F);
  for (std::size_t i = 1; i < kFeatures; ++i) EXPECT_EQ(frame[i], before[i]);
}

TEST(BackgroundLevel, ASeizureLikeRiseIsHeldOutOfTheBackground) {
  BackgroundLevel level(1);
  feed(level, 2.0F, 60);  // a minute of steady background
  // Three times the amplitude is ln 9 = 2.2 above: held, so the relative energy stays high for
  // as long as it lasts (2 minutes here), instead of fading as a running median would let it.
  const auto rise = feed(level, 2.0F + 2.2F, 120);
  EXPECT_NEAR(rise.front(), 2.2F, 1e-6F);
  EXPECT_NEAR(rise.back(), 2.2F, 1e-6F);
  EXPECT_EQ(level.background(0), 2.0F);
  // A smaller change (1.0 < the 1.5 hold) is a new normal: taken in, and the median moves once
  // more than half of the two minutes carry it (the 62nd second reads it).
  const auto shift = feed(level, 3.0F, 62);
  EXPECT_NEAR(shift.front(), 1.0F, 1e-6F);
  EXPECT_NEAR(shift.back(), 0.0F, 1e-6F);
}

TEST(BackgroundLevel, AHoldEndsAfterFiveMinutes) {
  BackgroundLevel level(1);
  feed(level, 1.0F, 30);
  feed(level, 4.0F, BackgroundLevel::kMaxHeldEpochs);  // held the whole time
  EXPECT_EQ(level.background(0), 1.0F);
  // From then on the new level is accepted; within a minute it is the median of the 120 s.
  feed(level, 4.0F, 61);
  EXPECT_EQ(level.background(0), 4.0F);
}

TEST(BackgroundLevel, AGainChangesNothingAndChannelsAreIndependent) {
  // Channel 1 is channel 0 with a gain of 10 (ln 100 added to every log energy) and a rise.
  BackgroundLevel level(2);
  std::vector<float> frame(2 * kFeatures, 0.0F);
  for (std::size_t t = 0; t < 400 * kFramesPerEpoch; ++t) {
    const float e = 2.0F + 0.3F * std::sin(0.01F * static_cast<float>(t)) +
                    (t > 300 * kFramesPerEpoch ? 2.5F : 0.0F);
    frame[0] = e;
    frame[kFeatures] = e + std::log(100.0F);
    level.apply(frame);
    EXPECT_NEAR(frame[0], frame[kFeatures], 2e-5F) << t;
  }
}

TEST(BackgroundLevel, MemoryIsBoundedByTheHistory) {
  BackgroundLevel level(1);
  feed(level, 1.0F, 10'000);
  feed(level, 1.2F, BackgroundLevel::kHistoryEpochs);
  // The whole window now holds 1.2: the old 10,000 seconds are gone.
  EXPECT_EQ(level.background(0), 1.2F);
}

}  // namespace
}  // namespace streamdx

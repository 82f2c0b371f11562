#include "core/Frame.hpp"

#include <gtest/gtest.h>

namespace streamdx {
namespace {

TEST(Frame, StampsKeepOrderAndTruncateLongNames) {
  Frame f;
  f.stamp("acquire", 10);
  f.stamp("a-very-long-stage-name", 20);
  ASSERT_EQ(f.stage_stamps().size(), 2U);
  EXPECT_EQ(f.stage_stamps()[0].stage(), "acquire");
  EXPECT_EQ(f.stage_stamps()[1].stage(), "a-very-long-sta");
  EXPECT_EQ(f.origin_ns(), 10);
}

TEST(Frame, StampOverflowIsFlaggedNotWrittenPastTheEnd) {
  Frame f;
  for (std::size_t i = 0; i < Frame::kMaxStamps + 3; ++i) f.stamp("s", static_cast<MonoNs>(i));
  EXPECT_EQ(f.stamp_count, Frame::kMaxStamps);
  EXPECT_TRUE(f.stamps_overflowed);
  EXPECT_EQ(f.stage_stamps().back().t_ns, static_cast<MonoNs>(Frame::kMaxStamps - 1));
}

TEST(Frame, PlanarChannelsAreContiguous) {
  Frame f;
  f.reshape({3, 4});
  for (std::size_t i = 0; i < f.samples.size(); ++i) f.samples[i] = static_cast<float>(i);
  EXPECT_EQ(f.channel(1)[0], 4.0F);
  EXPECT_EQ(f.channel(2)[3], 11.0F);
}

}  // namespace
}  // namespace streamdx

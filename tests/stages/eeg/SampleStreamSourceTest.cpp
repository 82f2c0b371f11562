#include "stages/eeg/SampleStreamSource.hpp"

#include <gtest/gtest.h>

#include "support/TestData.hpp"

namespace streamdx {
namespace {

EegSourceSettings single_channel() {
  EegSourceSettings s;
  s.montage = MontageKind::kNone;
  return s;
}

// Every Bonn segment (4097 samples at 173.61 Hz) becomes 235 single-channel 0.1 s frames.
TEST(SampleStreamSourceRealFiles, EveryBonnSegmentStreams) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/bonn");
  std::size_t files = 0;
  for (const char* set : {"A", "B", "C", "D", "E"}) {
    for (const auto& e : std::filesystem::directory_iterator(root / set)) {
      SampleStreamSource src(e.path().string(), 173.61, single_channel());
      ASSERT_EQ(src.info().shape.channels, 1U);
      std::vector<float> buf(25);
      std::size_t frames = 0;
      while (src.produce(buf, std::stop_token{})) ++frames;
      ASSERT_EQ(frames, 235U) << e.path();  // 4097 / 173.61 s = 23.6 s
      ++files;
    }
  }
  EXPECT_EQ(files, 500U);
}

}  // namespace
}  // namespace streamdx

#include "gui/TraceHistory.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "gui/ViewerModel.hpp"

namespace streamdx {
namespace {

std::vector<float> block(std::size_t channels, std::size_t count, float base) {
  std::vector<float> v(channels * count);
  for (std::size_t c = 0; c < channels; ++c) {
    for (std::size_t k = 0; k < count; ++k)
      v[c * count + k] = base + 100.0F * static_cast<float>(c) + static_cast<float>(k);
  }
  return v;
}

TEST(TraceHistory, PlacesBlocksBySampleIndexAndBlanksGaps) {
  TraceHistory h(2, 250, 100);
  h.append(10, block(2, 5, 0), 5);   // samples 10..14
  h.append(20, block(2, 5, 50), 5);  // 15..19 never arrived
  EXPECT_EQ(h.begin_index(), 10);
  EXPECT_EQ(h.end_index(), 25);
  std::vector<float> out(20);
  h.read(1, 8, out);
  EXPECT_TRUE(std::isnan(out[0]));  // before the first block
  EXPECT_EQ(out[2], 100.0F);        // sample 10 of channel 1
  EXPECT_EQ(out[6], 104.0F);
  EXPECT_TRUE(std::isnan(out[7]));  // the gap
  EXPECT_TRUE(std::isnan(out[11]));
  EXPECT_EQ(out[12], 150.0F);        // sample 20
  EXPECT_TRUE(std::isnan(out[17]));  // after the newest
}

TEST(TraceHistory, KeepsOnlyTheNewestCapacitySamples) {
  TraceHistory h(1, 250, 8);
  for (std::int64_t i = 0; i < 5; ++i) h.append(i * 4, block(1, 4, static_cast<float>(i * 4)), 4);
  EXPECT_EQ(h.end_index(), 20);
  EXPECT_EQ(h.begin_index(), 12);
  std::vector<float> out(10);
  h.read(0, 10, out);
  EXPECT_TRUE(std::isnan(out[0]));  // sample 10 was overwritten by a newer one
  EXPECT_TRUE(std::isnan(out[1]));
  for (std::size_t k = 2; k < 10; ++k) EXPECT_EQ(out[k], static_cast<float>(10 + k));
}

TEST(MinMaxDecimation, KeepsASingleSampleSpikeAndTheOrderOfExtremes) {
  std::vector<float> s(1000, 0.0F);
  s[537] = 250.0F;  // one-sample spike
  s[800] = -40.0F;  // then a dip after a peak in the same column
  s[805] = 40.0F;
  std::vector<ColumnExtent> cols(10);
  decimate_min_max(s, cols);
  EXPECT_EQ(cols[5].max, 250.0F);
  EXPECT_EQ(cols[5].min, 0.0F);
  EXPECT_TRUE(cols[5].min_first);  // 0 at sample 500 comes before the spike
  EXPECT_EQ(cols[8].min, -40.0F);
  EXPECT_EQ(cols[8].max, 40.0F);
  EXPECT_TRUE(cols[8].min_first);
  s[800] = 40.0F;
  s[805] = -40.0F;
  decimate_min_max(s, cols);
  EXPECT_FALSE(cols[8].min_first);
  for (const std::size_t c : {0U, 1U, 9U}) EXPECT_EQ(cols[c].max - cols[c].min, 0.0F);
}

TEST(MinMaxDecimation, ColumnsWithoutFiniteSamplesAreEmpty) {
  std::vector<float> s(100, std::nanf(""));
  s[95] = 3.0F;
  std::vector<ColumnExtent> cols(4);
  decimate_min_max(s, cols);
  EXPECT_TRUE(cols[0].empty);
  EXPECT_TRUE(cols[2].empty);
  ASSERT_FALSE(cols[3].empty);
  EXPECT_EQ(cols[3].max, 3.0F);
}

TEST(ViewerModel, FindsEventsAndTheEventOpenAtATime) {
  std::vector<EpochDecision> epochs;
  for (int i = 0; i < 20; ++i) {
    const bool seiz = (i >= 5 && i < 9) || i >= 15;
    epochs.push_back({static_cast<double>(i), static_cast<double>(i + 1), seiz, seiz ? 0.8 : 0.9});
  }
  const auto events = seizure_events(epochs);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_DOUBLE_EQ(events[0].first, 5);
  EXPECT_DOUBLE_EQ(events[0].second, 9);
  EXPECT_DOUBLE_EQ(events[1].first, 15);
  EXPECT_DOUBLE_EQ(events[1].second, 20);
  EXPECT_FALSE(open_event_at(epochs, 4.5));
  const auto open = open_event_at(epochs, 7.2);
  ASSERT_TRUE(open);
  EXPECT_DOUBLE_EQ(open->start_s, 5);
  EXPECT_FALSE(open_event_at(epochs, 12));
  EXPECT_DOUBLE_EQ(open_event_at(epochs, 1e9)->start_s, 15);  // live: the newest epoch
}

}  // namespace
}  // namespace streamdx

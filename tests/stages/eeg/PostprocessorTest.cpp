#include "stages/eeg/Postprocessor.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace streamdx {
namespace {

// Feeds one epoch of per-channel P(seiz) values; returns the decision frame.
std::vector<float> epoch(Postprocessor& p, const std::vector<float>& p_seiz) {
  std::vector<float> in;
  for (const float v : p_seiz) {
    in.push_back(v);
    in.push_back(1.0F - v);
  }
  std::vector<float> out(kDecisionFields);
  EXPECT_TRUE(p.process(in, out));
  return out;
}

Postprocessor configured(PostprocessSettings s, std::uint16_t channels) {
  Postprocessor p(s);
  const StreamInfo out = p.configure(StreamInfo{0, FrameShape{channels, 2}, 1.0});
  EXPECT_EQ(out.shape, (FrameShape{1, static_cast<std::uint16_t>(kDecisionFields)}));
  return p;
}

TEST(Postprocessor, AnEventIsConfirmedAfterTheMinimumDurationAndDatedFromItsStart) {
  PostprocessSettings s;
  s.min_duration_epochs = 3;
  s.min_channels = 1;
  Postprocessor p = configured(s, 1);
  const std::vector<float> p_seiz = {0.1F, 0.9F, 0.9F, 0.9F, 0.9F, 0.2F, 0.9F, 0.9F, 0.1F};
  std::vector<float> labels;
  std::vector<float> back;
  for (const float v : p_seiz) {
    const auto d = epoch(p, {v});
    labels.push_back(d[kLabel]);
    back.push_back(d[kOnsetEpochsBack]);
  }
  // Epochs 1-4 qualify; the third of them (epoch 3) confirms the event, dated 2 epochs back.
  EXPECT_EQ(labels, (std::vector<float>{0, 0, 0, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(back, (std::vector<float>{0, 0, 0, 2, 0, 0, 0, 0, 0}));
}

TEST(Postprocessor, ChannelsMustAgree) {
  PostprocessSettings s;
  s.min_channels = 2;
  s.min_duration_epochs = 1;  // each epoch decided on its own
  Postprocessor p = configured(s, 4);
  EXPECT_EQ(epoch(p, {0.9F, 0.1F, 0.2F, 0.1F})[kLabel], 0.0F);  // one vote
  const auto two = epoch(p, {0.9F, 0.7F, 0.2F, 0.1F});
  EXPECT_EQ(two[kLabel], 1.0F);
  EXPECT_EQ(two[kVotes], 2.0F);
  EXPECT_FLOAT_EQ(two[kConfidence], 0.8F);  // mean P(seiz) of the voting channels
  // A single-channel stream needs only its one channel.
  Postprocessor single = configured(s, 1);
  EXPECT_EQ(epoch(single, {0.9F})[kLabel], 1.0F);
}

TEST(Postprocessor, SmoothingAveragesEachChannelOverItsLastEpochs) {
  PostprocessSettings s;
  s.min_channels = 1;
  s.smoothing_epochs = 2;
  s.min_duration_epochs = 1;  // each epoch decided on its own
  Postprocessor p = configured(s, 1);
  EXPECT_EQ(epoch(p, {0.2F})[kLabel], 0.0F);
  EXPECT_EQ(epoch(p, {0.7F})[kLabel], 0.0F);  // (0.2 + 0.7) / 2 < 0.5
  EXPECT_EQ(epoch(p, {0.7F})[kLabel], 1.0F);
  const auto bckg = epoch(p, {0.1F});  // (0.7 + 0.1) / 2 = 0.4
  EXPECT_EQ(bckg[kLabel], 0.0F);
  EXPECT_FLOAT_EQ(bckg[kConfidence], 0.6F);  // 1 - mean P(seiz)
}

TEST(Postprocessor, DefaultsAreTheCatalogues) {
  const PostprocessSettings s;
  const auto catalogue = [](std::string_view key) {
    const SettingSpec* spec = find_setting(key);
    return spec != nullptr ? spec->number : -1.0;
  };
  EXPECT_EQ(static_cast<double>(s.min_duration_epochs), catalogue("postprocess.min_duration_s"));
  EXPECT_EQ(static_cast<double>(s.smoothing_epochs), catalogue("postprocess.smoothing_s"));
  EXPECT_EQ(static_cast<double>(s.min_channels), catalogue("postprocess.min_channels"));
  EXPECT_EQ(s.threshold, catalogue("postprocess.threshold"));
  EXPECT_EQ(s.min_confidence, catalogue("postprocess.min_confidence"));
}

TEST(Postprocessor, RejectsSettingsOutsideItsBuffer) {
  PostprocessSettings s;
  s.min_duration_epochs = 9;
  EXPECT_THROW(Postprocessor{s}, std::invalid_argument);
  s.min_duration_epochs = 1;
  s.smoothing_epochs = 0;
  EXPECT_THROW(Postprocessor{s}, std::invalid_argument);
}

}  // namespace
}  // namespace streamdx

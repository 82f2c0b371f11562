// The model as two stages, EpochEncoder then SeizureDecoder, against the model run whole on
// the same frames (EpochWindows encoding each epoch, then decode_windows): the same bits.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/Random.hpp"
#include "stages/decoder/EpochEncoder.hpp"
#include "stages/decoder/EpochWindows.hpp"
#include "stages/decoder/NativeLstmModel.hpp"
#include "stages/decoder/SeizureDecoder.hpp"
#include "support/SameBits.hpp"

namespace streamdx {
namespace {

using decoder::kClasses;
using decoder::kFeatures;
using testing::same_bits;

// A small model with random weights: what is tested is the plumbing, not the classifier.
LstmWeights random_weights(std::size_t hidden, std::uint64_t seed) {
  SplitMix64 rng(seed);
  const auto fill = [&](std::size_t n, double scale) {
    std::vector<float> v(n);
    for (float& x : v) x = static_cast<float>(scale * rng.normal());
    return v;
  };
  LstmWeights w;
  w.normalization = "fixed";
  w.hidden = hidden;
  w.w_ih = fill(4 * hidden * decoder::kInputs, 0.05);
  w.w_hh = fill(4 * hidden * hidden, 0.2);
  w.b_ih = fill(4 * hidden, 0.1);
  w.b_hh = fill(4 * hidden, 0.1);
  w.w_out = fill(kClasses * hidden, 0.5);
  w.b_out = fill(kClasses, 0.1);
  w.feature_mean = fill(kFeatures, 1.0);
  w.feature_std.assign(kFeatures, 2.0F);
  return w;
}

TEST(ModelStages, TheEncoderLeavesItsOutputUntouchedUntilAnEpochCompletes) {
  // The runner relies on it to skip re-zeroing output frames (core/Stage.hpp).
  auto model = std::make_shared<NativeLstmModel>(random_weights(8, 5));
  EpochEncoder encoder(model);
  const StreamInfo encoded = encoder.configure(StreamInfo{1, FrameShape{3, kFeatures}, 10.0});
  std::vector<float> in(3 * kFeatures, 0.5F);
  std::vector<float> out(encoded.shape.sample_count());
  for (std::size_t frame = 0; frame < 2 * decoder::kFramesPerEpoch; ++frame) {
    std::fill(out.begin(), out.end(), -7.0F);
    const bool completes = (frame + 1) % decoder::kFramesPerEpoch == 0;
    ASSERT_EQ(encoder.process(in, out), completes) << "frame " << frame;
    if (completes) continue;
    for (const float v : out) ASSERT_EQ(v, -7.0F) << "frame " << frame;
  }
}

TEST(ModelStages, EncoderThenDecoderGiveTheWholeModelsBits) {
  auto model = std::make_shared<NativeLstmModel>(random_weights(8, 3));
  constexpr std::size_t kChannels = 5;
  constexpr std::size_t kFrames = 120;
  const StreamInfo lfcc{7, FrameShape{kChannels, kFeatures}, 10.0};

  EpochEncoder encoder(model);
  SeizureDecoder decoder(model);
  const StreamInfo encoded = encoder.configure(lfcc);
  EXPECT_EQ(encoded.shape.samples_per_channel, model->encoding_size());
  EXPECT_EQ(encoded.sample_rate_hz, 1.0);
  const StreamInfo posteriors = decoder.configure(encoded);
  EXPECT_EQ(posteriors.shape, (FrameShape{kChannels, kClasses}));

  NativeLstmModel whole_model(random_weights(8, 3));
  EpochWindows whole(kChannels, whole_model);
  SplitMix64 rng(9);
  std::vector<float> frame(kChannels * kFeatures);
  std::vector<float> epoch(kChannels * model->encoding_size());
  std::vector<float> staged(kChannels * kClasses);
  std::vector<float> expected(staged.size());
  std::size_t decisions = 0;
  for (std::size_t k = 0; k < kFrames; ++k) {
    for (float& x : frame) x = static_cast<float>(3.0 * rng.normal());
    const bool done = encoder.process(frame, epoch);
    ASSERT_EQ(whole.push(frame), done) << "frame " << k;
    if (!done) continue;
    ASSERT_TRUE(decoder.process(epoch, staged));
    whole_model.decode_windows(whole.windows(), kChannels, expected);
    EXPECT_TRUE(same_bits(staged, expected)) << "epoch " << decisions;
    ++decisions;
  }
  EXPECT_EQ(decisions, kFrames / decoder::kFramesPerEpoch);
  EXPECT_EQ(encoder.delay_frames(), decoder::kFramesPerEpoch - 1);
}

// A model that decodes only whole, contiguous windows (as the TorchScript engine does), so the
// decoder stage goes through SeizureModel's gathering decode_steps().
class ContiguousOnly final : public SeizureModel {
 public:
  explicit ContiguousOnly(const LstmWeights& w) : inner_(w) {}
  [[nodiscard]] std::size_t encoding_size() const override { return inner_.encoding_size(); }
  void encode_epochs(std::span<const float> epochs, std::size_t count,
                     std::span<float> encodings) override {
    inner_.encode_epochs(epochs, count, encodings);
  }
  void decode_windows(std::span<const float> encodings, std::size_t batch,
                      std::span<float> posteriors) override {
    inner_.decode_windows(encodings, batch, posteriors);
  }
  [[nodiscard]] std::string device() const override { return "cpu"; }
  [[nodiscard]] std::string engine() const override { return "contiguous"; }

 private:
  NativeLstmModel inner_;
};

TEST(ModelStages, GatheredAndInPlaceDecodingGiveTheSameBits) {
  constexpr std::size_t kChannels = 6;  // one block of four windows and one of two
  const LstmWeights w = random_weights(8, 11);
  auto native = std::make_shared<NativeLstmModel>(w);
  auto gathering = std::make_shared<ContiguousOnly>(w);
  EpochEncoder encoder(native);
  SeizureDecoder in_place(native);
  SeizureDecoder gathered(gathering);
  const StreamInfo encoded =
      encoder.configure(StreamInfo{2, FrameShape{kChannels, kFeatures}, 10.0});
  in_place.configure(encoded);
  gathered.configure(encoded);
  SplitMix64 rng(12);
  std::vector<float> frame(kChannels * kFeatures);
  std::vector<float> epoch(encoded.shape.sample_count());
  std::vector<float> a(kChannels * kClasses);
  std::vector<float> b(a.size());
  std::size_t epochs = 0;
  for (std::size_t k = 0; k < 12 * decoder::kFramesPerEpoch; ++k) {
    for (float& x : frame) x = static_cast<float>(3.0 * rng.normal());
    if (!encoder.process(frame, epoch)) continue;
    ASSERT_TRUE(in_place.process(epoch, a));
    ASSERT_TRUE(gathered.process(epoch, b));
    EXPECT_TRUE(same_bits(a, b)) << "epoch " << epochs;
    ++epochs;
  }
  EXPECT_EQ(epochs, 12U);  // past the first 7, the ring wraps
}

TEST(ModelStages, EachStageNamesTheInputItNeeds) {
  auto model = std::make_shared<NativeLstmModel>(random_weights(4, 1));
  const StreamInfo lfcc{1, FrameShape{3, kFeatures}, 10.0};
  const StreamInfo signal{1, FrameShape{3, 25}, 250.0};
  EpochEncoder encoder(model);
  SeizureDecoder decoder(model);
  try {
    (void)encoder.configure(signal);
    FAIL() << "the encoder took signal frames";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("LFCC feature frames"), std::string::npos) << e.what();
  }
  try {
    (void)decoder.configure(lfcc);  // the encoder left out
    FAIL() << "the decoder took LFCC frames";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the encoder's epoch frames"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace streamdx

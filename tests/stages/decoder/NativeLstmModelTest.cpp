// The native LSTM engine against the model file's own TorchScript, and its streaming path
// (each epoch encoded once) against whole windows. Needs LibTorch to read the committed model.
#include "stages/decoder/NativeLstmModel.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>

#include "core/Random.hpp"
#include "stages/decoder/EpochWindows.hpp"
#include "stages/decoder/TorchBackend.hpp"
#include "support/SameBits.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

using decoder::kClasses;
using decoder::kFeatures;
using decoder::kWindowValues;
using testing::same_bits;

constexpr const char* kModel = STREAMDX_SOURCE_DIR "/models/seizure-lstm.pt";
// The committed comparison model: the "fixed" normalisation, whose window-mean energy the native
// engine folds into its encodings (NativeLstmModel.hpp).
constexpr const char* kFixedModel = STREAMDX_SOURCE_DIR "/models/seizure-lstm-fixed.pt";

// Features around the training statistics, `spread` standard deviations wide: spread 1 is
// typical input, spread 8 drives many gates into saturation, spread 40 is far outside anything
// seen in training (a flat or clipped channel).
std::vector<float> plausible_features(const LstmWeights& w, std::size_t values, double spread,
                                      std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<float> x(values);
  for (std::size_t i = 0; i < values; ++i) {
    const std::size_t f = i % kFeatures;
    x[i] = w.feature_mean[f] + w.feature_std[f] * static_cast<float>(spread * rng.normal());
  }
  return x;
}

class NativeAgreement : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(NativeAgreement, WithTheModelsTorchScriptWithin1e5) {
  STREAMDX_TORCH_OR_SKIP();
  const auto [model, normalization] = GetParam();
  TorchBackend& torch = torch_backend();
  torch.set_threads(1);
  const auto scripted = torch.load_model(model, TorchDevice::kCpu);
  const LstmWeights w = torch.lstm_weights(model);
  ASSERT_EQ(w.normalization, normalization);
  NativeLstmModel native(w);
  constexpr std::size_t kBatch = 64;
  for (const double spread : {1.0, 3.0, 8.0, 40.0}) {
    const auto x = plausible_features(w, kBatch * kWindowValues, spread, 11);
    std::vector<float> a(kBatch * kClasses);
    std::vector<float> b(a.size());
    scripted->forward(x, kBatch, a);
    native.forward(x, kBatch, b);
    double worst = 0;
    double lowest = 1;
    double highest = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      worst = std::max(worst, std::abs(double{a[i]} - b[i]));
      lowest = std::min(lowest, double{a[i]});
      highest = std::max(highest, double{a[i]});
    }
    EXPECT_LE(worst, 1e-5) << "spread " << spread;
    // The inputs must exercise the model, or agreement would prove little.
    EXPECT_LT(lowest, 0.2) << "spread " << spread;
    EXPECT_GT(highest, 0.8) << "spread " << spread;
  }
}

INSTANTIATE_TEST_SUITE_P(CommittedModels, NativeAgreement,
                         ::testing::Values(std::pair{kModel, "background"},
                                           std::pair{kFixedModel, "fixed"}));

TEST(NativeLstmModel, StreamingEncodingsGiveTheSameBitsAsWholeWindowsInAnyBatch) {
  STREAMDX_TORCH_OR_SKIP();
  NativeLstmModel model(torch_backend().lstm_weights(kModel));
  constexpr std::size_t kChannels = 7;  // blocks of 4, 2 and 1 channels
  constexpr std::size_t kFrames = 150;  // 15 epochs: the first 6 windows are edge-replicated
  const LstmWeights w = torch_backend().lstm_weights(kModel);
  const auto frames = plausible_features(w, kFrames * kChannels * kFeatures, 1.5, 5);
  EpochWindows raw(kChannels);
  EpochWindows encoded(kChannels, model);
  std::size_t windows = 0;
  for (std::size_t k = 0; k < kFrames; ++k) {
    const std::span<const float> frame(frames.data() + k * kChannels * kFeatures,
                                       kChannels * kFeatures);
    const bool a = raw.push(frame);
    ASSERT_EQ(encoded.push(frame), a);
    if (!a) continue;
    ++windows;
    std::vector<float> whole(kChannels * kClasses);
    std::vector<float> streamed(whole.size());
    model.forward(raw.windows(), kChannels, whole);
    model.decode_windows(encoded.windows(), kChannels, streamed);
    EXPECT_TRUE(same_bits(whole, streamed)) << "epoch " << windows;
    // One channel at a time: the same bits as in the batch.
    const std::size_t step = kWindowValues / decoder::kInputs * model.encoding_size();
    for (std::size_t c = 0; c < kChannels; ++c) {
      std::vector<float> one(kClasses);
      model.decode_windows(encoded.windows().subspan(c * step, step), 1, one);
      EXPECT_TRUE(same_bits(one, std::span<const float>(streamed).subspan(c * kClasses, kClasses)))
          << "epoch " << windows << " channel " << c;
    }
  }
  EXPECT_EQ(windows, kFrames / decoder::kFramesPerEpoch);
}

TEST(NativeLstmModel, RefusesWhatItDoesNotImplement) {
  LstmWeights w;
  w.normalization = "window";
  w.hidden = 4;
  try {
    NativeLstmModel model(w);
    FAIL() << "the window normalisation was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'window'"), std::string::npos) << e.what();
  }
  w.normalization = "fixed";
  w.w_ih.assign(10, 0.0F);
  try {
    NativeLstmModel model(w);
    FAIL() << "a w_ih of the wrong size was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("w_ih has 10 values"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace streamdx

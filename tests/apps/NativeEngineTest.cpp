// The decoder's native CPU engine on real EEG: every channel-epoch posterior of the Bonn test
// split through the pipeline's own stages, against the model file's TorchScript.
#include <gtest/gtest.h>

#include <cmath>

#include "core/Config.hpp"
#include "runtime/ModelLoading.hpp"
#include "support/TestData.hpp"
#include "training/EegCorpus.hpp"
#include "training/RecordingRuns.hpp"

namespace streamdx {
namespace {

TEST(NativeEngine, MatchesTorchScriptOnEveryEpochOfTheBonnTestSplit) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  Config native_config;
  native_config.set_string("decoder.engine", "native");
  native_config.set_string("decoder.device", "cpu");
  native_config.set_string("decoder.model", STREAMDX_SOURCE_DIR "/models/seizure-lstm.pt");
  Config script_config = native_config;
  script_config.set_string("decoder.engine", "torchscript");
  const auto native = load_seizure_model(native_config);
  const auto scripted = load_seizure_model(script_config);
  ASSERT_EQ(native->engine(), "native");
  ASSERT_EQ(scripted->engine(), "torchscript");

  double worst = 0;
  std::size_t epochs = 0;
  std::size_t seizure_epochs = 0;
  for (const LabelledRecording& r : bonn_segments(bonn, "ABCDE", 81, 100)) {
    const auto a = decode_recording(r, native_config, native);
    const auto b = decode_recording(r, script_config, scripted);
    ASSERT_EQ(a.size(), b.size()) << r.path;
    for (std::size_t e = 0; e < a.size(); ++e) {
      for (std::size_t c = 0; c < a[e].size(); ++c) {
        worst = std::max(worst, std::abs(double{a[e][c]} - b[e][c]));
        if (b[e][c] >= 0.5F) ++seizure_epochs;
      }
      ++epochs;
    }
  }
  EXPECT_EQ(epochs, 100U * 23U);    // 23 whole 1 s epochs in each 23.6 s segment
  EXPECT_GT(seizure_epochs, 100U);  // both classes are exercised
  EXPECT_LE(worst, 1e-5);
  std::printf("largest |P_native - P_torchscript| over %zu epochs: %.3g\n", epochs, worst);
}

TEST(NativeEngine, AnUnknownEngineOrNativeOnCudaIsRefusedByName) {
  STREAMDX_TORCH_OR_SKIP();
  Config config;
  config.set_string("decoder.model", STREAMDX_SOURCE_DIR "/models/seizure-lstm.pt");
  // Refused when the setting is made, before any model loads.
  try {
    config.set_string("decoder.engine", "tensorrt");
    FAIL() << "decoder.engine = tensorrt was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("'decoder.engine' = 'tensorrt'"), std::string::npos)
        << e.what();
  }
  config.set_string("decoder.engine", "native");
  config.set_string("decoder.device", "cuda");
  EXPECT_THROW((void)load_seizure_model(config), std::invalid_argument);
}

}  // namespace
}  // namespace streamdx

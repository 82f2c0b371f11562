#include <fmt/format.h>

#include <filesystem>

#include "apps/Commands.hpp"
#include "apps/FrameEndpoints.hpp"
#include "apps/PipelineRun.hpp"
#include "core/Json.hpp"
#include "io/NpyFrameSink.hpp"
#include "stages/eeg/LfccExtractor.hpp"

namespace streamdx {

namespace {

// The definition the features were computed with, for the sidecar (docs/FEATURES.md).
std::string lfcc_definition_json() {
  using namespace lfcc;
  return fmt::format(
      "{{\"document\": \"docs/FEATURES.md\", \"sample_rate_hz\": {}, \"frame_samples\": {}, "
      "\"window_samples\": {}, \"window_lead_samples\": {}, \"window\": \"hamming\", "
      "\"fft_size\": {}, \"filters\": {}, \"band_hz\": [{}, {}], \"energy_floor\": {}, "
      "\"dct\": \"II, orthonormal, c1..c{}, no liftering\", \"diff_energy_frames\": {}, "
      "\"delta_frames\": {}, \"delta_delta_frames\": {}}}",
      json::number(kSampleRateHz), kFrameSamples, kWindowSamples, kWindowLead, kFftSize, kFilters,
      json::number(kLowHz), json::number(kHighHz), json::number(kEnergyFloor), kCepstra,
      kDiffEnergyFrames, 2 * kDeltaReach + 1, 2 * kDeltaDeltaReach + 1);
}

std::unique_ptr<FrameSinkNode> open_feature_sink(const std::string& output, const Config& config,
                                                 const std::string& input,
                                                 const std::vector<std::string>& labels) {
  if (std::filesystem::path(output).extension() != ".npy") {
    return open_frame_sink(output, config, labels, labels.size());
  }
  NpyDescription d;
  d.kind = "lfcc";
  d.channel_labels = labels;
  d.value_names.assign(lfcc::kFeatureNames.begin(), lfcc::kFeatureNames.end());
  d.extra_json = {
      {"streamdx_version", json::quote(version_string())},
      {"source", json::quote(input)},
      {"montage_setting", json::quote(config.get_string("eeg.montage"))},
      {"delay_frames", fmt::format("{}", lfcc::kDelayFrames)},
      {"definition", lfcc_definition_json()},
  };
  return std::make_unique<SinkAdapter<NpyFrameSink>>(
      NpyFrameSink(output, NpyLayout::kFrames, std::move(d)));
}

}  // namespace

int run_features_command(const FeaturesCommand& cmd, Config& config) {
  apply_source_options(cmd.source, config);
  return run_pipeline(config, 3, [&](Pipeline& pipeline) {
    OpenedSource source = open_frame_source(cmd.source.from, config, cmd.source.realtime);
    const std::vector<std::string> labels = source.channel_labels;
    pipeline.source(std::move(source.node));
    pipeline.transform(LfccExtractor{});
    pipeline.sink(open_feature_sink(cmd.output, config, cmd.source.from, labels));
    return fmt::format("of LFCC features from {} to {}", cmd.source.from, cmd.output);
  });
}

}  // namespace streamdx

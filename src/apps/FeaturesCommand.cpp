#include <fmt/format.h>

#include <filesystem>

#include "apps/CommandLine.hpp"
#include "core/Json.hpp"
#include "core/Version.hpp"
#include "io/NpyFrameSink.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "runtime/PipelineRun.hpp"

namespace streamdx {

namespace {

// EEG in, LFCC features out: OUTPUT.npy (frames x channels x 26) with its JSON sidecar, or any
// frame sink (null, .sdxf, a ZeroMQ endpoint).
struct FeaturesCommand {
  SourceOptions source;
  std::string output;
};

}  // namespace

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
  return run_pipeline(
      config, 1 + eeg_chain_nodes(ChainEnd::kFeatures) + 1, [&](Pipeline& pipeline) {
        OpenedSource source = open_frame_source(cmd.source.from, config, cmd.source.realtime);
        const std::vector<std::string> labels = source.channel_labels;
        pipeline.source(std::move(source.node));
        add_eeg_chain(pipeline, ChainEnd::kFeatures);
        pipeline.sink(open_feature_sink(cmd.output, config, cmd.source.from, labels));
        return fmt::format("of LFCC features from {} to {}", cmd.source.from, cmd.output);
      });
}

namespace {

class FeaturesCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("INPUT", o_.source.from, cli::kSourceHelp)->required();
    cmd.add_option("-o,--output", o_.output,
                   "FILE.npy | null | FILE.sdxf | ZeroMQ endpoint (binds unless '>')")
        ->required();
    cli::add_source_options(cmd, o_.source);
    config_.add_to(cmd);
  }
  int run() override {
    Config config = config_.load();
    return run_features_command(o_, config);
  }

 private:
  FeaturesCommand o_;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<FeaturesCli> kRegistered{
    {"features",
     "Compute the 26 LFCC features per channel every 0.1 s (docs/FEATURES.md) and save them as "
     "OUT.npy (frames x channels x 26) with a JSON sidecar (OUT.json)",
     40}};

}  // namespace

}  // namespace streamdx

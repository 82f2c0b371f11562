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
json::Json lfcc_definition_json() {
  using namespace lfcc;
  return {{"document", "docs/FEATURES.md"},
          {"sample_rate_hz", kSampleRateHz},
          {"frame_samples", kFrameSamples},
          {"window_samples", kWindowSamples},
          {"window_lead_samples", kWindowLead},
          {"window", "hamming"},
          {"fft_size", kFftSize},
          {"filters", kFilters},
          {"band_hz", {kLowHz, kHighHz}},
          {"energy_floor", kEnergyFloor},
          {"dct", fmt::format("II, orthonormal, c1..c{}, no liftering", kCepstra)},
          {"diff_energy_frames", kDiffEnergyFrames},
          {"delta_frames", 2 * kDeltaReach + 1},
          {"delta_delta_frames", 2 * kDeltaDeltaReach + 1}};
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
  d.extra = {
      {"streamdx_version", version_string()},
      {"source", input},
      {"montage_setting", config.get_string("eeg.montage")},
      {"delay_frames", lfcc::kDelayFrames},
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

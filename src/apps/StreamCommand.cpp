#include <fmt/format.h>

#include "apps/CommandLine.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "runtime/PipelineRun.hpp"

namespace streamdx {

namespace {

struct StreamCommand {
  SourceOptions source;
  std::string to;
  bool preprocess = false;
};

}  // namespace

int run_stream_command(const StreamCommand& cmd, Config& config) {
  apply_source_options(cmd.source, config);
  // Files, as opposed to null or a ZeroMQ endpoint (which open_frame_sink tells apart).
  const bool to_file = cmd.to != "null" && cmd.to.find("://") == std::string::npos;
  refuse_endless_simulation_into_files(cmd.source, config, to_file);
  return run_pipeline(config, 2, [&](Pipeline& pipeline) {
    OpenedSource source =
        open_frame_source(cmd.source.from, config, cmd.source.realtime, cmd.preprocess);
    const std::vector<std::string> labels = source.channel_labels;
    auto sink = open_frame_sink(cmd.to, config, labels, labels.size(), &source);
    pipeline.source(std::move(source.node));
    pipeline.sink(std::move(sink));
    return fmt::format("from {} to {}", cmd.source.from, cmd.to);
  });
}

namespace {

class StreamCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("--from", o_.source.from, cli::kSourceHelp)->capture_default_str();
    cmd.add_option("--to", o_.to,
                   "null | FILE.edf | FILE.npy | FILE.sdxf | ZeroMQ endpoint (binds unless '>')")
        ->required();
    cmd.add_flag("--preprocess", o_.preprocess,
                 "Treat a ZeroMQ input as raw acquisition: montage, 250 Hz, 0.1 s frames");
    cli::add_source_options(cmd, o_.source);
    config_.add_to(cmd);
  }
  int run() override {
    Config config = config_.load();
    return run_stream_command(o_, config);
  }

 private:
  StreamCommand o_;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<StreamCli> kRegistered{
    {"stream",
     "Move frames from a source to a sink through the streaming core (one side of a "
     "multi-process pipeline, or a capture/replay tool)",
     30}};

}  // namespace

}  // namespace streamdx

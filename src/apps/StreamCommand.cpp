#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "apps/Commands.hpp"
#include "apps/FrameEndpoints.hpp"
#include "core/Pipeline.hpp"
#include "core/SignalStop.hpp"

namespace streamdx {

int run_stream_command(const StreamCommand& cmd, Config& config) {
  if (cmd.seed) config.set_int("simulate.seed", *cmd.seed);
  if (cmd.duration_s) config.set_double("simulate.duration_s", *cmd.duration_s);
  if (cmd.threads) config.set_string("pipeline.threads", *cmd.threads);
  if (cmd.montage) config.set_string("eeg.montage", *cmd.montage);
  if (cmd.input_rate_hz) config.set_double("eeg.input_rate_hz", *cmd.input_rate_hz);

  Pipeline pipeline(pipeline_options(config, 2));
  // Signals are caught from here on, before any pipeline thread exists.
  SignalStop signals([&pipeline](int sig) {
    spdlog::info("{} received: stopping after the frames already taken",
                 sig == SIGINT ? "SIGINT" : "SIGTERM");
    pipeline.request_stop();
  });
  OpenedSource source = open_frame_source(cmd.from, config, cmd.realtime, cmd.preprocess);
  const std::vector<std::string> labels = source.channel_labels;
  pipeline.source(std::move(source.node));
  pipeline.sink(open_frame_sink(cmd.to, config, labels, labels.size()));

  const PipelineResult r = pipeline.run();
  for (const EdgeStats& e : r.edges) {
    spdlog::info("ring {} -> {}: {} pushed, {} dropped, longest wait {:.3f} ms", e.from, e.to,
                 e.pushed, e.dropped, static_cast<double>(e.max_age_ns) * 1e-6);
  }
  if (!r.ok) {
    spdlog::error("stage '{}': {}", r.failed_node, r.error);
    return 1;
  }
  spdlog::info("{} frames from {} to {}{}", r.frames_to_sink, cmd.from, cmd.to,
               r.stop_requested ? " (stopped by signal)" : "");
  return 0;
}

}  // namespace streamdx

#include <fmt/format.h>

#include "apps/Commands.hpp"
#include "apps/FrameEndpoints.hpp"
#include "apps/PipelineRun.hpp"

namespace streamdx {

int run_stream_command(const StreamCommand& cmd, Config& config) {
  apply_source_options(cmd.source, config);
  return run_pipeline(config, 2, [&](Pipeline& pipeline) {
    OpenedSource source =
        open_frame_source(cmd.source.from, config, cmd.source.realtime, cmd.preprocess);
    const std::vector<std::string> labels = source.channel_labels;
    pipeline.source(std::move(source.node));
    pipeline.sink(open_frame_sink(cmd.to, config, labels, labels.size()));
    return fmt::format("from {} to {}", cmd.source.from, cmd.to);
  });
}

}  // namespace streamdx

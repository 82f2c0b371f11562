#include "runtime/PipelineRun.hpp"

#include <spdlog/spdlog.h>

#include "core/SignalStop.hpp"
#include "runtime/FrameEndpoints.hpp"

namespace streamdx {

int run_pipeline(const Config& config, std::size_t nodes,
                 const std::function<std::string(Pipeline&)>& build, PipelineResult* result) {
  Pipeline pipeline(pipeline_options(config, nodes));
  SignalStop signals([&pipeline](int sig) {
    spdlog::info("{} received: stopping after the frames already taken",
                 sig == SIGINT ? "SIGINT" : "SIGTERM");
    pipeline.request_stop();
  });
  const std::string what = build(pipeline);

  const PipelineResult r = pipeline.run();
  if (result != nullptr) *result = r;
  for (const EdgeStats& e : r.edges) {
    spdlog::info("ring {} -> {}: {} pushed, {} dropped, longest wait {:.3f} ms", e.from, e.to,
                 e.pushed, e.dropped, static_cast<double>(e.max_age_ns) * 1e-6);
  }
  if (!r.ok) {
    spdlog::error("stage '{}': {}", r.failed_node, r.error);
    return 1;
  }
  spdlog::info("{} frames {}{}", r.frames_to_sink, what,
               r.stop_requested ? " (stopped by signal)" : "");
  return 0;
}

}  // namespace streamdx

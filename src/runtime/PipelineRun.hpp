#pragma once
// The part every streaming command shares: SIGINT/SIGTERM wired to a clean stop before any
// pipeline thread (or ZeroMQ thread) exists, the run, the ring statistics and the outcome.
#include <functional>
#include <string>

#include "core/Config.hpp"
#include "core/Pipeline.hpp"

namespace streamdx {

// `build` adds the nodes and returns what the run does, for the log ("from X to Y"). `nodes` is
// how many it adds (for the [pipeline] threading options). Returns the exit code: 0, or 1 when
// a stage failed (its error is logged, naming it).
// `result`, when given, receives the runner's result (counts, ring statistics).
int run_pipeline(const Config& config, std::size_t nodes,
                 const std::function<std::string(Pipeline&)>& build,
                 PipelineResult* result = nullptr);

}  // namespace streamdx

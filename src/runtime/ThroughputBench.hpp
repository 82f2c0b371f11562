#pragma once
// One stream through the EEG chain as fast as possible (`streamdx bench`, throughput mode): the
// same Pipeline and chain as `run`, with a sink that keeps only the figures.
#include <cstdint>
#include <memory>
#include <string>

#include "core/Config.hpp"
#include "core/Pipeline.hpp"
#include "runtime/StageLatencies.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx {

struct ThroughputBenchResult {
  int exit_code = 0;  // run_pipeline's: 1 when a stage failed (logged)
  PipelineResult pipeline;
  double wall_s = 0;  // the run alone: the model was loaded before the clock started
  double cpu_s = 0;
  std::size_t channels = 0;
  std::size_t decisions = 0;
  double first_decision_s = 0;  // recording time of the first decided epoch's start
  std::uint64_t drops = 0;
  StageLatencies latencies;  // between the frames' stage stamps

  [[nodiscard]] double stream_s() const {
    return static_cast<double>(pipeline.frames_from_source) * 0.1;
  }
};

ThroughputBenchResult measure_throughput(const std::string& from, bool realtime,
                                         const Config& config,
                                         const std::shared_ptr<SeizureModel>& model);

}  // namespace streamdx

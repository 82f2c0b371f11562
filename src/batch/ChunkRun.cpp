#include "batch/ChunkRun.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/CallbackSink.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "runtime/PipelineRun.hpp"

namespace streamdx::batch {

namespace {

constexpr double kFramesPerSecond = 10;  // LFCC frames, where the encoder counts

std::int64_t nanoseconds(double s) {
  return std::llround(s * 1e9);
}

}  // namespace

PlannedTask from_recording_start(const PlannedTask& task) {
  PlannedTask t = task;
  t.first_record = 0;
  t.read_from_s = 0;
  t.checkpoint_start_s = -1;
  return t;
}

TaskResult run_chunk(const BatchPlan& plan, const PlannedTask& task, const Config& config,
                     const std::shared_ptr<SeizureModel>& model) {
  const auto started = std::chrono::steady_clock::now();
  const PlannedRecording& rec = plan.recordings.at(task.recording);
  TaskResult r;
  r.task = task.index;
  if (!rec.error.empty()) {
    r.failed = true;
    r.error = rec.error;
    return r;
  }
  EegSourceSettings settings = eeg_source_settings(config);
  settings.first_record = task.first_record;
  settings.end_record = task.end_record;
  auto checkpoints = std::make_shared<StateCheckpoints>();
  for (double at : {task.checkpoint_start_s, task.checkpoint_end_s}) {
    if (at < 0) continue;
    checkpoints->at_frames.push_back(
        static_cast<std::uint64_t>(std::llround((at - task.read_from_s) * kFramesPerSecond)));
  }
  const std::int64_t from_ns = nanoseconds(task.start_s);
  const std::int64_t to_ns =
      task.last() ? std::numeric_limits<std::int64_t>::max() : nanoseconds(task.stop_s);
  PipelineResult result;
  try {
    run_pipeline(
        config, 2 + eeg_chain_nodes(ChainEnd::kDecisions),
        [&](Pipeline& pipeline) {
          pipeline.source(open_edf_source(rec.path, settings).node);
          add_eeg_chain(pipeline, ChainEnd::kDecisions,
                        {model, postprocess_settings(config), nullptr, checkpoints});
          pipeline.sink(CallbackSink([&](const Frame& f) {
            if (f.first_sample_ns < from_ns || f.first_sample_ns >= to_ns) return;
            StoredDecision d;
            d.first_sample_ns = f.first_sample_ns;
            std::copy_n(f.samples.begin(), kDecisionFields, d.values.begin());
            r.decisions.push_back(d);
          }));
          return fmt::format("of task {} ({} s to {} s of {})", task.index, task.start_s,
                             task.stop_s, rec.path.string());
        },
        &result);
  } catch (const std::exception& e) {  // the recording could not be opened
    r.failed = true;
    r.error = e.what();
    r.decisions.clear();
    return r;
  }
  if (result.stop_requested) {
    throw std::runtime_error(fmt::format("task {}: stopped before the end", task.index));
  }
  if (!result.ok) {
    r.failed = true;
    r.error =
        fmt::format("{}: stage '{}': {}", rec.path.string(), result.failed_node, result.error);
    r.decisions.clear();
    return r;
  }
  checkpoints->digests.resize(checkpoints->at_frames.size());
  std::size_t next = 0;
  if (task.checkpoint_start_s >= 0) r.digest_at_start = checkpoints->digests[next++];
  if (task.checkpoint_end_s >= 0) r.digest_at_end = checkpoints->digests[next];
  // Every epoch the task owns, on the whole-second grid, and nothing else.
  const auto expected = static_cast<std::size_t>(std::llround(task.stop_s - task.start_s));
  const bool grid_ok = r.decisions.empty() || r.decisions.front().first_sample_ns == from_ns;
  if (!grid_ok || (!task.last() && r.decisions.size() != expected)) {
    throw std::logic_error(fmt::format(
        "task {}: {} epochs from {} s where {} from {} s were due (a chunk off the epoch grid)",
        task.index, r.decisions.size(),
        r.decisions.empty() ? 0.0 : static_cast<double>(r.decisions.front().first_sample_ns) / 1e9,
        expected, task.start_s));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace streamdx::batch

#pragma once
// ChunkRun: one batch task. The same stage chain and runner as `streamdx run` (EegChain.hpp,
// run_pipeline), over the task's records of one recording, keeping the epoch decisions the task
// owns and the background-state digests at its checkpoints (BatchPlan.hpp).
#include <memory>

#include "batch/BatchPlan.hpp"
#include "batch/TaskRecord.hpp"
#include "core/Config.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx::batch {

// Throws only for what is not the recording's fault (a stop requested, a chunk that came out
// the wrong length); an unreadable or invalid recording gives a failed result with the reason.
TaskResult run_chunk(const BatchPlan& plan, const PlannedTask& task, const Config& config,
                     const std::shared_ptr<SeizureModel>& model);

// The same task read from the recording's start: exact by construction, for a chunk whose
// warm-up proved too short (the merge's fallback).
PlannedTask from_recording_start(const PlannedTask& task);

}  // namespace streamdx::batch

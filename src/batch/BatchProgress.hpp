#pragma once
// BatchProgress: where a plan's tasks stand, from their files alone (TaskRecord.hpp), so that
// `batch status` works from any machine that sees the output folder, with or without Slurm.
#include <cstddef>
#include <string>
#include <vector>

#include "batch/BatchPlan.hpp"
#include "core/Json.hpp"

namespace streamdx::batch {

struct BatchProgress {
  std::size_t tasks = 0;
  std::size_t done = 0;
  std::size_t failed = 0;  // finished with the recording's reason (unreadable input)
  std::size_t running = 0;
  std::size_t stale = 0;         // started on this host by a process that is gone (killed)
  std::size_t corrupt = 0;       // a result that does not match its manifest
  double task_seconds_mean = 0;  // over finished tasks
  double eta_s = -1;             // -1: unknown (nothing finished or nothing running)
  // Tasks to (re)submit: never started, killed (stale) or corrupt. Running ones are not.
  std::vector<std::size_t> to_submit;
  std::vector<std::string> failures;  // "task N: reason"
};

BatchProgress batch_progress(const BatchPlan& plan);
std::string progress_text(const BatchProgress& p);
json::Json progress_json(const BatchProgress& p);
// Task indices as ranges for sbatch --array: "0-3,7,9-12".
std::string index_ranges(const std::vector<std::size_t>& indices);

}  // namespace streamdx::batch

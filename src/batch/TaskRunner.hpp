#pragma once
// TaskRunner: how tasks get run. One task in this process (`batch run PLAN --task I`, what each
// Slurm array task or Kubernetes pod calls), or every unfinished task of a plan in N local
// processes (`batch run PLAN --jobs N`), each of them that same command, with a progress bar.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "batch/BatchPlan.hpp"

namespace streamdx::batch {

// Runs each of `indices` in turn unless it has finished already (then it is skipped at once),
// loading the model once for all of them: on a scheduler, several tasks per process share its
// start-up and the scheduler's latency (docs/SCALING.md). Returns 0 when all finished (done, or
// failed because the recording is unreadable: an outcome, recorded in the manifest); throws when
// one could not finish (stopped, or a fault not the recording's).
int run_tasks(const BatchPlan& plan, std::span<const std::size_t> indices);

// "0-3,7,9-11" as indices; throws std::invalid_argument on anything else.
std::vector<std::size_t> parse_index_ranges(std::string_view text);

// Runs every task not finished in up to `jobs` child processes of this executable, each taking
// `tasks_per_process` of them; their logs go to OUT/.batch/logs/task-NNNNNN.log (NNNNNN: the
// process's first task). Returns 0 when every task has finished.
int run_local_jobs(const std::filesystem::path& plan_path, const BatchPlan& plan, std::size_t jobs,
                   std::size_t tasks_per_process = 1);

}  // namespace streamdx::batch

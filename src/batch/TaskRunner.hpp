#pragma once
// TaskRunner: how tasks get run. One task in this process (`batch run PLAN --task I`, what each
// Slurm array task or Kubernetes pod calls), or every unfinished task of a plan in N local
// processes (`batch run PLAN --jobs N`), each of them that same command, with a progress bar.
#include <cstddef>
#include <filesystem>

#include "batch/BatchPlan.hpp"

namespace streamdx::batch {

// Runs task `index` unless it has finished already (then returns at once). Returns 0 when it
// finished (done, or failed because its recording is unreadable: an outcome, recorded in the
// manifest); throws when it could not finish (stopped, or a fault not the recording's).
int run_task(const BatchPlan& plan, std::size_t index);

// Runs every task not finished in up to `jobs` child processes of this executable; their logs go
// to OUT/.batch/logs/task-NNNNNN.log. Returns 0 when every task has finished.
int run_local_jobs(const std::filesystem::path& plan_path, const BatchPlan& plan, std::size_t jobs);

}  // namespace streamdx::batch

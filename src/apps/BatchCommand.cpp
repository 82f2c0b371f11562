// `streamdx batch plan|run|merge|status`: a corpus cut into chunk tasks for Slurm array jobs,
// Kubernetes Indexed Jobs or local processes (src/batch, docs/SCALING.md). Options only here.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "apps/CommandLine.hpp"
#include "batch/BatchMerge.hpp"
#include "batch/BatchPlan.hpp"
#include "batch/BatchProgress.hpp"
#include "batch/TaskRunner.hpp"
#include "core/Json.hpp"

namespace streamdx {

namespace {

constexpr std::string_view kBatchGroup = "batch";

const cli::GroupRegistration kGroup{
    {kBatchGroup,
     "A whole corpus beyond one machine: plan chunk tasks, run them (Slurm array, Kubernetes "
     "Indexed Job, or local processes), merge into the outputs of unchunked runs, and score",
     45}};

class PlanCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("CORPUS_DIR", corpus_, "a folder of .edf/.bdf recordings, in any layout")
        ->required();
    cmd.add_option("-o,--plan", plan_, "the plan file to write")->required();
    cmd.add_option("--out", out_, "where the outputs go, a folder per recording")->required();
    cmd.add_option("--chunk-minutes", chunk_minutes_,
                   "cut recordings into chunks of this length (0: one task per recording)")
        ->capture_default_str();
    cmd.add_option("--overlap", options_.overlap_s,
                   "seconds of signal each chunk warms up on (at least 60)")
        ->capture_default_str();
    config_.add_to(cmd);
  }
  int run() override {
    options_.chunk_s = chunk_minutes_ * 60;
    const batch::BatchPlan plan = batch::make_batch_plan(corpus_, out_, options_, config_.load());
    batch::write_batch_plan(plan, plan_);
    std::size_t failed = 0;
    for (const auto& r : plan.recordings) failed += r.error.empty() ? 0U : 1U;
    spdlog::info("{}: {} recordings, {} tasks{}", plan_, plan.recordings.size(), plan.tasks.size(),
                 failed > 0
                     ? fmt::format(" ({} recordings unreadable: their tasks will fail)", failed)
                     : "");
    return 0;
  }

 private:
  std::string corpus_;
  std::string plan_;
  std::string out_;
  double chunk_minutes_ = 0;
  batch::BatchOptions options_;
  cli::ConfigOptions config_;
};

// A Kubernetes Indexed Job passes the index in JOB_COMPLETION_INDEX, Slurm in
// SLURM_ARRAY_TASK_ID: `--task` may name the variable instead of a number.
std::size_t task_index(const std::string& spec) {
  std::string value = spec;
  if (spec == "JOB_COMPLETION_INDEX" || spec == "SLURM_ARRAY_TASK_ID") {
    const char* v = std::getenv(spec.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (v == nullptr) throw std::invalid_argument(fmt::format("--task {}: not set", spec));
    value = v;
  }
  std::size_t used = 0;
  const unsigned long long n = std::stoull(value, &used);
  if (used != value.size())
    throw std::invalid_argument(fmt::format("--task {}: not a number", spec));
  return static_cast<std::size_t>(n);
}

class RunBatchCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("PLAN", plan_, "the plan (batch plan -o)")->required();
    auto* task = cmd.add_option(
        "--task", task_,
        "run this task (a number, or JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID to read it)");
    auto* tasks = cmd.add_option("--tasks", tasks_, "run these tasks in turn, e.g. 0-3,7");
    auto* jobs = cmd.add_option("--jobs", jobs_, "run every unfinished task in N local processes");
    task->excludes(jobs)->excludes(tasks);
    tasks->excludes(jobs);
    cmd.add_option("--tasks-per-job", per_job_,
                   "with --task I: run tasks I*K .. I*K+K-1 in this process (one start-up, one "
                   "scheduler slot for K); with --jobs: K tasks per process")
        ->capture_default_str();
    cmd.add_option("--task-offset", offset_, "added to --task (Slurm arrays hold 1,000 at most)")
        ->capture_default_str();
  }
  int run() override {
    const batch::BatchPlan plan = batch::read_batch_plan(plan_);
    if (jobs_) return batch::run_local_jobs(plan_, plan, *jobs_, per_job_);
    if (!tasks_.empty()) return batch::run_tasks(plan, batch::parse_index_ranges(tasks_));
    if (task_.empty())
      throw std::invalid_argument("batch run: give --task I, --tasks LIST or --jobs N");
    if (per_job_ == 0) throw std::invalid_argument("--tasks-per-job must be at least 1");
    // Task group (I + offset): its tasks that exist (the last group may be short).
    const std::size_t group = task_index(task_) + offset_;
    std::vector<std::size_t> indices;
    for (std::size_t k = 0; k < per_job_; ++k) {
      const std::size_t t = group * per_job_ + k;
      if (t < plan.tasks.size() || k == 0) indices.push_back(t);
    }
    return batch::run_tasks(plan, indices);
  }

 private:
  std::string plan_;
  std::string task_;
  std::string tasks_;
  std::optional<std::size_t> jobs_;
  std::size_t per_job_ = 1;
  std::size_t offset_ = 0;
};

class MergeCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("PLAN", plan_, "the plan (batch plan -o)")->required();
  }
  int run() override {
    const batch::BatchPlan plan = batch::read_batch_plan(plan_);
    const batch::MergeSummary s = batch::merge_batch(plan);
    spdlog::info(
        "{} recordings merged, {} failed, {} scored, {} chunks re-run from their recording's "
        "start; report: {}",
        s.merged, s.failed, s.scored, s.reruns, (plan.out / "report.txt").string());
    return 0;
  }

 private:
  std::string plan_;
};

class StatusCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("PLAN", plan_, "the plan (batch plan -o)")->required();
    cmd.add_flag("--json", json_, "as JSON");
    cmd.add_flag("--to-submit", to_submit_,
                 "print only the tasks to (re)submit, as sbatch --array ranges");
  }
  int run() override {
    const batch::BatchProgress p = batch::batch_progress(batch::read_batch_plan(plan_));
    if (to_submit_) {
      std::printf("%s\n", batch::index_ranges(p.to_submit).c_str());
    } else {
      std::fputs(
          json_ ? json::text(batch::progress_json(p)).c_str() : batch::progress_text(p).c_str(),
          stdout);
    }
    return 0;
  }

 private:
  std::string plan_;
  bool json_ = false;
  bool to_submit_ = false;
};

const cli::CommandRegistration<PlanCli> kPlan{
    {"plan", "List a corpus's recordings and cut them into chunk tasks: PLAN.json", 10,
     kBatchGroup}};
const cli::CommandRegistration<RunBatchCli> kRun{
    {"run", "Run one task of a plan (--task I), or all unfinished ones locally (--jobs N)", 20,
     kBatchGroup}};
const cli::CommandRegistration<MergeCli> kMerge{
    {"merge",
     "Stitch the tasks into each recording's HYP, TSE and csv_bi (as one run would write them) "
     "and score the corpus: report.txt, report.json, events.csv",
     30, kBatchGroup}};
const cli::CommandRegistration<StatusCli> kStatus{
    {"status", "Tasks done, failed, running and not started, and an ETA", 40, kBatchGroup}};

}  // namespace

}  // namespace streamdx

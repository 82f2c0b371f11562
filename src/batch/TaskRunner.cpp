#include "batch/TaskRunner.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <stdexcept>
#include <system_error>

#include "batch/BatchProgress.hpp"
#include "batch/ChunkRun.hpp"
#include "batch/TaskRecord.hpp"
#include "core/ExecArgs.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/ProgressBar.hpp"

extern char** environ;  // NOLINT

namespace streamdx::batch {

int run_task(const BatchPlan& plan, std::size_t index) {
  if (index >= plan.tasks.size()) {
    throw std::invalid_argument(
        fmt::format("--task {}: the plan has tasks 0 to {}", index, plan.tasks.size() - 1));
  }
  const PlannedTask& task = plan.tasks[index];
  const TaskFiles files(plan, index);
  const TaskStatus before = files.status();
  if (before.state == TaskState::kDone || before.state == TaskState::kFailed) {
    spdlog::info("task {}: finished already ({}), nothing to do", index,
                 before.state == TaskState::kDone ? "done" : "failed");
    return 0;
  }
  if (before.state == TaskState::kCorrupt) {
    spdlog::warn("task {}: {}; running it again", index, before.detail);
    files.clear();
  }
  files.mark_running();
  try {
    const Config config = plan.config();
    std::shared_ptr<SeizureModel> model;
    if (plan.recordings[task.recording].error.empty()) {
      model = load_seizure_model(config,
                                 resolve_model_path(config.get_string("decoder.model")).string());
    }
    const TaskResult result = run_chunk(plan, task, config, model);
    files.write(result);
    if (result.failed) {
      spdlog::error("task {}: {} (recorded as failed: the merge reports it)", index, result.error);
    } else {
      spdlog::info("task {}: {} epochs of {} in {:.1f} s", index, result.decisions.size(),
                   plan.recordings[task.recording].name, result.seconds);
    }
    return 0;
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(files.running(), ignored);
    throw;
  }
}

namespace {

pid_t spawn_task(const std::filesystem::path& plan_path, std::size_t index,
                 const std::filesystem::path& log) {
  std::vector<std::string> args = {"streamdx",         "batch",  "run",
                                   plan_path.string(), "--task", std::to_string(index)};
  std::vector<char*> argv = exec_argv(args);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error(
        fmt::format("cannot start task {}: {}", index, std::system_category().message(rc)));
  }
  return pid;
}

}  // namespace

int run_local_jobs(const std::filesystem::path& plan_path, const BatchPlan& plan,
                   std::size_t jobs) {
  if (jobs == 0) throw std::invalid_argument("--jobs must be at least 1");
  const std::vector<std::size_t> todo = batch_progress(plan).to_submit;
  const std::filesystem::path logs = plan.out / ".batch" / "logs";
  std::filesystem::create_directories(logs);
  ProgressBar bar;
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0;
  std::size_t finished = plan.tasks.size() - todo.size();
  std::vector<std::size_t> crashed;
  while (next < todo.size() || !running.empty()) {
    while (next < todo.size() && running.size() < jobs) {
      const std::size_t t = todo[next++];
      running[spawn_task(plan_path, t, logs / fmt::format("task-{:06}.log", t))] = t;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "waitpid");
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) crashed.push_back(it->second);
    running.erase(it);
    ++finished;
    bar.update(static_cast<double>(finished) / static_cast<double>(plan.tasks.size()),
               fmt::format("tasks {}/{}", finished, plan.tasks.size()),
               fmt::format("({} running)", running.size()), true);
  }
  bar.finish();
  if (!crashed.empty()) {
    spdlog::error("{} tasks did not finish (their logs: {}/task-N.log): {}", crashed.size(),
                  logs.string(), index_ranges(crashed));
    return 1;
  }
  return 0;
}

}  // namespace streamdx::batch

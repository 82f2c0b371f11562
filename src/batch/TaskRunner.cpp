#include "batch/TaskRunner.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <stdexcept>
#include <system_error>

#include "batch/BatchProgress.hpp"
#include "batch/ChunkRun.hpp"
#include "batch/TaskRecord.hpp"
#include "core/SpawnSelf.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/ProgressBar.hpp"

namespace streamdx::batch {

namespace {

// One task, with the model this process loaded for its tasks (`model` loads it on first use).
void run_one(const BatchPlan& plan, std::size_t index, const Config& config,
             std::shared_ptr<SeizureModel>& model) {
  if (index >= plan.tasks.size()) {
    throw std::invalid_argument(
        fmt::format("task {}: the plan has tasks 0 to {}", index, plan.tasks.size() - 1));
  }
  const PlannedTask& task = plan.tasks[index];
  const TaskFiles files(plan, index);
  const TaskStatus before = files.status();
  if (before.state == TaskState::kDone || before.state == TaskState::kFailed) {
    spdlog::info("task {}: finished already ({}), nothing to do", index,
                 before.state == TaskState::kDone ? "done" : "failed");
    return;
  }
  if (before.state == TaskState::kCorrupt) {
    spdlog::warn("task {}: {}; running it again", index, before.detail);
    files.clear();
  }
  files.mark_running();
  try {
    if (!model && plan.recordings[task.recording].error.empty()) {
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
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(files.running(), ignored);
    throw;
  }
}

}  // namespace

int run_tasks(const BatchPlan& plan, std::span<const std::size_t> indices) {
  const Config config = plan.config();
  std::shared_ptr<SeizureModel> model;
  for (std::size_t index : indices) run_one(plan, index, config, model);
  return 0;
}

std::vector<std::size_t> parse_index_ranges(std::string_view text) {
  std::vector<std::size_t> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string_view part = text.substr(at, comma - at);
    const std::size_t dash = part.find('-');
    auto number = [&](std::string_view digits) {
      std::size_t v = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
        throw std::invalid_argument(
            fmt::format("'{}': task lists are numbers and ranges, e.g. 0-3,7", text));
      }
      return v;
    };
    const std::size_t first = number(part.substr(0, dash));
    const std::size_t last = dash == std::string_view::npos ? first : number(part.substr(dash + 1));
    if (last < first || last - first > 10'000'000) {
      throw std::invalid_argument(
          fmt::format("'{}': the range {} is backwards or huge", text, part));
    }
    for (std::size_t i = first; i <= last; ++i) out.push_back(i);
    at = comma + 1;
  }
  return out;
}

namespace {

pid_t spawn_tasks(const std::filesystem::path& plan_path, const std::vector<std::size_t>& tasks,
                  const std::filesystem::path& log) {
  return spawn_self(
      {"streamdx", "batch", "run", plan_path.string(), "--tasks", index_ranges(tasks)}, log,
      fmt::format("tasks {}", index_ranges(tasks)));
}

}  // namespace

int run_local_jobs(const std::filesystem::path& plan_path, const BatchPlan& plan, std::size_t jobs,
                   std::size_t tasks_per_process) {
  if (jobs == 0 || tasks_per_process == 0) {
    throw std::invalid_argument("--jobs and --tasks-per-job must be at least 1");
  }
  const std::vector<std::size_t> todo = batch_progress(plan).to_submit;
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < todo.size(); i += tasks_per_process) {
    groups.emplace_back(
        todo.begin() + static_cast<std::ptrdiff_t>(i),
        todo.begin() + static_cast<std::ptrdiff_t>(std::min(i + tasks_per_process, todo.size())));
  }
  const std::filesystem::path logs = plan.out / ".batch" / "logs";
  std::filesystem::create_directories(logs);
  ProgressBar bar;
  std::map<pid_t, std::size_t> running;  // pid -> group
  std::size_t next = 0;
  std::size_t finished = plan.tasks.size() - todo.size();
  std::vector<std::size_t> crashed;
  while (next < groups.size() || !running.empty()) {
    while (next < groups.size() && running.size() < jobs) {
      const std::vector<std::size_t>& g = groups[next];
      running[spawn_tasks(plan_path, g, logs / fmt::format("task-{:06}.log", g.front()))] = next;
      ++next;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "waitpid");
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const std::vector<std::size_t>& g = groups[it->second];
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      crashed.insert(crashed.end(), g.begin(), g.end());
    running.erase(it);
    finished += g.size();
    bar.update(static_cast<double>(finished) / static_cast<double>(plan.tasks.size()),
               fmt::format("tasks {}/{}", finished, plan.tasks.size()),
               fmt::format("({} processes running)", running.size()), true);
  }
  bar.finish();
  if (!crashed.empty()) {
    spdlog::error(
        "tasks {} did not finish (their logs: {}/task-N.log, N the first of each process)",
        index_ranges(crashed), logs.string());
    return 1;
  }
  return 0;
}

}  // namespace streamdx::batch

#include "batch/BatchProgress.hpp"

#include <fmt/format.h>

#include <cmath>

#include "batch/TaskRecord.hpp"

namespace streamdx::batch {

BatchProgress batch_progress(const BatchPlan& plan) {
  BatchProgress p;
  p.tasks = plan.tasks.size();
  double seconds = 0;
  for (const PlannedTask& t : plan.tasks) {
    const TaskStatus s = TaskFiles(plan, t.index).status();
    switch (s.state) {
      case TaskState::kDone: ++p.done; break;
      case TaskState::kFailed:
        ++p.failed;
        p.failures.push_back(fmt::format("task {}: {}", t.index, s.detail));
        break;
      case TaskState::kRunning: ++p.running; break;
      case TaskState::kStale: ++p.stale; break;
      case TaskState::kCorrupt: ++p.corrupt; break;
      case TaskState::kMissing: break;
    }
    if (s.state == TaskState::kDone || s.state == TaskState::kFailed) seconds += s.seconds;
    if (s.state == TaskState::kMissing || s.state == TaskState::kStale ||
        s.state == TaskState::kCorrupt) {
      p.to_submit.push_back(t.index);
    }
  }
  const std::size_t finished = p.done + p.failed;
  if (finished > 0) p.task_seconds_mean = seconds / static_cast<double>(finished);
  const std::size_t left = p.tasks - finished;
  if (left == 0) {
    p.eta_s = 0;
  } else if (finished > 0 && p.running > 0) {
    // The tasks left, at the mean task time, over as many slots as are busy now.
    p.eta_s = static_cast<double>(left) * p.task_seconds_mean / static_cast<double>(p.running);
  }
  return p;
}

std::string progress_text(const BatchProgress& p) {
  std::string eta = "unknown";
  if (p.eta_s >= 0) {
    const long s = std::lround(p.eta_s);
    eta = fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  }
  std::string text = fmt::format(
      "{} tasks: {} done, {} failed, {} running, {} not started{}{}; mean task {:.1f} s; ETA {}\n",
      p.tasks, p.done, p.failed, p.running, p.to_submit.size() - p.stale - p.corrupt,
      p.stale > 0 ? fmt::format(", {} killed", p.stale) : "",
      p.corrupt > 0 ? fmt::format(", {} corrupt", p.corrupt) : "", p.task_seconds_mean, eta);
  for (const std::string& f : p.failures) text += "  " + f + "\n";
  return text;
}

json::Json progress_json(const BatchProgress& p) {
  return {{"tasks", p.tasks},
          {"done", p.done},
          {"failed", p.failed},
          {"running", p.running},
          {"killed", p.stale},
          {"corrupt", p.corrupt},
          {"not_started", p.to_submit.size() - p.stale - p.corrupt},
          {"mean_task_s", p.task_seconds_mean},
          {"eta_s", p.eta_s < 0 ? json::Json() : json::Json(p.eta_s)},
          {"to_submit", index_ranges(p.to_submit)},
          {"failures", p.failures}};
}

std::string index_ranges(const std::vector<std::size_t>& indices) {
  std::string out;
  for (std::size_t i = 0; i < indices.size();) {
    std::size_t j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += i == j ? fmt::format("{}", indices[i]) : fmt::format("{}-{}", indices[i], indices[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace streamdx::batch

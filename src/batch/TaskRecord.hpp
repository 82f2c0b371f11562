#pragma once
// TaskRecord: what one batch task leaves behind, and how anyone reads it back.
//
// Per task, in the plan's task folder (OUT/.batch/tasks), three files:
//   task-NNNNNN.result.json    the task's epoch decisions (every value as the postprocessor
//                              gave it) and its background-state digests; or, for a recording
//                              that cannot be read, the reason
//   task-NNNNNN.manifest.json  written last, atomically: the outcome ("done" or "failed"), the
//                              result file's SHA-256, when, where and how long
//   task-NNNNNN.running        while it runs: host, pid and start time (removed at the end; a
//                              killed task leaves it, and status tells a dead one from a live one)
// A task is finished when its manifest exists and the result file still has the manifest's
// checksum; `batch run` skips a finished task at once, so tasks are idempotent and resubmitting
// a whole array only redoes what is missing. "failed" is an outcome, not a crash: the recording
// is unreadable, and re-running would say the same. A crash or a kill leaves no manifest.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "batch/BatchPlan.hpp"
#include "stages/eeg/Postprocessor.hpp"

namespace streamdx::batch {

struct StoredDecision {
  std::int64_t first_sample_ns = 0;  // the epoch's start
  std::array<float, kDecisionFields> values{};
};

struct TaskResult {
  std::size_t task = 0;
  bool failed = false;
  std::string error;  // when failed: one line naming the file and what is wrong
  std::vector<StoredDecision> decisions;
  std::optional<std::uint64_t> digest_at_start;  // at checkpoint_start_s
  std::optional<std::uint64_t> digest_at_end;    // at checkpoint_end_s
  double seconds = 0;                            // wall-clock time the task took
};

enum class TaskState { kMissing, kRunning, kStale, kDone, kFailed, kCorrupt };

struct TaskStatus {
  TaskState state = TaskState::kMissing;
  double seconds = 0;  // done/failed: how long it took
  std::string detail;  // failed: the reason; running/stale: host and pid; corrupt: why
};

class TaskFiles {
 public:
  TaskFiles(const BatchPlan& plan, std::size_t task);

  [[nodiscard]] std::filesystem::path result() const { return base_ + ".result.json"; }
  [[nodiscard]] std::filesystem::path manifest() const { return base_ + ".manifest.json"; }
  [[nodiscard]] std::filesystem::path running() const { return base_ + ".running"; }

  [[nodiscard]] TaskStatus status() const;
  // The result, after checking it against the manifest; throws naming the file when it is not
  // finished or does not verify.
  [[nodiscard]] TaskResult read() const { return read(status()); }
  // The same, with the status the caller has just taken (a checksum is not computed twice).
  [[nodiscard]] TaskResult read(const TaskStatus& s) const;
  // Result, then manifest, each atomically; then the running marker goes.
  void write(const TaskResult& result) const;
  void mark_running() const;
  // Removes every file of the task (a result that failed to verify, before re-running it).
  void clear() const;

 private:
  std::size_t task_;
  std::string base_;
};

}  // namespace streamdx::batch

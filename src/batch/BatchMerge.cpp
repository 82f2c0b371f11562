#include "batch/BatchMerge.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <stdexcept>

#include "batch/ChunkRun.hpp"
#include "batch/TaskRecord.hpp"
#include "core/Json.hpp"
#include "core/Version.hpp"
#include "io/AtomicFile.hpp"
#include "io/SeizureAnnotations.hpp"
#include "runtime/EpochLog.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/RunOutputs.hpp"
#include "scoring/ScoreReport.hpp"

namespace streamdx::batch {

namespace {

// The model, loaded only when a chunk has to be re-run.
class LazyModel {
 public:
  LazyModel(const Config& config, std::filesystem::path path)
      : config_(config), path_(std::move(path)) {}
  const std::shared_ptr<SeizureModel>& get() {
    if (!model_) model_ = load_seizure_model(config_, path_.string());
    return model_;
  }

 private:
  const Config& config_;
  std::filesystem::path path_;
  std::shared_ptr<SeizureModel> model_;
};

struct MergedRecording {
  std::vector<LabelledSegment> segments;
  std::size_t reruns = 0;
  std::string error;  // the recording failed
};

// The chunks' decisions in order; a chunk whose warm-up did not reach its predecessor's state
// is re-run from the recording's start.
std::vector<StoredDecision> stitched_decisions(const BatchPlan& plan,
                                               std::vector<TaskResult>& results,
                                               const Config& config, LazyModel& model,
                                               std::size_t& reruns) {
  std::vector<StoredDecision> all;
  for (std::size_t k = 0; k < results.size(); ++k) {
    const PlannedTask& task = plan.tasks[results[k].task];
    if (k > 0 && task.checkpoint_start_s >= 0 &&
        (!results[k].digest_at_start ||
         results[k].digest_at_start != results[k - 1].digest_at_end)) {
      spdlog::warn(
          "{}: chunk {} ({} s warm-up) did not reach the background state of the chunk before "
          "it at {} s; re-running it from the recording's start",
          plan.recordings[task.recording].name, task.chunk, task.start_s - task.read_from_s,
          task.checkpoint_start_s);
      TaskResult again = run_chunk(plan, from_recording_start(task), config, model.get());
      if (again.failed) throw std::runtime_error(again.error);
      again.digest_at_start = results[k - 1].digest_at_end;
      results[k] = std::move(again);
      ++reruns;
    }
    all.insert(all.end(), results[k].decisions.begin(), results[k].decisions.end());
  }
  return all;
}

MergedRecording merge_recording(const BatchPlan& plan, std::size_t index,
                                std::vector<TaskResult> results, const Config& config,
                                LazyModel& model, const std::vector<std::string>& comments) {
  const PlannedRecording& rec = plan.recordings[index];
  MergedRecording m;
  for (const TaskResult& r : results) {
    if (r.failed) {
      m.error = r.error;
      return m;
    }
  }
  const std::vector<StoredDecision> decisions =
      stitched_decisions(plan, results, config, model, m.reruns);
  std::filesystem::create_directories(rec.out_dir);
  EpochLog epochs(rec.out_dir / (rec.name + ".hyp.epochs"));
  Frame frame;
  for (const StoredDecision& d : decisions) {
    frame.first_sample_ns = d.first_sample_ns;
    frame.samples.assign(d.values.begin(), d.values.end());
    epochs.record(frame);
  }
  m.segments = write_detection_files(epochs, rec.out_dir, rec.name, rec.duration_s, rec.duration_s,
                                     comments);
  std::size_t events = 0;
  for (const LabelledSegment& g : m.segments) events += g.seizure ? 1U : 0U;
  const json::Json run = {{"format", "streamdx batch 1"},
                          {"streamdx_version", version_string()},
                          {"git", git_describe()},
                          {"input", rec.path.string()},
                          {"plan_chunks", results.size()},
                          {"chunks_rerun_from_start", m.reruns},
                          {"end", "end_of_stream"},
                          {"duration_s", rec.duration_s},
                          {"counters", {{"epochs", epochs.epochs()}, {"seizure_events", events}}},
                          {"config", plan.config_toml}};
  write_file_atomically(rec.out_dir / "run.json", json::text(run));
  return m;
}

// Every task's result, by recording; refused while any task has not finished.
std::vector<std::vector<TaskResult>> finished_results(const BatchPlan& plan) {
  std::vector<std::vector<TaskResult>> by_recording(plan.recordings.size());
  std::vector<std::size_t> unfinished;
  for (const PlannedTask& t : plan.tasks) {
    const TaskFiles files(plan, t.index);
    const TaskStatus status = files.status();
    if (status.state != TaskState::kDone && status.state != TaskState::kFailed) {
      unfinished.push_back(t.index);
      continue;
    }
    by_recording[t.recording].push_back(files.read(status));
  }
  if (!unfinished.empty()) {
    throw std::runtime_error(fmt::format(
        "{} of {} tasks have not finished (tasks {}); run them (batch run, or resubmit) and merge "
        "again",
        unfinished.size(), plan.tasks.size(), fmt::join(unfinished, ",")));
  }
  return by_recording;
}

// The recording's reference annotations, or none with the reason added to `unscored`.
std::optional<SeizureAnnotations> reference_of(const PlannedRecording& rec, json::Json& unscored) {
  std::optional<SeizureAnnotations> ref;
  try {
    ref = find_seizure_annotations(rec.path);
  } catch (const std::exception& e) {
    unscored.push_back({{"recording", rec.path.string()}, {"reason", e.what()}});
    return std::nullopt;
  }
  if (!ref) {
    unscored.push_back({{"recording", rec.path.string()}, {"reason", "no reference annotations"}});
    return std::nullopt;
  }
  // As `streamdx score`: a reference for a recording of another length is not its reference.
  if (ref->duration_s > 0 && std::fabs(ref->duration_s - rec.duration_s) > 5e-5) {
    unscored.push_back(
        {{"recording", rec.path.string()},
         {"reason", fmt::format("durations differ: {} says {} secs, the recording is {} s",
                                ref->source.string(), ref->duration_text, rec.duration_s)}});
    return std::nullopt;
  }
  return ref;
}

}  // namespace

MergeSummary merge_batch(const BatchPlan& plan) {
  MergeSummary summary;
  std::vector<std::vector<TaskResult>> by_recording = finished_results(plan);
  const Config config = plan.config();
  const std::filesystem::path model_path = resolve_model_path(config.get_string("decoder.model"));
  const std::vector<std::string> comments =
      provenance_comments(model_path, sha256_file(model_path));
  LazyModel model(config, model_path);
  ScoreReport report;
  json::Json failed = json::Json::array();
  json::Json unscored = json::Json::array();
  std::string events = "recording,start_s,stop_s,duration_s,confidence\n";
  for (std::size_t i = 0; i < plan.recordings.size(); ++i) {
    const PlannedRecording& rec = plan.recordings[i];
    const MergedRecording m =
        merge_recording(plan, i, std::move(by_recording[i]), config, model, comments);
    summary.reruns += m.reruns;
    if (!m.error.empty()) {
      ++summary.failed;
      spdlog::error("{}: FAILED: {}", rec.name, m.error);
      failed.push_back({{"recording", rec.path.string()}, {"error", m.error}});
      continue;
    }
    ++summary.merged;
    std::vector<Interval> hyp;
    for (const LabelledSegment& g : m.segments) {
      if (!g.seizure) continue;
      hyp.emplace_back(g.start_s, g.stop_s);
      events += fmt::format("{},{:.4f},{:.4f},{:.4f},{:.4f}\n", rec.name, g.start_s, g.stop_s,
                            g.stop_s - g.start_s, g.confidence);
    }
    const std::optional<SeizureAnnotations> ref = reference_of(rec, unscored);
    if (!ref) continue;
    ++summary.scored;
    report.add(score_recording(rec.name, ref->seizures, hyp, rec.duration_s));
  }
  json::Json doc = {{"format", "streamdx batch report 1"},
                    {"plan_tasks", plan.tasks.size()},
                    {"recordings", plan.recordings.size()},
                    {"merged", summary.merged},
                    {"failed", failed},
                    {"unscored", unscored},
                    {"chunks_rerun_from_start", summary.reruns},
                    {"scores", report.size() > 0 ? report.json(true) : json::Json()}};
  std::string text =
      fmt::format("{} recordings: {} merged, {} failed, {} scored against a reference\n",
                  plan.recordings.size(), summary.merged, summary.failed, summary.scored);
  for (const json::Json& f : failed) {
    text += fmt::format("FAILED {}\n", f["error"].get<std::string>());
  }
  if (report.size() > 0) {
    text += '\n';
    text += report.text();
  }
  write_file_atomically(plan.out / "report.json", json::text(doc));
  write_file_atomically(plan.out / "report.txt", text);
  write_file_atomically(plan.out / "events.csv", events);
  return summary;
}

}  // namespace streamdx::batch

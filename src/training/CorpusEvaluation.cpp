#include "training/CorpusEvaluation.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "core/CallbackSink.hpp"
#include "core/Log.hpp"
#include "core/Pipeline.hpp"
#include "io/DetectionFiles.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "scoring/ScoreReport.hpp"
#include "stages/eeg/DecisionRecord.hpp"

namespace streamdx {

namespace {

struct RecordingRun {
  std::vector<EpochDecision> epochs;
  double duration_s = 0;
  std::size_t channels = 0;
  std::vector<std::string> missing;
};

RecordingRun run_recording(const AnnotatedRecording& r, const Config& config,
                           const std::shared_ptr<SeizureModel>& model) {
  Config c = config;
  if (is_text_path(r.path.string())) c.set_string("eeg.montage", "none");  // one unnamed channel
  OpenedSource source = open_frame_source(r.path.string(), c, false);
  RecordingRun run;
  run.channels = source.channel_labels.size();
  run.missing = source.missing_channels;
  PipelineOptions o;
  o.thread_of_node.assign(1 + eeg_chain_nodes(ChainEnd::kDecisions) + 1, 0);
  Pipeline pipeline(o);
  pipeline.source(std::move(source.node));
  add_eeg_chain(pipeline, ChainEnd::kDecisions, {model, postprocess_settings(c)});
  pipeline.sink(CallbackSink([&run](const Frame& f) { record_decision(f, run.epochs); }));
  const PipelineResult result = pipeline.run();
  if (!result.ok) {
    throw std::runtime_error(
        fmt::format("{}: stage '{}': {}", r.path.string(), result.failed_node, result.error));
  }
  // The annotation's duration where it gives one (scorers compare it), else the recording's.
  run.duration_s = r.annotations.duration_s > 0 ? r.annotations.duration_s : source.duration_s;
  if (run.duration_s <= 0 && source.input_seconds) run.duration_s = source.input_seconds->load();
  return run;
}

}  // namespace

std::vector<AnnotatedRecording> annotated_corpus(const std::filesystem::path& root) {
  if (!std::filesystem::is_directory(root)) {
    throw std::runtime_error(fmt::format("{}: not a folder of recordings", root.string()));
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto& p = entry.path();
    if (!entry.is_regular_file()) continue;
    if (is_edf_path(p.string()) ||
        (is_text_path(p.string()) &&
         std::filesystem::exists(std::filesystem::path(p).replace_extension(".csv_bi")))) {
      paths.push_back(p);
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<AnnotatedRecording> out;
  for (const auto& p : paths) {
    if (auto a = find_seizure_annotations(p)) out.push_back(AnnotatedRecording{p, std::move(*a)});
  }
  return out;
}

json::Json evaluate_corpus(const std::vector<AnnotatedRecording>& recordings, const Config& config,
                           const std::shared_ptr<SeizureModel>& model) {
  ScoreReport report;
  json::Json each = json::Json::array();
  json::Json failed = json::Json::array();
  json::Json warnings = json::Json::array();
  for (const AnnotatedRecording& r : recordings) {
    for (const std::string& w : r.annotations.warnings) warnings.push_back(w);
    RecordingRun run;
    try {
      const QuietLogs quiet;
      run = run_recording(r, config, model);
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      failed.push_back({{"recording", r.path.string()}, {"error", e.what()}});
      continue;
    }
    std::vector<std::pair<double, double>> events;
    for (const LabelledSegment& s : label_segments(run.epochs, run.duration_s)) {
      if (s.seizure) events.emplace_back(s.start_s, s.stop_s);
    }
    std::size_t flagged = 0;
    for (const EpochDecision& d : run.epochs) flagged += d.seizure ? 1U : 0U;
    report.add(score_recording(r.path.string(), r.annotations.seizures, events, run.duration_s));
    each.push_back({{"recording", r.path.string()},
                    {"annotations", r.annotations.format},
                    {"channels", run.channels},
                    {"channels_missing", run.missing},
                    {"reference_events", r.annotations.seizures.size()},
                    {"events", events},
                    {"epochs", run.epochs.size()},
                    {"flagged_fraction",
                     run.epochs.empty()
                         ? 0.0
                         : static_cast<double>(flagged) / static_cast<double>(run.epochs.size())}});
  }
  json::Json out = report.json(true);
  // The report's per-recording scores, beside what was run and found.
  for (std::size_t i = 0; i < each.size(); ++i) each[i]["scores"] = out["recordings"][i];
  out.erase("recordings");
  out["recordings"] = std::move(each);
  out["failed"] = std::move(failed);
  out["annotation_warnings"] = std::move(warnings);
  return out;
}

}  // namespace streamdx

#include "runtime/RunOutputs.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/Json.hpp"
#include "core/Version.hpp"
#include "io/AtomicFile.hpp"
#include "stages/eeg/DecisionRecord.hpp"

namespace streamdx {

SignalTap::SignalTap(const std::filesystem::path& path, std::vector<std::string> labels,
                     std::string equipment, std::shared_ptr<RunCounters> counters)
    : labels_(std::move(labels)),
      path_(path),
      equipment_(std::move(equipment)),
      counters_(std::move(counters)) {}

SignalTap::~SignalTap() {
  // Not flushed: the run failed. The file still closes, with an annotation saying so.
  if (writer_ && !finished_) {
    try {
      writer_->finish(EndReason::kUpstreamError);
    } catch (const std::exception& e) {
      spdlog::error("{}: {}", path_.string(), e.what());
    }
  }
}

FramePtr SignalTap::process(FramePtr in) {
  if (!writer_) {
    for (std::size_t c = labels_.size(); c < in->shape.channels; ++c) {
      labels_.push_back(fmt::format("ch{}", c + 1));
    }
    writer_ = std::make_unique<EdfSignalWriter>(path_, labels_, equipment_);
    writer_->set_start(start_);
    writer_->set_input_annotations(input_annotations_);
    counters_->sample_rate_hz = in->sample_rate_hz;
  }
  writer_->consume(*in);
  counters_->clipped_samples.store(writer_->clipped_samples());
  counters_->frames.fetch_add(1);
  counters_->samples_per_channel.fetch_add(in->shape.samples_per_channel);
  if ((in->flags & kFrameDiscontinuity) != 0U) counters_->gaps.fetch_add(1);
  return in;
}

FramePtr SignalTap::flush() {
  if (writer_ && !finished_) {
    finished_ = true;
    writer_->finish(EndReason::kEndOfStream);
  }
  return nullptr;
}

std::vector<std::string> provenance_comments(const std::filesystem::path& model,
                                             const std::string& model_sha256) {
  return {fmt::format("streamdx {} ({})", version_string(), git_describe()),
          fmt::format("model {} sha256 {}", model.filename().string(), model_sha256)};
}

std::vector<LabelledSegment> write_detection_files(EpochLog& epochs,
                                                   const std::filesystem::path& out_dir,
                                                   const std::string& bname, double duration_s,
                                                   double segments_until_s,
                                                   const std::vector<std::string>& comments) {
  std::vector<LabelledSegment> segments = epochs.segments(segments_until_s);
  epochs.write_hyp(out_dir / (bname + ".hyp"), comments);
  write_file_atomically(out_dir / (bname + ".tse"), tse_text(segments));
  write_file_atomically(out_dir / (bname + ".csv_bi"),
                        csv_bi_text(segments, bname, duration_s, comments));
  return segments;
}

DetectionSink::DetectionSink(RunDescription description, std::shared_ptr<RunCounters> counters)
    : description_(std::move(description)),
      counters_(std::move(counters)),
      epochs_(description_.out_dir / (description_.bname + ".hyp.epochs")) {}

void DetectionSink::consume(const Frame& frame) {
  epochs_.record(frame);
  latencies_.record(frame);
}

void DetectionSink::upstream_failed(std::string_view node, std::string_view message) {
  failure_ = fmt::format("stage '{}': {}", node, message);
}

void DetectionSink::finish(EndReason reason) {
  const double rate = counters_->sample_rate_hz.load();
  const double seen_s =
      rate > 0 ? static_cast<double>(counters_->samples_per_channel.load()) / rate : 0.0;
  // The input's duration: from its header, else its own samples over its own rate (a reference
  // made from the same input must carry the same), else the output frames seen.
  double duration = seen_s;
  if (description_.known_duration_s > 0) {
    duration = description_.known_duration_s;
  } else if (description_.input_seconds && reason == EndReason::kEndOfStream) {
    duration = description_.input_seconds->load();
  }
  std::vector<std::string> comments = description_.comments;
  if (reason != EndReason::kEndOfStream) {
    comments.push_back(
        fmt::format("INCOMPLETE: the run stopped at {:.4f} s ({})", seen_s,
                    reason == EndReason::kStopRequested ? "stop requested" : failure_));
  }
  const std::vector<LabelledSegment> segments =
      write_detection_files(epochs_, description_.out_dir, description_.bname, duration,
                            reason == EndReason::kEndOfStream ? duration : seen_s, comments);
  std::size_t events = 0;
  for (const LabelledSegment& g : segments) events += g.seizure ? 1U : 0U;
  const char* end = reason == EndReason::kEndOfStream     ? "end_of_stream"
                    : reason == EndReason::kStopRequested ? "stopped"
                                                          : "error";
  json::Json run = description_.run_json;
  run["end"] = end;
  run["error"] = failure_.empty() ? json::Json() : json::Json(failure_);
  run["duration_s"] = duration;
  const std::uint64_t clipped = counters_->clipped_samples.load();
  if (clipped > 0) {
    // The detection saw the values as they came; only the signal file's 16 bits could not.
    spdlog::warn(
        "{}.edf: {} samples lay outside the signal file's +-4096 uV and were clipped there (the "
        "detection used them unclipped); is the input's unit or physical range right?",
        description_.bname, clipped);
  }
  run["counters"] = {{"frames", counters_->frames.load()},
                     {"gaps", counters_->gaps.load()},
                     {"clipped_samples", clipped},
                     {"epochs", epochs_.epochs()},
                     {"seizure_events", events}};
  run["latency"] = latencies_.json();
  write_file_atomically(description_.out_dir / "run.json", json::text(run));
}

}  // namespace streamdx

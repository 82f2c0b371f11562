#pragma once
// What `streamdx run` writes into its output directory, as pipeline nodes:
// - SignalTap, right after the source: writes the EDF+ signal file and counts frames, gaps and
//   samples, passing every frame on unchanged;
// - DetectionSink, at the end: collects the postprocessor's epoch decisions and writes HYP,
//   TSE, csv_bi and run.json when the stream ends (each atomically: temp file, then rename).
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/Json.hpp"
#include "core/Stage.hpp"
#include "io/DetectionFiles.hpp"
#include "io/EdfSignalWriter.hpp"
#include "runtime/EpochLog.hpp"
#include "runtime/StageLatencies.hpp"

namespace streamdx {

// Written by the tap's thread, read by the sink's after end of stream (the rings between them
// order the accesses); atomics keep that obvious.
struct RunCounters {
  std::atomic<std::uint64_t> frames{0};
  std::atomic<std::uint64_t> gaps{0};
  std::atomic<std::uint64_t> samples_per_channel{0};
  std::atomic<double> sample_rate_hz{0};
  std::atomic<std::uint64_t> clipped_samples{0};  // outside the signal file's range
};

class SignalTap final : public FrameTransformNode {
 public:
  SignalTap(const std::filesystem::path& path, std::vector<std::string> labels,
            std::string equipment, std::shared_ptr<RunCounters> counters);
  ~SignalTap() override;
  SignalTap(const SignalTap&) = delete;
  SignalTap& operator=(const SignalTap&) = delete;

  [[nodiscard]] std::string_view name() const override { return "signal-file"; }
  // The recording's start, for the file's header (before the first frame).
  void set_start(const RecordingStart& start) { start_ = start; }
  void set_input_annotations(std::vector<EdfSignalWriter::InputAnnotation> annotations) {
    input_annotations_ = std::move(annotations);
  }
  FramePtr process(FramePtr in) override;
  FramePtr flush() override;

 private:
  std::unique_ptr<EdfSignalWriter> writer_;
  std::vector<std::string> labels_;
  std::filesystem::path path_;
  std::string equipment_;
  std::shared_ptr<RunCounters> counters_;
  bool finished_ = false;
  RecordingStart start_;
  std::vector<EdfSignalWriter::InputAnnotation> input_annotations_;
};

struct RunDescription {
  std::filesystem::path out_dir;
  std::string bname;            // recording name in csv_bi
  double known_duration_s = 0;  // from the input's header; 0: from the samples seen
  // Text and stdin input: its own length, samples / its rate (OpenedSource::input_seconds).
  std::shared_ptr<const std::atomic<double>> input_seconds;
  std::vector<std::string> comments;  // provenance lines for HYP and csv_bi headers
  json::Json run_json;                // run.json's opening members: versions, model, config...
};

// The provenance lines every run's HYP and csv_bi carry: streamdx's version and the model's.
std::vector<std::string> provenance_comments(const std::filesystem::path& model,
                                             const std::string& model_sha256);

// Writes NAME.hyp, NAME.tse and NAME.csv_bi into `out_dir` (each atomically) from `epochs`,
// whose segments run to `segments_until_s`; `duration_s` is the recording's. Returns the
// segments. `run` (DetectionSink) and `batch merge` both write through this.
std::vector<LabelledSegment> write_detection_files(EpochLog& epochs,
                                                   const std::filesystem::path& out_dir,
                                                   const std::string& bname, double duration_s,
                                                   double segments_until_s,
                                                   const std::vector<std::string>& comments);

class DetectionSink final : public FrameSinkNode {
 public:
  DetectionSink(RunDescription description, std::shared_ptr<RunCounters> counters);

  [[nodiscard]] std::string_view name() const override { return "detections"; }
  void consume(const Frame& frame) override;
  void upstream_failed(std::string_view node, std::string_view message) override;
  void finish(EndReason reason) override;

  [[nodiscard]] std::size_t epochs() const { return epochs_.epochs(); }

 private:
  RunDescription description_;
  std::shared_ptr<RunCounters> counters_;
  EpochLog epochs_;
  std::string failure_;
  StageLatencies latencies_;  // from the decision frames' stamps
};

}  // namespace streamdx

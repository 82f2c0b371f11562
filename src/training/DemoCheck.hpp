#pragma once
// The built-in demo as a check on a model. `streamdx run` with no input decodes a SYNTHETIC
// recording (streamdx simulate) with one seizure-like discharge, by default an evolving focal
// seizure (stages/sim/IctalEvolution.hpp); the default model must
// flag the discharge and nothing else. The trainer writes this check into every model card and
// `streamdx evaluate` prints it, so a candidate's demo result is on record before anyone reads
// its test figures (models/README.md, "How it was chosen").
#include <memory>
#include <string>
#include <vector>

#include "core/Config.hpp"
#include "core/Json.hpp"
#include "io/DetectionFiles.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx {

// An event may end this long after the discharge does: the decision for the epoch in which the
// discharge fades still sees its tail in the 7 s window.
inline constexpr double kDemoEventLagS = 2.0;

struct DemoCheck {
  std::size_t channels = 0;
  double duration_s = 0;
  double discharge_start_s = 0;
  double discharge_stop_s = 0;  // == start: the demo has no discharge
  std::string pattern;          // "evolving" or "fixed" (simulate.discharge_pattern)
  double discharge_hz = 0;      // fixed: spike-and-wave cycles per second
  std::size_t min_duration_s = 0;
  std::vector<LabelledSegment> events;  // the seizure segments, as HYP/csv_bi would give them

  // At least one event when there is a discharge (none when there is not), and every event
  // inside [start, stop + kDemoEventLagS].
  [[nodiscard]] bool passed() const;
  // "flags 67-80 s; the discharge is at 60-80 s: passed"
  [[nodiscard]] std::string summary() const;
  [[nodiscard]] json::Json json() const;
};

// Judges decisions already made (unit tests, or a run's HYP file).
DemoCheck judge_demo(const std::vector<EpochDecision>& epochs, double duration_s,
                     double discharge_start_s, double discharge_stop_s);

// Runs the demo through the same source and detection stages as `streamdx run`, with the
// [simulate] and [postprocess] settings of `config`.
DemoCheck run_demo_check(const Config& config, const std::shared_ptr<SeizureModel>& model);

}  // namespace streamdx

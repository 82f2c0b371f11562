#pragma once
// What a viewer window shows, whether it comes live from the display feed or from a finished
// run's files: the channels, their samples, the epoch decisions and the clock.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gui/TraceHistory.hpp"
#include "io/DetectionFiles.hpp"

namespace streamdx {

struct ViewerModel {
  std::string title;  // the recording, or the feed's address
  std::vector<std::string> labels;
  TraceHistory history;
  std::vector<EpochDecision> epochs;
  std::optional<std::int64_t> wall_origin_ms;  // wall clock at recording time 0, when known
  double duration_s = 0;                       // replay: the whole recording
};

// The seizure event that is open at `t_s` (the epoch holding t_s, or the last one before it, is
// seiz): its first epoch's start and its latest confidence. Empty when none is open.
struct OpenEvent {
  double start_s = 0;
  double confidence = 0;
};
std::optional<OpenEvent> open_event_at(const std::vector<EpochDecision>& epochs, double t_s);

// Seizure events as [start, stop) runs of consecutive seiz epochs.
std::vector<std::pair<double, double>> seizure_events(const std::vector<EpochDecision>& epochs);

}  // namespace streamdx

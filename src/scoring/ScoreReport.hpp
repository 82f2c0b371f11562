#pragma once
// ScoreReport: OVLP, TAES, SzCORE and EPOCH scoring of any number of recordings, pooled (counts
// summed over recordings, rates over their summed duration) and, on request, per recording.
// `streamdx score` and `streamdx evaluate --corpus` both report through it, so the two say the
// same thing about the same events.
#include <string>
#include <vector>

#include "core/Json.hpp"
#include "core/Percentile.hpp"
#include "scoring/EventScoring.hpp"

namespace streamdx {

struct RecordingScore {
  std::string name;
  double duration_s = 0;
  EventCounts ovlp;
  EventCounts taes;
  EventCounts szcore;
  EventCounts epochs;
  std::vector<double> latencies;  // onset latencies of the detected reference events
};

// Scores one recording's seizure events against its reference events.
RecordingScore score_recording(std::string name, const std::vector<Interval>& ref,
                               const std::vector<Interval>& hyp, double duration_s);

class ScoreReport {
 public:
  void add(RecordingScore r) { recordings_.push_back(std::move(r)); }

  [[nodiscard]] std::size_t size() const noexcept { return recordings_.size(); }
  // Full precision: a consumer rounds as it needs. With `per_recording`, a "recordings" array.
  [[nodiscard]] json::Json json(bool per_recording = false) const;
  // The text report: 4 decimals, one line per scorer, then the onset latency.
  [[nodiscard]] std::string text() const;

  static constexpr const char* kScorer =
      "streamdx event scoring of label seiz: OVLP and TAES after Shah et al. 2021 (NEDC), "
      "SzCORE after Dan et al. 2024 (as esl-epfl/timescoring), EPOCH";

 private:
  std::vector<RecordingScore> recordings_;
};

}  // namespace streamdx

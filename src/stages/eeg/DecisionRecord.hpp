#pragma once
// How a decision frame (Postprocessor's output) becomes epochs: one EpochDecision per frame, and
// an event confirmed now is dated back to its first qualifying epoch. The run's HYP files and
// the viewer's shading both go through this, so they always agree.
#include <algorithm>
#include <vector>

#include "core/Frame.hpp"
#include "io/DetectionFiles.hpp"
#include "stages/eeg/Postprocessor.hpp"

namespace streamdx {

inline constexpr double kEpochSeconds = 1.0;

inline void record_decision(const Frame& frame, std::vector<EpochDecision>& epochs) {
  const double start = static_cast<double>(frame.first_sample_ns) / 1e9;
  const bool seizure = frame.samples[kLabel] > 0.5F;
  const auto back = static_cast<std::size_t>(frame.samples[kOnsetEpochsBack]);
  for (std::size_t k = std::min(back, epochs.size()); k > 0; --k) {
    EpochDecision& e = epochs[epochs.size() - k];
    e.seizure = true;
    e.confidence = frame.samples[kConfidence];
  }
  epochs.push_back(
      EpochDecision{start, start + kEpochSeconds, seizure, frame.samples[kConfidence]});
}

}  // namespace streamdx

#pragma once
// Segment-level evaluation on the Bonn test split (segments 081-100 of sets A-E, SPLIT.md).
// Each segment runs through the pipeline's own stages (acquisition, LFCC, decoder); its score
// is the mean P(seiz) over its 1 s epochs, and it is called a seizure when that is >= 0.5.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/Config.hpp"
#include "core/Json.hpp"
#include "stages/decoder/SeizureModel.hpp"
#include "training/EegCorpus.hpp"

namespace streamdx {

struct SegmentScore {
  LabelledRecording segment;
  double score = 0;  // mean P(seiz) over its epochs
  std::size_t epochs = 0;
  [[nodiscard]] bool decision() const noexcept { return score >= 0.5; }
};

struct BinaryMetrics {
  std::size_t positives = 0;
  std::size_t negatives = 0;
  double accuracy = 0;
  double sensitivity = 0;
  double specificity = 0;
  double auroc = 0;
};

// Metrics over the segments of `sets` (seizure = set E).
BinaryMetrics binary_metrics(const std::vector<SegmentScore>& scores, const std::string& sets);

std::vector<SegmentScore> score_segments(const std::vector<LabelledRecording>& segments,
                                         const Config& config,
                                         const std::shared_ptr<SeizureModel>& model);

// {"abcd_vs_e": {...}, "a_vs_e": {...}}, fractions to 4 decimals as the model card records them.
json::Json bonn_metrics_json(const std::vector<SegmentScore>& scores);

json::Json metrics_json(const BinaryMetrics& m);

}  // namespace streamdx

#include "training/BonnEvaluation.hpp"

#include <fmt/format.h>

#include <numeric>

#include "training/RecordingRuns.hpp"

namespace streamdx {

BinaryMetrics binary_metrics(const std::vector<SegmentScore>& scores, const std::string& sets) {
  BinaryMetrics m;
  std::vector<double> pos;
  std::vector<double> neg;
  std::size_t true_pos = 0;
  std::size_t true_neg = 0;
  for (const SegmentScore& s : scores) {
    if (sets.find(s.segment.set) == std::string::npos) continue;
    if (s.segment.seizure) {
      pos.push_back(s.score);
      true_pos += s.decision() ? 1U : 0U;
    } else {
      neg.push_back(s.score);
      true_neg += s.decision() ? 0U : 1U;
    }
  }
  m.positives = pos.size();
  m.negatives = neg.size();
  const auto n = static_cast<double>(pos.size() + neg.size());
  if (n == 0) return m;
  m.accuracy = static_cast<double>(true_pos + true_neg) / n;
  m.sensitivity = pos.empty() ? 0 : static_cast<double>(true_pos) / static_cast<double>(pos.size());
  m.specificity = neg.empty() ? 0 : static_cast<double>(true_neg) / static_cast<double>(neg.size());
  // AUROC as the Mann-Whitney statistic: P(score of a seizure > score of a non-seizure).
  double wins = 0;
  for (const double p : pos) {
    for (const double q : neg) wins += p > q ? 1.0 : (p == q ? 0.5 : 0.0);
  }
  m.auroc = (pos.empty() || neg.empty())
                ? 0
                : wins / (static_cast<double>(pos.size()) * static_cast<double>(neg.size()));
  return m;
}

std::vector<SegmentScore> score_segments(const std::vector<LabelledRecording>& segments,
                                         const Config& config,
                                         const std::shared_ptr<SeizureModel>& model) {
  std::vector<SegmentScore> out;
  for (const LabelledRecording& r : segments) {
    const std::vector<std::vector<float>> p = decode_recording(r, config, model);
    double sum = 0;
    std::size_t count = 0;
    for (const auto& epoch : p) {
      for (const float v : epoch) {
        sum += v;
        ++count;
      }
    }
    out.push_back(SegmentScore{r, count ? sum / static_cast<double>(count) : 0, p.size()});
  }
  return out;
}

json::Json metrics_json(const BinaryMetrics& m) {
  return {{"seizure_segments", m.positives},
          {"non_seizure_segments", m.negatives},
          {"accuracy", json::rounded(m.accuracy, 4)},
          {"sensitivity", json::rounded(m.sensitivity, 4)},
          {"specificity", json::rounded(m.specificity, 4)},
          {"auroc", json::rounded(m.auroc, 4)}};
}

json::Json bonn_metrics_json(const std::vector<SegmentScore>& scores) {
  return {{"abcd_vs_e", metrics_json(binary_metrics(scores, "ABCDE"))},
          {"a_vs_e", metrics_json(binary_metrics(scores, "AE"))}};
}

}  // namespace streamdx

#pragma once
// Postprocessor: per-channel class posteriors in (channels x [P(seiz), P(bckg)] every 1 s),
// one decision per epoch out (1 x [label, confidence, voting channels, mean P(seiz)], label 1
// = seiz, 0 = bckg). Causal, with no delay: each epoch is decided as its posteriors arrive,
// from an 8 s buffer of past posteriors, so the first decision leaves with the first epoch.
//
//   1. each channel's P(seiz) is averaged over its last `smoothing_epochs` epochs;
//   2. a channel votes seizure when that average reaches `threshold`;
//   3. the epoch qualifies when at least min(min_channels, channels) channels vote and their
//      mean averaged P(seiz) reaches `min_confidence`;
//   4. it is labelled seiz when it and the `min_duration_epochs - 1` epochs before it all
//      qualify: the live decision comes that much later, and the event is dated from its
//      first qualifying epoch (kOnsetEpochsBack), which the 8 s buffer still holds.
// Confidence: the voting channels' mean P(seiz) for seiz epochs; one minus the mean P(seiz)
// over all channels for bckg epochs. Consecutive seiz epochs form events (DetectionFiles).
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "core/Settings.hpp"
#include "core/Stage.hpp"

namespace streamdx {

// The [postprocess] settings (core/Settings.hpp declares each, with its limits).
struct PostprocessSettings {
  std::size_t smoothing_epochs = setting_default<std::size_t>("postprocess.smoothing_s");
  double threshold = setting_default<double>("postprocess.threshold");
  std::size_t min_channels = setting_default<std::size_t>("postprocess.min_channels");
  double min_confidence = setting_default<double>("postprocess.min_confidence");
  std::size_t min_duration_epochs = setting_default<std::size_t>("postprocess.min_duration_s");
};

// What one decision frame holds, in order.
// kOnsetEpochsBack: on the epoch that confirms an event (its first seiz epoch), how many
// epochs earlier the event began (min_duration_epochs - 1): the qualifying epochs the minimum
// duration waited for. Event files date the event from there; 0 elsewhere.
enum DecisionField : std::size_t {
  kLabel = 0,
  kConfidence,
  kVotes,
  kMeanSeizure,
  kOnsetEpochsBack,
  kDecisionFields
};

class Postprocessor {
 public:
  static constexpr std::string_view kName = "postprocess";
  static constexpr std::size_t kBufferEpochs = 8;  // 8 s of posteriors

  explicit Postprocessor(PostprocessSettings settings = {});

  StreamInfo configure(const StreamInfo& in);
  bool process(std::span<const float> in, std::span<float> out);

 private:
  PostprocessSettings settings_;
  std::size_t channels_ = 0;
  std::vector<float> history_;  // kBufferEpochs x channels P(seiz), ring
  std::size_t epochs_ = 0;
  std::size_t qualifying_run_ = 0;  // consecutive qualifying epochs up to the last one
};

}  // namespace streamdx

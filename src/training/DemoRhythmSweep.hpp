#pragma once
// The demo's discharge at several rhythms: where a model's blind spots lie. The demo check
// (DemoCheck.hpp) probes one rhythm, 3 Hz, and measurements showed that every model trained
// here has a blind spot near 3-4 Hz whose edge moves with the seed and the augmentation
// (models/README.md, "Seed replicates"), so one rhythm alone says more about that edge than
// about the model. The sweep reports the discharge at each rhythm; it judges nothing itself.
#include <array>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "training/DemoCheck.hpp"

namespace streamdx {

inline constexpr std::array<double, 7> kDemoSweepRhythmsHz = {2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0};

struct DemoRhythmSweep {
  std::vector<DemoCheck> checks;  // one per rhythm, in the order swept

  [[nodiscard]] std::size_t passed_count() const;
  // "passes at 2, 2.5, 3 Hz (3 of 7 rhythms); no event at 3.5, 4, 5, 6 Hz"; a rhythm whose
  // run raised an event outside the discharge is listed apart ("events outside it at ...").
  [[nodiscard]] std::string summary() const;
  [[nodiscard]] json::Json json() const;
};

// The demo with its discharge at each of `rhythms_hz`, the rest of `config` unchanged.
// `at_configured` is run_demo_check(config, model), which the callers already hold: the rhythm
// it ran at is taken from it rather than run again (the demo is deterministic).
DemoRhythmSweep run_demo_rhythm_sweep(const Config& config,
                                      const std::shared_ptr<SeizureModel>& model,
                                      const DemoCheck& at_configured,
                                      std::span<const double> rhythms_hz = kDemoSweepRhythmsHz);

}  // namespace streamdx

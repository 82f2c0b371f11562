#pragma once
// A recording whose detections are known by construction, for the viewer tests: 60 s of
// 22 labelled channels written by the run's own EDF+ writer, and a HYP file with exactly one
// seizure event, 20 s to 32 s.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "io/AtomicFile.hpp"
#include "io/DetectionFiles.hpp"
#include "io/EdfSignalWriter.hpp"

namespace streamdx::testing {

struct KnownRecording {
  std::filesystem::path signal;
  std::filesystem::path hyp;
  std::vector<std::string> labels;
  static constexpr double kDurationS = 60;
  static constexpr double kSeizureStartS = 20;
  static constexpr double kSeizureStopS = 32;
};

inline KnownRecording write_known_recording(const std::filesystem::path& dir) {
  KnownRecording r;
  r.labels = {"FP1-F7", "F7-T3", "T3-T5",  "T5-O1", "FP2-F8", "F8-T4", "T4-T6",  "T6-O2",
              "A1-T3",  "T3-C3", "C3-CZ",  "CZ-C4", "C4-T4",  "T4-A2", "FP1-F3", "F3-C3",
              "C3-P3",  "P3-O1", "FP2-F4", "F4-C4", "C4-P4",  "P4-O2"};
  r.signal = dir / "known.edf";
  r.hyp = dir / "known.hyp";
  EdfSignalWriter writer(r.signal, r.labels, "streamdx test");
  constexpr double kRate = 250;
  constexpr std::uint16_t kPerFrame = 25;
  const auto frames = static_cast<std::uint64_t>(KnownRecording::kDurationS * kRate / kPerFrame);
  for (std::uint64_t k = 0; k < frames; ++k) {
    Frame f;
    f.sequence = k;
    f.sample_rate_hz = kRate;
    f.first_sample_ns = static_cast<std::int64_t>(k) * 100'000'000;
    f.reshape({static_cast<std::uint16_t>(r.labels.size()), kPerFrame});
    for (std::size_t c = 0; c < r.labels.size(); ++c) {
      for (std::size_t i = 0; i < kPerFrame; ++i) {
        const double t = static_cast<double>(k * kPerFrame + i) / kRate;
        const bool seizing =
            t >= KnownRecording::kSeizureStartS && t < KnownRecording::kSeizureStopS;
        // Slow, small waves leave most of each lane to the shading the tests look at.
        const double uv = seizing
                              ? 40 * std::sin(2 * M_PI * 3 * t)
                              : 15 * std::sin(2 * M_PI * (1 + 0.05 * static_cast<double>(c)) * t);
        f.samples[c * kPerFrame + i] = static_cast<float>(uv);
      }
    }
    writer.consume(f);
  }
  writer.finish(EndReason::kEndOfStream);
  std::vector<EpochDecision> epochs;
  for (int s = 0; s < static_cast<int>(KnownRecording::kDurationS); ++s) {
    const bool seiz = s >= KnownRecording::kSeizureStartS && s < KnownRecording::kSeizureStopS;
    epochs.push_back({static_cast<double>(s), static_cast<double>(s + 1), seiz, seiz ? 0.9 : 0.97});
  }
  AtomicFile hyp(r.hyp);
  hyp.write(hyp_text(epochs, {"test recording: one seizure event, 20-32 s"}));
  hyp.commit();
  return r;
}

}  // namespace streamdx::testing

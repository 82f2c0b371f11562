#pragma once
// LfccExtractor: the LFCC feature stage. Every 0.1 s frame of 250 Hz EEG in, one vector of 26
// features per channel out (docs/FEATURES.md):
//
//   energy, c1..c7, diff_energy     9 per frame, from the 0.2 s window centred on the frame
//   d_energy .. d_diff_energy       9 deltas over 0.9 s (a 9-frame regression)
//   dd_energy .. dd_c7              8 delta-deltas over 0.3 s (3 frames, on the deltas)
//
// Streaming state per channel: a circular buffer of the last 3 frames of samples (0.3 s), the
// last 9 energies, and the two delta windows. One call handles a whole frame for every channel.
// The output for input frame t leaves with input frame t + 6 (kDelayFrames, 0.6 s); flush()
// gives the last 6 at end of stream, so T frames in give exactly T feature frames out, and the
// pipeline's TransformAdapter stamps each with the input frame it describes.
//
// The stream is extended past its ends by repeating its first and last samples (for the
// windows) and its first and last feature rows (for the deltas), so every frame gets a vector.
// Frames are processed one at a time in a fixed order: the features are bit-identical however
// the input was chunked or transported.
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "core/Stage.hpp"
#include "stages/eeg/CentredDelta.hpp"
#include "stages/eeg/LfccAnalyzer.hpp"
#include "stages/eeg/LfccParameters.hpp"

namespace streamdx {

class LfccExtractor {
 public:
  static constexpr std::string_view kName = "lfcc";

  explicit LfccExtractor(std::size_t channels = 0);

  // Checks the stream (250 Hz, 25-sample frames) and sizes the state: out is channels x 26.
  StreamInfo configure(const StreamInfo& in);
  // One input frame (channels x 25, planar). True when `out` (channels x 26) holds the features
  // of the frame kDelayFrames back (or of the first frame, while the delay is filling).
  bool process(std::span<const float> in, std::span<float> out);
  [[nodiscard]] std::size_t delay_frames() const noexcept { return lfcc::kDelayFrames; }
  // At end of stream: the held-back feature frames, one per call; false when drained.
  bool flush(std::span<float> out);

  [[nodiscard]] std::size_t channels() const noexcept { return channels_; }
  [[nodiscard]] std::size_t frames_in() const noexcept { return frames_in_; }

 private:
  void resize(std::size_t channels);
  [[nodiscard]] float* slot(std::size_t frame) noexcept;  // frame's samples in the ring
  // Analyses the window of frame `frame` (needs frames frame-1 .. frame+1 in the ring) and
  // feeds the delta chain; appends a finished output to pending_ if one completes.
  void analyse_frame(std::size_t frame);
  void emit_from_delta_delta();
  void feed_delta_delta();
  bool pop_pending(std::span<float> out);

  std::size_t channels_ = 0;
  LfccAnalyzer analyzer_;
  std::vector<float> ring_;  // kBufferFrames slots of channels x kFrameSamples (planar)
  std::size_t frames_in_ = 0;
  bool finishing_ = false;
  std::vector<double> absolute_;    // channels x kAbsolute, from the analyzer
  std::vector<double> energies_;    // kDiffEnergyFrames x channels, newest at slot t mod 9
  std::vector<double> energy_low_;  // channels: their minimum and maximum
  std::vector<double> energy_high_;
  std::size_t analysed_ = 0;       // windows analysed
  CentredDelta delta_;             // rows: channels x [energy, c1..c7, diff_energy]
  CentredDelta delta_delta_;       // rows: channels x [those 9, their 9 deltas]
  std::vector<float> pending_;     // finished outputs not yet handed out, FIFO
  std::size_t pending_first_ = 0;  // offset of the oldest pending output
};

}  // namespace streamdx

#pragma once
// TimeStretchedSource: replays recorded 250 Hz frames with every rhythm `factor` times faster,
// for training-time augmentation (`streamdx train --stretch-augment`).
//
// Why: seizure and background rhythms differ in speed from one patient to the next, and a model
// that has seen each recording only at its own speed learns those patients' frequencies. The
// signal is read as if it had been sampled at 250 * factor Hz and resampled back to 250 Hz by
// the acquisition's own Resampler, so a component at f Hz moves to f * factor Hz and the
// recording lasts 1 / factor as long. Amplitudes are unchanged.
//
// Frames are stamped with the *original* recording time of their first sample, so labels taken
// from annotations (TUSZ csv_bi) still fall where the events were. A discontinuity flag starts a
// new contiguous run: each run is stretched on its own and never blended with the next.
// factor == 1 replays the frames unchanged. The output is a pure function of the input frames.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>
#include <string_view>
#include <vector>

#include "core/Frame.hpp"
#include "core/Stage.hpp"

namespace streamdx {

class TimeStretchedSource {
 public:
  static constexpr std::string_view kName = "stretch";

  // `frames`: a recording's frames in stream order, all of one shape and sample rate.
  TimeStretchedSource(const std::vector<Frame>& frames, double factor);

  [[nodiscard]] StreamInfo info() const { return info_; }
  std::optional<SourceBlockInfo> produce(std::span<float> out, const std::stop_token& stop);

 private:
  struct Run {
    std::int64_t onset_ns = 0;
    std::size_t first = 0;  // index of the run's first frame in `frames`
    std::size_t count = 0;
  };
  void stretch_run(const std::vector<Frame>& frames, const Run& run, double factor);

  StreamInfo info_;
  std::vector<float> samples_;  // every output frame, one after another (planar each)
  std::vector<SourceBlockInfo> blocks_;
  std::size_t next_ = 0;
};

}  // namespace streamdx

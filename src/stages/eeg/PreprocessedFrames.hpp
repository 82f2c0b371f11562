#pragma once
// PreprocessedFrames: what every acquisition source shares. It owns the EegPreprocessor and
// hands out its frames, asking the source for more input when none is ready. A source only says
// how to feed: `feed()` pushes the next input block into the preprocessor and returns false at
// the end of input (after which the preprocessor is drained and the stream ends).
#include <memory>
#include <optional>
#include <span>
#include <stop_token>

#include "core/Stage.hpp"
#include "stages/eeg/EegPreprocessor.hpp"

namespace streamdx {

struct EegSourceSettings {
  MontageKind montage = MontageKind::kAuto;
  EegFrameSettings frames;
  std::uint32_t stream_id = 0;
  // File recordings only: read data records [first_record, end_record) (-1: to the end), a chunk
  // of a long recording (streamdx batch), framed on the recording's own grid.
  std::int64_t first_record = 0;
  std::int64_t end_record = -1;
};

class PreprocessedFrames {
 public:
  void start(MontagePlan plan, std::vector<std::string> input_labels, double in_rate_hz,
             const EegSourceSettings& settings) {
    settings_ = settings;
    pre_ = std::make_unique<EegPreprocessor>(std::move(plan), std::move(input_labels), in_rate_hz,
                                             settings.frames);
  }

  [[nodiscard]] StreamInfo info() const {
    return StreamInfo{
        settings_.stream_id,
        FrameShape{static_cast<std::uint16_t>(pre_->channels()), settings_.frames.frame_samples},
        settings_.frames.out_rate_hz};
  }

  template <class Feed>
  std::optional<SourceBlockInfo> next(std::span<float> out, const std::stop_token& stop,
                                      Feed&& feed) {
    SourceBlockInfo info;
    while (!pre_->pop(out, info)) {
      if (finished_ || stop.stop_requested()) return std::nullopt;
      if (!feed()) {
        pre_->finish();
        finished_ = true;
      }
    }
    return info;
  }

  [[nodiscard]] EegPreprocessor& preprocessor() { return *pre_; }
  [[nodiscard]] const EegPreprocessor& preprocessor() const { return *pre_; }

 private:
  std::unique_ptr<EegPreprocessor> pre_;
  EegSourceSettings settings_;
  bool finished_ = false;
};

}  // namespace streamdx

#pragma once
// ZmqAcquisitionSource: the acquisition stage for a live stream of raw samples over ZeroMQ, e.g.
// from an amplifier bridge, or another streamdx process sending a recording with
// `--montage none`. The sender announces its channels in a stream header (docs/PROTOCOL.md);
// frames may come at any rate and block size. They go through the EegPreprocessor like a file's
// records, each with its own recording time, so a gap in the live stream (a jump in
// first-sample time) is flagged as a discontinuity, never glued.
#include <memory>
#include <optional>
#include <stop_token>
#include <string_view>

#include "core/Stage.hpp"
#include "io/ZmqFrameReceiver.hpp"
#include "stages/eeg/EegFileSource.hpp"

namespace streamdx {

class ZmqAcquisitionSource {
 public:
  static constexpr std::string_view kName = "acquire";

  // Waits (up to the peer timeout) for the sender's first frame, to learn its channels.
  ZmqAcquisitionSource(std::unique_ptr<ZmqFrameReceiver> receiver,
                       const EegSourceSettings& settings);

  [[nodiscard]] StreamInfo info() const { return frames_.info(); }
  std::optional<SourceBlockInfo> produce(std::span<float> out, const std::stop_token& stop);
  [[nodiscard]] const EegPreprocessor& preprocessor() const { return frames_.preprocessor(); }

 private:
  void push(const Frame& frame);

  std::unique_ptr<ZmqFrameReceiver> receiver_;
  PreprocessedFrames frames_;
  std::vector<float> block_;
};

}  // namespace streamdx

#pragma once
// RecordingReplay: a source stage that replays frames already in memory, cyclically, from an
// offset: many simulated beds share one acquired recording, each starting somewhere else in
// it. Recording time runs on as if the recording continued, one frame's length a frame. With a
// frame count it ends after that many frames; without, it never ends.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>
#include <string_view>
#include <vector>

#include "core/Stage.hpp"

namespace streamdx {

class RecordingReplay {
 public:
  static constexpr std::string_view kName = "replay";
  static constexpr bool kNeverWaits = true;

  // `frames` must outlive the source and hold at least one frame, all of one shape and rate.
  RecordingReplay(const std::vector<Frame>& frames, std::size_t offset,
                  std::optional<std::uint64_t> count = std::nullopt)
      : frames_(&frames),
        next_(offset % frames.size()),
        left_(count),
        frame_ns_(static_cast<std::int64_t>(
            static_cast<double>(frames.front().shape.samples_per_channel) * 1e9 /
            frames.front().sample_rate_hz)) {}

  [[nodiscard]] StreamInfo info() const {
    const Frame& f = frames_->front();
    return StreamInfo{f.stream_id, f.shape, f.sample_rate_hz};
  }

  std::optional<SourceBlockInfo> produce(std::span<float> out, const std::stop_token& /*stop*/) {
    if (left_ && (*left_)-- == 0) return std::nullopt;
    const Frame& from = (*frames_)[next_];
    next_ = (next_ + 1) % frames_->size();
    std::copy(from.samples.begin(), from.samples.end(), out.begin());
    const SourceBlockInfo block{first_sample_ns_, from.flags};
    first_sample_ns_ += frame_ns_;
    return block;
  }

 private:
  const std::vector<Frame>* frames_;
  std::size_t next_;
  std::optional<std::uint64_t> left_;
  std::int64_t frame_ns_;
  std::int64_t first_sample_ns_ = 0;
};

}  // namespace streamdx

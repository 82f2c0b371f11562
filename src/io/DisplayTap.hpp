#pragma once
// DisplayTap: a pass-through pipeline node that offers every frame to the display feed. It
// never waits and never changes a frame, so the detections downstream are the same with or
// without viewers (tested byte for byte). The decision tap also announces the end of the run.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/Stage.hpp"
#include "io/DisplayPublisher.hpp"

namespace streamdx {

class DisplayTap final : public FrameTransformNode {
 public:
  // `labels` name the signal's channels (ch1, ch2, ... when empty); the decision tap needs none.
  DisplayTap(std::shared_ptr<DisplayPublisher> publisher, display::Topic topic,
             std::vector<std::string> labels = {})
      : publisher_(std::move(publisher)), topic_(topic), labels_(std::move(labels)) {}

  [[nodiscard]] std::string_view name() const override {
    return topic_ == display::Topic::kSignal ? "display-signal" : "display-decision";
  }
  FramePtr process(FramePtr in) override {
    if (topic_ == display::Topic::kSignal && frames_ == 0) announce(*in);
    publisher_->publish(topic_, *in);
    ++frames_;
    return in;
  }
  FramePtr flush() override {
    if (topic_ == display::Topic::kDecision) publisher_->publish_end(frames_);
    return nullptr;
  }

 private:
  // The header goes out with the first frame, when the rate is known; then once a second.
  void announce(const Frame& first) {
    wire::StreamHeader header{0, first.sample_rate_hz, labels_};
    for (std::size_t c = header.labels.size(); c < first.shape.channels; ++c) {
      header.labels.push_back(fmt::format("ch{}", c + 1));
    }
    header.labels.resize(first.shape.channels);
    const double frame_s = first.shape.samples_per_channel / std::max(first.sample_rate_hz, 1.0);
    publisher_->set_header(std::move(header),
                           static_cast<std::uint64_t>(std::max(1.0, std::round(1.0 / frame_s))));
  }

  std::shared_ptr<DisplayPublisher> publisher_;
  display::Topic topic_;
  std::vector<std::string> labels_;
  std::uint64_t frames_ = 0;
};

}  // namespace streamdx

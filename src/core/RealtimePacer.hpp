#pragma once
// RealtimePacer: replays a recorded stream at wall-clock speed (--realtime). A frame whose last
// sample was recorded at t (from the recording start) is released at start + t, which is when a
// live instrument would have delivered it. Waits wake at least every 100 ms to honour a stop.
#include <cstdint>
#include <stop_token>

#include "core/Clock.hpp"
#include "core/Stage.hpp"

namespace streamdx {

class RealtimePacer {
 public:
  // Waits until `frame` would have been complete in a live recording. Returns false if `stop`
  // fired first.
  bool wait_for(const Frame& frame, const std::stop_token& stop);

 private:
  bool started_ = false;
  MonoNs origin_ns_ = 0;  // monotonic time that corresponds to recording time 0
};

// Wraps any source node so that it releases frames at wall-clock pace.
class PacedSource final : public FrameSourceNode {
 public:
  explicit PacedSource(std::unique_ptr<FrameSourceNode> inner) : inner_(std::move(inner)) {}
  [[nodiscard]] std::string_view name() const override { return inner_->name(); }
  FramePtr next(const std::stop_token& stop) override;

 private:
  std::unique_ptr<FrameSourceNode> inner_;
  RealtimePacer pacer_;
};

}  // namespace streamdx

#pragma once
// Stages and the nodes the runner drives.
//
// A *stage* is a small struct that does signal processing and nothing else. It sees spans of
// samples, never a ring, a socket or a thread (in the spirit of GNU Radio 4's processBulk):
//
//   struct Gain {
//     static constexpr std::string_view kName = "gain";
//     StreamInfo configure(const StreamInfo& in) { return in; }          // output stream
//     bool process(std::span<const float> in, std::span<float> out);      // false: no output yet
//   };
//
// `out` arrives zeroed. A process() that returns false leaves it untouched, so that the runner
// can offer the same, still-zero frame next time instead of zeroing a fresh one per call.
//
// Sources fill a span and say when its first sample was recorded; sinks see finished frames.
// The runner (core/Pipeline.hpp) wraps each stage in a *node*, a frame-level interface that the
// transport adapters in src/io (ZeroMQ sender and receiver, frame files) implement directly, so
// any edge of a pipeline can be a ring in one process or a socket between two.
#include <algorithm>
#include <concepts>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/Frame.hpp"

namespace streamdx {

// What a stream looks like between two stages. Fixed for the life of a stream.
struct StreamInfo {
  std::uint32_t stream_id = 0;
  FrameShape shape;
  double sample_rate_hz = 0.0;  // samples per second per channel at this point of the pipeline
  friend bool operator==(const StreamInfo&, const StreamInfo&) = default;
};

// What a source says about the block it just produced.
struct SourceBlockInfo {
  std::int64_t first_sample_ns = 0;  // recording time of the block's first sample
  std::uint32_t flags = 0;           // FrameFlag bits
};

// Why a sink is being finished.
enum class EndReason { kEndOfStream, kStopRequested, kUpstreamError };

// ---- Stage concepts ------------------------------------------------------------------------

template <class S>
concept SourceStage = requires(S s, const S cs, std::span<float> out, const std::stop_token& st) {
  { S::kName } -> std::convertible_to<std::string_view>;
  { cs.info() } -> std::same_as<StreamInfo>;
  // Fills `out` (info().shape.sample_count() values). std::nullopt: end of input, or the stop
  // token fired. A blocking source returns within ~100 ms of a stop request.
  { s.produce(out, st) } -> std::same_as<std::optional<SourceBlockInfo>>;
};

template <class S>
concept TransformStage = requires(S s, const StreamInfo& in, std::span<const float> x,
                                  std::span<float> y) {
  { S::kName } -> std::convertible_to<std::string_view>;
  { s.configure(in) } -> std::same_as<StreamInfo>;
  { s.process(x, y) } -> std::same_as<bool>;
};

// Optional for transforms: outputs lag inputs by this many frames (a filter's look-ahead), and
// flush() emits the held-back outputs at end of stream, one per call, false when drained.
template <class S>
concept DelayingStage = TransformStage<S> && requires(S s, const S cs, std::span<float> y) {
  { cs.delay_frames() } -> std::convertible_to<std::size_t>;
  { s.flush(y) } -> std::same_as<bool>;
};

template <class S>
concept SinkStage = requires(S s, const Frame& f, EndReason r) {
  { S::kName } -> std::convertible_to<std::string_view>;
  s.consume(f);
  s.finish(r);
};

// ---- Nodes: what the runner drives ---------------------------------------------------------

using FramePtr = std::unique_ptr<Frame>;

class FrameSourceNode {
 public:
  virtual ~FrameSourceNode() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // The next frame, or nullptr at end of stream (or once `stop` fired).
  virtual FramePtr next(const std::stop_token& stop) = 0;
  // True when next() never waits for anything outside the process (a file, a generator): the
  // runner may then hand its frames downstream in batches (Pipeline.hpp).
  [[nodiscard]] virtual bool never_waits() const { return false; }
};

class FrameTransformNode {
 public:
  virtual ~FrameTransformNode() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // The output for this input, or nullptr while the stage is still filling its delay.
  virtual FramePtr process(FramePtr in) = 0;
  // At end of stream: held-back outputs, one per call, nullptr when drained.
  virtual FramePtr flush() = 0;
};

class FrameSinkNode {
 public:
  virtual ~FrameSinkNode() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  virtual void consume(const Frame& frame) = 0;
  // Before finish(kUpstreamError): which node failed and why, for sinks that pass it on.
  virtual void upstream_failed(std::string_view /*node*/, std::string_view /*message*/) {}
  // Called exactly once, after the last consume(). Outputs are flushed and closed here.
  virtual void finish(EndReason reason) = 0;
};

// ---- Adapters from stages to nodes ---------------------------------------------------------

template <SourceStage S>
class SourceAdapter final : public FrameSourceNode {
 public:
  explicit SourceAdapter(S stage) : stage_(std::move(stage)), info_(stage_.info()) {}
  [[nodiscard]] std::string_view name() const override { return S::kName; }
  FramePtr next(const std::stop_token& stop) override {
    auto frame = std::make_unique<Frame>();
    frame->reshape(info_.shape);
    const std::optional<SourceBlockInfo> block = stage_.produce(frame->samples, stop);
    if (!block) return nullptr;
    frame->stamp(S::kName);
    frame->stream_id = info_.stream_id;
    frame->sequence = next_sequence_++;
    frame->sample_rate_hz = info_.sample_rate_hz;
    frame->first_sample_ns = block->first_sample_ns;
    frame->flags = block->flags;
    return frame;
  }
  // A stage says so with `static constexpr bool kNeverWaits = true`.
  [[nodiscard]] bool never_waits() const override {
    if constexpr (requires { S::kNeverWaits; }) {
      return S::kNeverWaits;
    } else {
      return false;
    }
  }
  S& stage() { return stage_; }

 private:
  S stage_;
  StreamInfo info_;
  std::uint64_t next_sequence_ = 0;
};

template <TransformStage S>
class TransformAdapter final : public FrameTransformNode {
 public:
  explicit TransformAdapter(S stage) : stage_(std::move(stage)) {}
  [[nodiscard]] std::string_view name() const override { return S::kName; }

  FramePtr process(FramePtr in) override {
    if (!configured_ || in->shape != in_info_.shape ||
        in->sample_rate_hz != in_info_.sample_rate_hz) {
      in_info_ = StreamInfo{in->stream_id, in->shape, in->sample_rate_hz};
      out_info_ = stage_.configure(in_info_);
      configured_ = true;
    }
    auto out = make_output();
    const bool produced = stage_.process(in->samples, out->samples);
    held_.push_back(std::move(in));
    const std::size_t delay = delay_frames();
    FramePtr result;
    if (produced) {
      // The output describes the input `delay` frames back (or the oldest one seen so far).
      const std::size_t back = std::min(delay, held_.size() - 1);
      result = label(std::move(out), *held_[held_.size() - 1 - back]);
    } else {
      recycle(std::move(out), true);  // untouched by a false process(): still zero
    }
    while (held_.size() > delay) {  // only the inputs still inside the delay
      recycle(std::move(held_.front()), false);
      held_.pop_front();
    }
    return result;
  }

  FramePtr flush() override {
    if constexpr (DelayingStage<S>) {
      if (!configured_ || held_.empty()) return nullptr;
      auto out = make_output();
      if (!stage_.flush(out->samples)) return nullptr;
      FramePtr src = std::move(held_.front());
      held_.pop_front();
      return label(std::move(out), *src);
    } else {
      return nullptr;
    }
  }

 private:
  // Consumed inputs become later outputs: a stage allocates frames only while its delay fills,
  // not on every call. A recycled frame is zeroed, as a new one would be, unless it is known to
  // be zero already (an output that process() declined: for a stage that emits once per ten
  // inputs, zeroing it each time was most of its memory traffic). label() rewrites the header.
  FramePtr make_output() {
    FramePtr out;
    if (spare_) {
      out = std::move(spare_);
      const bool zero = spare_zero_ && out->shape == out_info_.shape;
      out->reshape(out_info_.shape);
      if (!zero) std::fill(out->samples.begin(), out->samples.end(), 0.0F);
    } else {
      out = std::make_unique<Frame>();
      out->reshape(out_info_.shape);
    }
    return out;
  }
  void recycle(FramePtr frame, bool zero) {
    if (spare_) return;
    spare_ = std::move(frame);
    spare_zero_ = zero;
  }
  [[nodiscard]] std::size_t delay_frames() const {
    if constexpr (DelayingStage<S>) {
      return stage_.delay_frames();
    } else {
      return 0;
    }
  }
  // Gives `out` the header of the input frame `src` that it describes.
  FramePtr label(FramePtr out, const Frame& src) const {
    out->stream_id = src.stream_id;
    out->sequence = src.sequence;
    out->first_sample_ns = src.first_sample_ns;
    out->sample_rate_hz = out_info_.sample_rate_hz;
    out->flags = src.flags;
    // Only the stamps in use: the whole array is 384 bytes, copied per frame and stage.
    std::copy_n(src.stamps.begin(), src.stamp_count, out->stamps.begin());
    out->stamp_count = src.stamp_count;
    out->stamps_overflowed = src.stamps_overflowed;
    out->stamp(S::kName);
    return out;
  }

  S stage_;
  bool configured_ = false;
  StreamInfo in_info_;
  StreamInfo out_info_;
  std::deque<FramePtr> held_;  // inputs whose outputs are still inside the stage's delay
  FramePtr spare_;             // a consumed frame, reused by the next make_output()
  bool spare_zero_ = false;    // and its samples are all zero
};

template <SinkStage S>
class SinkAdapter final : public FrameSinkNode {
 public:
  explicit SinkAdapter(S stage) : stage_(std::move(stage)) {}
  [[nodiscard]] std::string_view name() const override { return S::kName; }
  void consume(const Frame& frame) override { stage_.consume(frame); }
  void finish(EndReason reason) override { stage_.finish(reason); }
  S& stage() { return stage_; }

 private:
  S stage_;
};

}  // namespace streamdx

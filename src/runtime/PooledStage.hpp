#pragma once
// How the stream pool (StreamPool.hpp) holds a stage: the stage itself, its output buffer, and
// the recording time of the inputs still inside its delay. The pool hands spans from buffer to
// buffer, as the stage contract promises (core/Stage.hpp), with no frame allocated, copied or
// stamped on the way: a thousand beds make tens of thousands of stage calls a second, and the
// frame machinery a Pipeline needs between threads would cost more than the smaller stages.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <stop_token>
#include <string_view>
#include <vector>

#include "core/BatchedStage.hpp"
#include "core/Stage.hpp"

namespace streamdx {

class PooledSource {
 public:
  virtual ~PooledSource() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual StreamInfo info() const = 0;
  virtual std::optional<SourceBlockInfo> produce(std::span<float> out) = 0;
};

template <SourceStage S>
class PooledSourceStage final : public PooledSource {
 public:
  explicit PooledSourceStage(S stage) : stage_(std::move(stage)) {}
  [[nodiscard]] std::string_view name() const override { return S::kName; }
  [[nodiscard]] StreamInfo info() const override { return stage_.info(); }
  std::optional<SourceBlockInfo> produce(std::span<float> out) override {
    return stage_.produce(out, never_.get_token());  // pooled sources never wait (StreamPool)
  }

 private:
  S stage_;
  std::stop_source never_;
};

// A transform with its output buffer. process() returns the output span, or an empty one when
// the stage made no output for this input.
class PooledTransform {
 public:
  virtual ~PooledTransform() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  virtual StreamInfo configure(const StreamInfo& in) = 0;
  virtual std::span<const float> process(std::span<const float> in) = 0;
  virtual std::span<const float> flush() = 0;  // held-back outputs at end of stream, one a call
  [[nodiscard]] virtual std::size_t delay_frames() const = 0;

  // Batched stages only (core/BatchedStage.hpp).
  [[nodiscard]] virtual bool batched() const { return false; }
  [[nodiscard]] virtual std::unique_ptr<FrameBatch> make_batch() const { return nullptr; }
  [[nodiscard]] virtual const void* batch_key() const { return nullptr; }
  virtual std::optional<std::size_t> gather(std::span<const float> /*in*/, FrameBatch& /*b*/) {
    throw std::logic_error("gather on a stage that is not batched");
  }
  virtual std::span<const float> scatter(const FrameBatch& /*b*/, std::size_t /*slot*/) {
    throw std::logic_error("scatter on a stage that is not batched");
  }
};

template <TransformStage S>
class PooledTransformStage final : public PooledTransform {
 public:
  explicit PooledTransformStage(S stage) : stage_(std::move(stage)) {}
  [[nodiscard]] std::string_view name() const override { return S::kName; }

  StreamInfo configure(const StreamInfo& in) override {
    const StreamInfo out = stage_.configure(in);
    out_.assign(out.shape.sample_count(), 0.0F);
    dirty_ = false;
    return out;
  }

  std::span<const float> process(std::span<const float> in) override {
    clean();  // a stage's `out` arrives zeroed
    if (!stage_.process(in, out_)) return {};
    dirty_ = true;
    return out_;
  }

  std::span<const float> flush() override {
    if constexpr (DelayingStage<S>) {
      clean();
      if (!stage_.flush(out_)) return {};
      dirty_ = true;
      return out_;
    } else {
      return {};
    }
  }

  [[nodiscard]] std::size_t delay_frames() const override {
    if constexpr (DelayingStage<S>) {
      return stage_.delay_frames();
    } else {
      return 0;
    }
  }

  [[nodiscard]] bool batched() const override { return BatchedStage<S>; }
  [[nodiscard]] std::unique_ptr<FrameBatch> make_batch() const override {
    if constexpr (BatchedStage<S>) {
      return std::make_unique<TypedFrameBatch<typename S::Batch>>();
    } else {
      return nullptr;
    }
  }
  [[nodiscard]] const void* batch_key() const override {
    if constexpr (BatchedStage<S>) {
      return stage_.batch_key();
    } else {
      return nullptr;
    }
  }
  std::optional<std::size_t> gather(std::span<const float> in, FrameBatch& b) override {
    if constexpr (BatchedStage<S>) {
      return stage_.gather(in, dynamic_cast<TypedFrameBatch<typename S::Batch>&>(b).batch);
    } else {
      return PooledTransform::gather(in, b);
    }
  }
  std::span<const float> scatter(const FrameBatch& b, std::size_t slot) override {
    if constexpr (BatchedStage<S>) {
      clean();
      stage_.scatter(dynamic_cast<const TypedFrameBatch<typename S::Batch>&>(b).batch, slot, out_);
      dirty_ = true;
      return out_;
    } else {
      return PooledTransform::scatter(b, slot);
    }
  }

 private:
  void clean() {
    if (dirty_) std::fill(out_.begin(), out_.end(), 0.0F);
    dirty_ = false;
  }

  S stage_;
  std::vector<float> out_;
  bool dirty_ = false;  // out_ holds the last output: zero it before the next call
};

}  // namespace streamdx

#pragma once
// Batching: a transform whose heavy step many streams can share in one call, such as a model's
// forward pass over the windows of every stream whose epoch just ended. The stage splits
// process() in two around a batch that the runner owns:
//
//   struct Decoder {
//     using Batch = DecodeBatch;   // run() makes the shared call; clear() empties it
//     // Adds this input's rows to `batch`; the slot to scatter from, or nullopt for no output.
//     std::optional<std::size_t> gather(std::span<const float> in, Batch& batch);
//     void scatter(const Batch& batch, std::size_t slot, std::span<float> out);
//     const void* batch_key() const;  // stages with the same key may share one batch
//   };
//
// Contract: process(in, out) gives the same bits as gather, run and scatter on a batch of its
// own, so one stream run alone (Pipeline) and many streams run together (StreamPool) decide
// alike. The stage's own process() stays the single-stream path; the runner that has many
// streams gathers them (runtime/StreamPool.hpp).
#include <concepts>
#include <cstddef>
#include <optional>
#include <span>

#include "core/Stage.hpp"

namespace streamdx {

template <class S>
concept BatchedStage = TransformStage<S> && !DelayingStage<S> &&
                       requires(S s, const S cs, std::span<const float> in, std::span<float> out,
                                typename S::Batch& batch, const typename S::Batch& done) {
  { s.gather(in, batch) } -> std::same_as<std::optional<std::size_t>>;
  { s.scatter(done, std::size_t{}, out) } -> std::same_as<void>;
  { cs.batch_key() } -> std::same_as<const void*>;
  { batch.run() } -> std::same_as<void>;
  { batch.clear() } -> std::same_as<void>;
};

// A stage's batch, type-erased for the runner.
class FrameBatch {
 public:
  virtual ~FrameBatch() = default;
  virtual void run() = 0;    // the shared call, once every member has gathered
  virtual void clear() = 0;  // empty, ready for the next round; keeps its capacity
};

template <class B>
class TypedFrameBatch final : public FrameBatch {
 public:
  void run() override { batch.run(); }
  void clear() override { batch.clear(); }
  B batch;
};

}  // namespace streamdx

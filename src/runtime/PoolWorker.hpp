#pragma once
// PoolWorker: one thread of the stream pool (StreamPool.hpp), with its streams and its batches.
// Internal to the pool: a header of its own so that StreamChain can befriend it.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/StreamPool.hpp"

namespace streamdx {

// The first failure of a run, from whichever worker saw it.
struct PoolFailure {
  std::mutex mutex;
  std::atomic<bool> failed{false};
  std::string node;
  std::string error;

  void record(std::string_view where, std::string_view what);
};

// One thread's streams and their batches. Recording a latency on the hot path is a store into
// a vector reserved before the first tick, never a lookup or an allocation.
class PoolWorker {
 public:
  PoolWorker(const StreamPoolOptions& options, PoolFailure& failure)
      : options_(options), failure_(failure) {}

  void add(std::unique_ptr<StreamChain> chain);
  void warm_up();

  void reserve(std::size_t ticks);

  // Runs ticks start, start + tick, ... before `end` (0: until every stream has ended).
  void run(MonoNs start, MonoNs end, const std::atomic<bool>& stop);
  void report(StreamPoolResult& r) const;

 private:
  struct Waiting {
    std::size_t stream;
    std::size_t node;
    std::size_t slot;
    FrameBatch* batch;
  };

  // Streams have a fixed shape from their source on: each stage is configured once, here.
  static void configure(StreamChain& chain);

  // Sleeps until a paced tick is due; counts it late when it starts over a tick behind.
  MonoNs wait_until(MonoNs tick);
  void take_next_frame(std::size_t s);

  // The recording time of the input `node`'s output describes: `delay` inputs back, or the
  // oldest one seen while the delay fills (as TransformAdapter labels frames).
  static std::int64_t delayed_time(StreamChain::DelayLine& line, std::int64_t t, bool push);

  // Takes `in` from node `from` on until a stage holds it back, a batch gathers it, or it
  // reaches the sink.
  void advance(std::size_t s, std::size_t from, std::span<const float> in, std::int64_t t);
  void deliver(StreamChain& chain, std::span<const float> out, std::int64_t t);

  FrameBatch& batch_for(std::size_t node, const PooledTransform& stage);

  // Runs the waiting streams' batches, earliest chain position first, and takes each waiting
  // stream on from its batch's output (possibly into a later batch).
  void finish_rounds();
  void run_batches(const std::vector<Waiting>& round);

  void end_stream(std::size_t s);

  // Sinks finish after the round that took their last frames through the batches.
  void finish_ended();
  void finish_all(EndReason reason);

  [[nodiscard]] bool all_ended() const;
  void record(std::vector<double>& into, MonoNs t0) const;

  const StreamPoolOptions& options_;
  PoolFailure& failure_;
  std::vector<std::unique_ptr<StreamChain>> streams_;
  std::vector<std::int64_t> times_;  // per stream: the recording time waiting in a batch
  std::map<std::pair<std::size_t, const void*>, std::unique_ptr<FrameBatch>> batches_;
  std::vector<Waiting> waiting_;
  std::vector<Waiting> round_;
  std::vector<FrameBatch*> ran_;
  std::vector<std::size_t> ending_;
  std::vector<std::string> node_names_;
  std::vector<std::vector<double>> node_ms_;
  std::map<std::string, std::vector<double>> batch_ms_;
  std::vector<double> output_ms_;
  std::string_view current_node_;
  MonoNs tick_ = 0;  // the start of the tick now running: outputs' latencies count from it
  bool timing_ = true;
  std::uint64_t frames_ = 0;
  std::uint64_t outputs_ = 0;
  std::uint64_t ticks_ = 0;
  std::uint64_t late_ticks_ = 0;
};

}  // namespace streamdx

#pragma once
// StreamPool: the runner for many streams at once. Each stream is its own instance of a chain
// (source -> transforms -> sink, the same nodes a Pipeline runs, built by the same declaration,
// EegChain.hpp); the pool schedules them on a few workers instead of a thread per stage per
// stream, which does not scale to a thousand beds.
//
// A worker owns a fixed set of streams and runs in ticks (0.1 s: one frame per stream):
//  1. each stream's next source frame goes through its transforms in order;
//  2. a batched stage (core/BatchedStage.hpp) gathers the frame into the worker's batch for that
//     stage instead of processing it alone, and the stream waits there;
//  3. once every stream has had its turn, each batch runs once (one model call for every stream
//     whose epoch ended), and each waiting stream continues from its own output to its sink.
// A stream's frames therefore meet the same stages in the same order as in a Pipeline, and a
// batched stage gives the same bits batched or alone: decisions do not depend on the runner.
// Stages see spans, handed from one stage's buffer to the next (PooledStage.hpp); the sink sees
// a frame whose header is the recording time of the input it describes, through every delay.
//
// Paced runs start tick k at start + k * tick; a worker that overruns starts the next tick at
// once (counted as late) and skips no frame. Unpaced runs go as fast as the streams allow.
//
// Latencies, per worker then merged: each node's time per call under its name, each batch's
// shared call under "<name>_batch", and `output_name` from the start of the tick that brought
// a frame in to the moment its result reached the sink.
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/BatchedStage.hpp"
#include "core/Clock.hpp"
#include "core/Stage.hpp"
#include "runtime/PooledStage.hpp"
#include "runtime/StageLatencies.hpp"

namespace streamdx {

// One stream's chain, as built for the pool: a source stage, transform stages, a sink. Has the
// same transform(Stage) as Pipeline, so the chain declarations (add_eeg_chain) build either.
class StreamChain {
 public:
  // The source must never wait (kNeverWaits: a file, a replay, a generator): a worker serves
  // its streams in turn, and one source that waited would stall the others.
  template <SourceStage S>
  StreamChain& source(S stage) {
    static_assert(
        requires { S::kNeverWaits; }, "a pooled source must never wait");
    return source(std::make_unique<PooledSourceStage<S>>(std::move(stage)));
  }
  template <TransformStage S>
  StreamChain& transform(S stage) {
    return transform(std::make_unique<PooledTransformStage<S>>(std::move(stage)));
  }
  StreamChain& sink(std::unique_ptr<FrameSinkNode> node);
  template <SinkStage S>
  StreamChain& sink(S stage) {
    return sink(std::make_unique<SinkAdapter<S>>(std::move(stage)));
  }
  // Frames taken through the chain before the clock starts, untimed: streams that warm up by
  // different counts reach their epoch boundaries on different ticks.
  StreamChain& warm_up(std::size_t frames) {
    warm_up_frames_ = frames;
    return *this;
  }

 private:
  friend class PoolWorker;
  StreamChain& source(std::unique_ptr<PooledSource> source);
  StreamChain& transform(std::unique_ptr<PooledTransform> node);

  // The recording time of the inputs still inside one node's delay.
  struct DelayLine {
    std::vector<std::int64_t> times;  // a ring of delay + 1
    std::size_t pushed = 0;
  };

  std::unique_ptr<PooledSource> source_;
  std::vector<std::unique_ptr<PooledTransform>> transforms_;
  std::vector<DelayLine> delays_;
  std::unique_ptr<FrameSinkNode> sink_;
  Frame output_;  // what the sink is shown, reused
  std::vector<float> input_;
  std::size_t warm_up_frames_ = 0;
  bool ended_ = false;
};

struct StreamPoolOptions {
  std::size_t workers = 0;             // 0: one per core; never more than streams
  MonoNs tick_ns = 100'000'000;        // one frame per stream per tick
  bool paced = true;                   // false: ticks back to back
  double duration_s = 0;               // > 0: stop after this long; 0: when every source has ended
  std::string output_name = "output";  // the latency name of tick -> sink
  std::stop_token stop;                // stops at the next tick, sinks finished as stopped
  // Called about every 250 ms from the calling thread with the fraction done (timed runs).
  std::function<void(double)> progress;
};

struct StreamPoolResult {
  bool ok = true;
  std::string failed_node;  // empty when ok
  std::string error;
  std::size_t streams = 0;
  std::size_t workers = 0;
  double wall_s = 0;
  double cpu_s = 0;              // the process's CPU time over the same span
  std::uint64_t frames = 0;      // source frames taken after warm-up, all streams
  std::uint64_t outputs = 0;     // frames that reached a sink after warm-up, all streams
  std::uint64_t ticks = 0;       // per worker, summed
  std::uint64_t late_ticks = 0;  // ticks a worker began more than one tick after their time
  StageLatencies latencies;

  // CPU milliseconds per second of one stream (each frame a tick of recording).
  [[nodiscard]] double cpu_ms_per_stream_s(double tick_s = 0.1) const {
    const double stream_s = static_cast<double>(frames) * tick_s;
    return stream_s > 0 ? cpu_s * 1000 / stream_s : 0.0;
  }
};

// Builds stream `stream` on worker `worker` (streams are dealt round-robin): a worker's streams
// run on one thread, so per-thread resources such as a model instance are chosen by `worker`.
using BuildStream = std::function<void(StreamChain& chain, std::size_t stream, std::size_t worker)>;

StreamPoolResult run_stream_pool(std::size_t streams, const BuildStream& build,
                                 const StreamPoolOptions& options);

// The workers a pool of `streams` runs on: `requested`, or one per core for 0; never more than
// the streams.
std::size_t pool_workers(std::size_t requested, std::size_t streams);

}  // namespace streamdx

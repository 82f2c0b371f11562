#pragma once
// RealtimeStreams: many EEG streams at once, each paced at wall-clock speed, through the same
// stages `streamdx run` chains (LfccExtractor, EpochWindows + the seizure model, Postprocessor),
// for `streamdx bench --mode realtime --streams N` and `--find-max`.
//
// A thread per stage per stream does not scale to a thousand beds, so here the streams share a
// few workers (one per core by default). Every 0.1 s tick each worker takes the next frame of
// each of its streams through LFCC and the epoch windows; the streams whose epoch ended go
// through the model together, in one batch (cross-stream batching), then each through its own
// postprocessor. Stream i starts i frames into the 1 s epoch cycle, so a tenth of the streams
// reach the model on each tick instead of all of them on one.
//
// Latency is measured from the tick at which the frame that completed an epoch became
// available to the moment its decision was made. A worker that overruns a tick starts the next
// one at once and the overrun shows in the latencies and as late ticks; no frame is skipped.
#include <cstdint>
#include <memory>
#include <vector>

#include "apps/StageLatencies.hpp"
#include "core/Frame.hpp"
#include "stages/decoder/TorchBackend.hpp"
#include "stages/eeg/Postprocessor.hpp"

namespace streamdx {

struct RealtimeStreamsSettings {
  std::size_t streams = 1;
  double duration_s = 10;   // wall-clock seconds of streaming
  std::size_t workers = 0;  // 0: one per core
};

struct RealtimeStreamsResult {
  std::size_t streams = 0;
  std::size_t workers = 0;
  double wall_s = 0;
  double cpu_s = 0;
  std::uint64_t frames = 0;      // stream frames processed, all streams
  std::uint64_t decisions = 0;   // epoch decisions, all streams
  std::uint64_t ticks = 0;       // per worker, summed
  std::uint64_t late_ticks = 0;  // ticks a worker began more than one tick after their time
  // "decision" (availability of the epoch's last frame -> decision), "lfcc" (one frame of one
  // stream), "model_encode" (one stream's completed epoch, encoded for its windows),
  // "model_batch" (one batched decode of every window due), "postprocess" (one stream's epoch).
  StageLatencies latencies;

  [[nodiscard]] double cpu_ms_per_stream_s() const;
};

// `recording`: the montage frames every stream replays, cyclically (22 x 25 samples at 250 Hz).
// `load_model` is called once per worker: a model instance is not shared between threads.
RealtimeStreamsResult run_realtime_streams(
    const std::vector<Frame>& recording,
    const std::function<std::shared_ptr<SeizureModel>()>& load_model,
    const PostprocessSettings& post, const RealtimeStreamsSettings& settings);

}  // namespace streamdx

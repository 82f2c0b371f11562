#pragma once
// RealtimeStreams: many EEG beds at once, each paced at wall-clock speed, for `streamdx bench
// --mode realtime --streams N` and `--find-max`. Each bed is an instance of the EEG chain
// (EegChain.hpp, the chain `streamdx run` runs) on the stream pool (StreamPool.hpp): the beds
// share a few workers, and on each 0.1 s tick the beds whose epoch ended go through the model
// together, in one batch.
//
// Every bed replays the same acquired recording from its own offset, and warms up by a
// different number of frames, so a tenth of each worker's beds reach the model on each tick
// instead of all of them on one.
//
// Latencies (StreamPool.hpp): each stage's time per call ("lfcc", "encoder", "decoder",
// "postprocess"), the shared model call ("decoder_batch"), and "decision": from the tick at
// which the frame that completed an epoch became available to the moment its decision reached
// the sink.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/Frame.hpp"
#include "runtime/StageLatencies.hpp"
#include "stages/decoder/SeizureModel.hpp"
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

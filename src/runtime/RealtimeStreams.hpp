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
#include "runtime/StreamPool.hpp"
#include "service/RemoteSeizureDecoder.hpp"
#include "stages/decoder/SeizureModel.hpp"
#include "stages/eeg/Postprocessor.hpp"

namespace streamdx {

struct RealtimeStreamsSettings {
  std::size_t streams = 1;
  double duration_s = 10;   // wall-clock seconds of streaming
  std::size_t workers = 0;  // 0: one per core
  // The model calls made by this decoder service (bench --decoder ADDR); null: in process.
  std::shared_ptr<service::DecoderService> service;
};

// Decisions are the pool's outputs (one per stream per epoch).
using RealtimeStreamsResult = StreamPoolResult;

// `recording`: the montage frames every stream replays, cyclically (22 x 25 samples at 250 Hz).
// `load_model` is called once per worker: a model instance is not shared between threads.
RealtimeStreamsResult run_realtime_streams(
    const std::vector<Frame>& recording,
    const std::function<std::shared_ptr<SeizureModel>()>& load_model,
    const PostprocessSettings& post, const RealtimeStreamsSettings& settings);

// Whether a run kept its p99 decision latency within `budget_ms` and its workers on time: a
// worker that keeps starting ticks late (over 1 % of them) is falling behind, whatever the
// percentiles say.
bool within_budget(const RealtimeStreamsResult& r, double budget_ms);

struct StreamSearch {
  std::size_t first = 1;  // the first probe
  std::size_t limit = 65536;
  double budget_ms = 100;
};

// The most streams within budget (0: not even the first probe): doubling from `first` until a
// probe breaks the budget or reaches `limit`, then bisection to within 5 %. `probe(n)` runs n
// streams; `seen` is given every probe's result and verdict, in order.
std::size_t find_max_streams(
    const StreamSearch& search, const std::function<RealtimeStreamsResult(std::size_t)>& probe,
    const std::function<void(std::size_t, RealtimeStreamsResult&&, bool)>& seen);

}  // namespace streamdx

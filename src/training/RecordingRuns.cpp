#include "training/RecordingRuns.hpp"

#include <fmt/format.h>

#include <optional>
#include <span>
#include <stdexcept>

#include "core/CallbackSink.hpp"
#include "core/Pipeline.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "stages/decoder/BackgroundLevel.hpp"
#include "stages/decoder/EpochWindows.hpp"
#include "stages/eeg/TimeStretchedSource.hpp"

namespace streamdx {

namespace {

void run_single_threaded(Pipeline& pipeline, const LabelledRecording& r) {
  const PipelineResult result = pipeline.run();
  if (!result.ok) {
    throw std::runtime_error(
        fmt::format("{}: stage '{}': {}", r.path.string(), result.failed_node, result.error));
  }
}

PipelineOptions one_thread(std::size_t nodes) {
  PipelineOptions o;
  o.thread_of_node.assign(nodes, 0);
  return o;
}

// LFCC feature frames of `source`, on one thread.
std::vector<Frame> lfcc_frames(std::unique_ptr<FrameSourceNode> source,
                               const LabelledRecording& r) {
  std::vector<Frame> frames;
  Pipeline pipeline(one_thread(1 + eeg_chain_nodes(ChainEnd::kFeatures) + 1));
  pipeline.source(std::move(source));
  add_eeg_chain(pipeline, ChainEnd::kFeatures);
  pipeline.sink(CallbackSink([&frames](const Frame& f) { frames.push_back(f); }));
  run_single_threaded(pipeline, r);
  return frames;
}

// The recording's feature frames at each speed in `stretches`. Speed 1 runs acquisition and
// LFCC in one pipeline, as always; any other speed replays the acquired frames, which are read
// from the file once for all of them, through TimeStretchedSource. Stamps are recording time.
std::vector<std::vector<Frame>> feature_frames(const LabelledRecording& r, const Config& config,
                                               std::span<const double> stretches) {
  const Config c = reading_config(r, config);
  std::vector<std::vector<Frame>> out;
  std::optional<std::vector<Frame>> acquired;
  for (const double stretch : stretches) {
    if (stretch == 1.0) {
      out.push_back(lfcc_frames(open_frame_source(r.path.string(), c, false).node, r));
      continue;
    }
    if (!acquired) {
      acquired.emplace();
      Pipeline acquisition(one_thread(2));
      acquisition.source(open_frame_source(r.path.string(), c, false).node);
      acquisition.sink(CallbackSink([&acquired](const Frame& f) { acquired->push_back(f); }));
      run_single_threaded(acquisition, r);
    }
    out.push_back(lfcc_frames(std::make_unique<SourceAdapter<TimeStretchedSource>>(
                                  TimeStretchedSource(*acquired, stretch)),
                              r));
  }
  return out;
}

// Appends the labelled channel-windows of one recording's feature frames. Phase k starts its
// epochs k frames in: where the 1 s grid falls is arbitrary online (it starts with the stream),
// so every phase is a fair training window.
void append_phase_windows(const LabelledRecording& r, const std::vector<Frame>& frames,
                          std::size_t phases, TrainingSet& out) {
  if (frames.empty()) return;
  for (std::size_t k = 0; k < std::min(phases, frames.size()); ++k) {
    EpochWindows windows(frames[0].shape.channels);
    std::int64_t epoch_start_ns = 0;
    std::size_t frame_in_epoch = 0;
    for (std::size_t i = k; i < frames.size(); ++i) {
      if (frame_in_epoch++ == 0) epoch_start_ns = frames[i].first_sample_ns;
      if (!windows.push(frames[i].samples)) continue;
      frame_in_epoch = 0;
      const int label = r.epoch_label(static_cast<double>(epoch_start_ns) / 1e9);
      out.windows.insert(out.windows.end(), windows.windows().begin(), windows.windows().end());
      out.labels.insert(out.labels.end(), windows.channels(), label);
    }
  }
}

}  // namespace

Config reading_config(const LabelledRecording& r, const Config& config) {
  Config c = config;
  if (!r.set.empty() || r.rate_hz > 0) {
    c.set_double("eeg.input_rate_hz", r.set.empty() ? r.rate_hz : kBonnRateHz);
    c.set_string("eeg.montage", "none");
  }
  return c;
}

void append_training_windows(const LabelledRecording& r, const Config& config, TrainingSet& out,
                             const WindowOptions& options) {
  for (std::vector<Frame>& frames : feature_frames(r, config, options.stretches)) {
    if (options.background_relative && !frames.empty()) {
      BackgroundLevel level(frames[0].shape.channels);
      for (Frame& f : frames) level.apply(f.samples);
    }
    append_phase_windows(r, frames, options.phases, out);
  }
}

std::vector<std::vector<float>> decode_recording(const LabelledRecording& r, const Config& config,
                                                 const std::shared_ptr<SeizureModel>& model) {
  const Config c = reading_config(r, config);
  OpenedSource source = open_frame_source(r.path.string(), c, false);
  std::vector<std::vector<float>> p_seiz;
  Pipeline pipeline(one_thread(1 + eeg_chain_nodes(ChainEnd::kPosteriors) + 1));
  pipeline.source(std::move(source.node));
  add_eeg_chain(pipeline, ChainEnd::kPosteriors, {model, {}});
  pipeline.sink(CallbackSink([&](const Frame& f) {
    std::vector<float> epoch(f.shape.channels);
    for (std::size_t ch = 0; ch < epoch.size(); ++ch) epoch[ch] = f.samples[ch * 2];
    p_seiz.push_back(std::move(epoch));
  }));
  run_single_threaded(pipeline, r);
  return p_seiz;
}

}  // namespace streamdx

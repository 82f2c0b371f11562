#include "apps/RealtimeStreams.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "apps/ProcessUsage.hpp"
#include "apps/ProgressBar.hpp"
#include "core/Clock.hpp"
#include "stages/decoder/EpochWindows.hpp"
#include "stages/eeg/LfccExtractor.hpp"
#include "stages/eeg/LfccParameters.hpp"

namespace streamdx {

namespace {

constexpr MonoNs kTickNs = 100'000'000;  // one 0.1 s frame
constexpr double kNsPerMs = 1e6;

double ms_between(MonoNs a, MonoNs b) {
  return static_cast<double>(b - a) / kNsPerMs;
}

// One bed: the per-stream state of every stage.
struct BedStream {
  BedStream(std::size_t channels, SeizureModel& model, const PostprocessSettings& settings)
      : lfcc(channels), windows(channels, model), post(settings) {}
  LfccExtractor lfcc;
  EpochWindows windows;
  Postprocessor post;
  std::size_t recording_offset = 0;  // where in the shared recording this bed replays
};

// Plain vectors, reserved before the first tick: recording a figure on the hot path is a store,
// never a lookup or an allocation. They become StageLatencies when the run is over.
struct WorkerTally {
  std::vector<double> lfcc_ms;
  std::vector<double> model_encode_ms;
  std::vector<double> model_batch_ms;
  std::vector<double> postprocess_ms;
  std::vector<double> decision_ms;
  std::uint64_t frames = 0;
  std::uint64_t decisions = 0;
  std::uint64_t ticks = 0;
  std::uint64_t late_ticks = 0;
};

class Worker {
 public:
  Worker(const std::vector<Frame>& recording, std::shared_ptr<SeizureModel> model,
         std::size_t channels)
      : recording_(recording), model_(std::move(model)), channels_(channels) {}

  void add(std::unique_ptr<BedStream> bed) { beds_.push_back(std::move(bed)); }
  [[nodiscard]] SeizureModel& model() { return *model_; }

  // Runs ticks start, start + 0.1 s, ... before `end`.
  void run(MonoNs start, MonoNs end) {
    const std::size_t feature_values = channels_ * lfcc::kFeatures;
    std::vector<float> features(feature_values);
    std::vector<float> decision(kDecisionFields);
    const auto ticks = static_cast<std::size_t>((end - start + kTickNs - 1) / kTickNs);
    const std::size_t epochs = ticks / decoder::kFramesPerEpoch + 1;
    tally_.lfcc_ms.reserve(ticks * beds_.size());
    tally_.model_encode_ms.reserve(epochs * beds_.size());
    tally_.model_batch_ms.reserve(ticks);
    tally_.postprocess_ms.reserve(epochs * beds_.size());
    tally_.decision_ms.reserve(epochs * beds_.size());
    for (std::uint64_t k = 0;; ++k) {
      const MonoNs tick = start + static_cast<MonoNs>(k) * kTickNs;
      if (tick >= end) break;
      MonoNs now = monotonic_ns();
      if (now < tick) {
        std::this_thread::sleep_for(std::chrono::nanoseconds(tick - now));
      } else if (now - tick > kTickNs) {
        ++tally_.late_ticks;
      }
      ++tally_.ticks;
      batch_.clear();
      members_.clear();
      // One clock read per stream-frame: each reading ends one LFCC call and starts the next.
      MonoNs mark = monotonic_ns();
      for (std::size_t b = 0; b < beds_.size(); ++b) {
        BedStream& bed = *beds_[b];
        const Frame& frame = recording_[(k + bed.recording_offset) % recording_.size()];
        const bool have = bed.lfcc.process(frame.samples, features);
        now = monotonic_ns();
        tally_.lfcc_ms.push_back(ms_between(mark, now));
        mark = now;
        ++tally_.frames;
        if (have && bed.windows.push(features)) {
          // The push that completes an epoch is where the model encodes it.
          tally_.model_encode_ms.push_back(ms_between(mark, monotonic_ns()));
          const auto w = bed.windows.windows();
          batch_.insert(batch_.end(), w.begin(), w.end());
          members_.push_back(b);
          mark = monotonic_ns();
        }
      }
      if (members_.empty()) continue;
      const std::size_t rows = members_.size() * channels_;
      posteriors_.resize(rows * 2);
      const MonoNs m0 = monotonic_ns();
      model_->decode_windows(batch_, rows, posteriors_);
      mark = monotonic_ns();
      tally_.model_batch_ms.push_back(ms_between(m0, mark));
      for (std::size_t i = 0; i < members_.size(); ++i) {
        beds_[members_[i]]->post.process(
            std::span<const float>(posteriors_).subspan(i * channels_ * 2, channels_ * 2),
            decision);
        now = monotonic_ns();
        tally_.postprocess_ms.push_back(ms_between(mark, now));
        tally_.decision_ms.push_back(ms_between(tick, now));
        mark = now;
        ++tally_.decisions;
      }
    }
  }

  [[nodiscard]] const WorkerTally& tally() const { return tally_; }

 private:
  const std::vector<Frame>& recording_;
  std::shared_ptr<SeizureModel> model_;
  std::size_t channels_;
  std::vector<std::unique_ptr<BedStream>> beds_;
  std::vector<float> batch_;
  std::vector<std::size_t> members_;
  std::vector<float> posteriors_;
  WorkerTally tally_;
};

}  // namespace

double RealtimeStreamsResult::cpu_ms_per_stream_s() const {
  const double stream_s = static_cast<double>(frames) * 0.1;
  return stream_s > 0 ? cpu_s * 1000 / stream_s : 0.0;
}

RealtimeStreamsResult run_realtime_streams(
    const std::vector<Frame>& recording,
    const std::function<std::shared_ptr<SeizureModel>()>& load_model,
    const PostprocessSettings& post, const RealtimeStreamsSettings& settings) {
  if (recording.empty()) throw std::invalid_argument("realtime bench: the recording is empty");
  if (settings.streams == 0) throw std::invalid_argument("realtime bench: no streams");
  const std::size_t channels = recording.front().shape.channels;
  const std::size_t workers_n = std::clamp<std::size_t>(
      settings.workers > 0 ? settings.workers : std::thread::hardware_concurrency(), 1,
      settings.streams);
  const StreamInfo frames_in{0, recording.front().shape, recording.front().sample_rate_hz};
  const StreamInfo posteriors_in{0, FrameShape{static_cast<std::uint16_t>(channels), 2}, 1.0};

  std::vector<std::unique_ptr<Worker>> workers;
  for (std::size_t w = 0; w < workers_n; ++w) {
    workers.push_back(std::make_unique<Worker>(recording, load_model(), channels));
  }
  std::vector<float> features(channels * lfcc::kFeatures);
  for (std::size_t s = 0; s < settings.streams; ++s) {
    Worker& worker = *workers[s % workers_n];
    // Encoded by its worker's model: a model instance is used by one thread only.
    auto bed = std::make_unique<BedStream>(channels, worker.model(), post);
    bed->lfcc.configure(frames_in);
    bed->post.configure(posteriors_in);
    // Different beds replay different parts of the recording, and consecutive beds of one
    // worker are one frame apart in their epoch cycles, so each worker's epochs end evenly
    // over the ten ticks of a second, not all on one.
    bed->recording_offset = (s * 97) % recording.size();
    const std::size_t phase = (s / workers_n) % decoder::kFramesPerEpoch;
    for (std::size_t k = 0; k < phase; ++k) {
      const Frame& f =
          recording[(bed->recording_offset + recording.size() - 1 - k) % recording.size()];
      if (bed->lfcc.process(f.samples, features)) (void)bed->windows.push(features);
    }
    worker.add(std::move(bed));
  }

  const double cpu0 = process_cpu_seconds();
  const MonoNs start = monotonic_ns() + kTickNs;
  const MonoNs end = start + static_cast<MonoNs>(settings.duration_s * 1e9);
  {
    std::vector<std::jthread> threads;
    threads.reserve(workers.size());
    std::atomic<std::size_t> running{workers.size()};
    for (auto& w : workers) {
      threads.emplace_back([&w, &running, start, end] {
        w->run(start, end);
        running.fetch_sub(1);
      });
    }
    // Runs last seconds to minutes: say how far along it is.
    ProgressBar progress;
    while (running.load() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      const double done = std::clamp(
          static_cast<double>(monotonic_ns() - start) / static_cast<double>(end - start), 0.0, 1.0);
      progress.update(
          done, fmt::format("{} streams", settings.streams),
          fmt::format("{:.0f} of {:.0f} s", done * settings.duration_s, settings.duration_s),
          false);
    }
    progress.finish();
  }
  RealtimeStreamsResult r;
  r.streams = settings.streams;
  r.workers = workers_n;
  r.wall_s = static_cast<double>(monotonic_ns() - start) / 1e9;
  r.cpu_s = process_cpu_seconds() - cpu0;
  for (const auto& w : workers) {
    const WorkerTally& t = w->tally();
    r.frames += t.frames;
    r.decisions += t.decisions;
    r.ticks += t.ticks;
    r.late_ticks += t.late_ticks;
    r.latencies.add_all("lfcc", t.lfcc_ms);
    r.latencies.add_all("model_encode", t.model_encode_ms);
    r.latencies.add_all("model_batch", t.model_batch_ms);
    r.latencies.add_all("postprocess", t.postprocess_ms);
    r.latencies.add_all("decision", t.decision_ms);
  }
  return r;
}

}  // namespace streamdx

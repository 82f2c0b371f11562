#include "runtime/RealtimeStreams.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <vector>

#include "io/DiscardSink.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/ProgressBar.hpp"
#include "runtime/RecordingReplay.hpp"
#include "runtime/StreamPool.hpp"

namespace streamdx {

RealtimeStreamsResult run_realtime_streams(
    const std::vector<Frame>& recording,
    const std::function<std::shared_ptr<SeizureModel>()>& load_model,
    const PostprocessSettings& post, const RealtimeStreamsSettings& settings) {
  if (recording.empty()) throw std::invalid_argument("realtime bench: the recording is empty");
  if (settings.streams == 0) throw std::invalid_argument("realtime bench: no streams");
  const std::size_t workers = pool_workers(settings.workers, settings.streams);
  std::vector<std::shared_ptr<SeizureModel>> models(workers);  // one per worker thread

  const auto build = [&](StreamChain& chain, std::size_t s, std::size_t w) {
    if (!models[w]) models[w] = load_model();
    // Consecutive beds of one worker are one frame apart in their epoch cycles, and different
    // beds replay different parts of the recording.
    const std::size_t phase = (s / workers) % decoder::kFramesPerEpoch;
    chain.source(RecordingReplay(recording, s * 97));
    add_eeg_chain(chain, ChainEnd::kDecisions, {models[w], post, settings.service});
    chain.sink(DiscardSink{});
    chain.warm_up(phase);
  };

  StreamPoolOptions options;
  options.workers = workers;
  options.duration_s = settings.duration_s;
  options.output_name = "decision";
  ProgressBar progress;  // runs last seconds to minutes: say how far along it is
  options.progress = [&](double done) {
    progress.update(
        done, fmt::format("{} streams", settings.streams),
        fmt::format("{:.0f} of {:.0f} s", done * settings.duration_s, settings.duration_s), false);
  };
  StreamPoolResult pool = run_stream_pool(settings.streams, build, options);
  progress.finish();
  if (!pool.ok) {
    throw std::runtime_error(fmt::format("stage '{}': {}", pool.failed_node, pool.error));
  }

  return pool;
}

bool within_budget(const RealtimeStreamsResult& r, double budget_ms) {
  const auto s = r.latencies.summaries();
  const auto it = s.find("decision");
  return it != s.end() && it->second.p99_ms <= budget_ms &&
         static_cast<double>(r.late_ticks) <= 0.01 * static_cast<double>(r.ticks);
}

std::size_t find_max_streams(
    const StreamSearch& search, const std::function<RealtimeStreamsResult(std::size_t)>& probe,
    const std::function<void(std::size_t, RealtimeStreamsResult&&, bool)>& seen) {
  const auto try_n = [&](std::size_t n) {
    RealtimeStreamsResult r = probe(n);
    const bool ok = within_budget(r, search.budget_ms);
    seen(n, std::move(r), ok);
    return ok;
  };
  std::size_t good = 0;
  std::size_t bad = 0;
  for (std::size_t n = std::min(search.first, search.limit);; n = std::min(2 * n, search.limit)) {
    if (!try_n(n)) {
      bad = n;
      break;
    }
    good = n;
    if (n >= search.limit) break;
  }
  while (bad > 0 && good > 0 && bad - good > std::max<std::size_t>(1, good / 20)) {
    const std::size_t mid = good + (bad - good) / 2;
    (try_n(mid) ? good : bad) = mid;
  }
  return good;
}

}  // namespace streamdx

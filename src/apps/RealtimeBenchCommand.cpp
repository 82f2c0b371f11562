// `streamdx bench --mode realtime --streams N` and `--find-max` (runtime/RealtimeStreams.hpp).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <stop_token>

#include "apps/BenchOptions.hpp"
#include "core/Json.hpp"
#include "gui/BenchPlot.hpp"
#include "io/AtomicFile.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/ProcessUsage.hpp"
#include "runtime/RealtimeStreams.hpp"
#include "stages/eeg/LfccParameters.hpp"

namespace streamdx {

namespace {

// The montage frames of the input, read once: every stream replays them (acquisition itself is
// measured by the throughput mode and bench_acquisition).
std::vector<Frame> acquire_recording(const std::string& from, const Config& config) {
  OpenedSource source = open_frame_source(from, config, false);
  std::vector<Frame> frames;
  const std::stop_source never;
  while (FramePtr f = source.node->next(never.get_token())) frames.push_back(std::move(*f));
  if (frames.empty()) throw std::runtime_error(fmt::format("{}: no frames", from));
  return frames;
}

// The algorithmic delay: how much signal a decision waits for after the end of its epoch.
constexpr double kLookAheadS =
    static_cast<double>(lfcc::kDelayFrames) / 10.0;  // 0.6, not 0.6000000000000001

std::string latency_table(const RealtimeStreamsResult& r) {
  std::string t = "  latency (ms)                 p50      p99    p99.9      max      count\n";
  for (const auto& [name, s] : r.latencies.summaries()) {
    t += fmt::format("  {:<20} {:8.3f} {:8.3f} {:8.3f} {:8.3f} {:10}\n", name, s.p50_ms, s.p99_ms,
                     s.p999_ms, s.max_ms, s.count);
  }
  return t;
}

json::Json result_json(const RealtimeStreamsResult& r) {
  return {{"streams", r.streams},
          {"workers", r.workers},
          {"wall_s", r.wall_s},
          {"frames", r.frames},
          {"decisions", r.outputs},
          {"ticks", r.ticks},
          {"late_ticks", r.late_ticks},
          {"cpu_s", r.cpu_s},
          {"cpu_ms_per_stream_s", r.cpu_ms_per_stream_s()},
          {"latency", r.latencies.json()}};
}

// --find-max's outcome, with what the report and the plot need of every probe.
struct FindMax {
  std::size_t largest = 0;  // within budget; 0: not even the first probe
  RealtimeStreamsResult best;
  std::vector<BenchPlotPoint> probes;
  json::Json probe_json = json::Json::array();
};

FindMax find_max(const BenchOptions& cmd, RealtimeStreamsSettings settings,
                 const std::function<RealtimeStreamsResult(RealtimeStreamsSettings)>& run) {
  FindMax f;
  const StreamSearch search{std::max<std::size_t>(cmd.streams, 1),
                            std::max<std::size_t>(cmd.max_streams, 1), cmd.budget_ms};
  f.largest = find_max_streams(
      search,
      [&](std::size_t n) {
        settings.streams = n;
        return run(settings);
      },
      [&](std::size_t n, RealtimeStreamsResult&& r, bool ok) {
        const auto all = r.latencies.summaries();
        const auto found = all.find("decision");
        if (found == all.end()) {
          throw std::runtime_error(
              fmt::format("bench: {} streams made no decision in {} s", n, cmd.seconds));
        }
        const auto& s = found->second;
        std::fprintf(
            stdout,
            "  probe %6zu streams: decision p50 %7.2f ms, p99 %8.2f ms, late ticks %llu -> %s\n", n,
            s.p50_ms, s.p99_ms, static_cast<unsigned long long>(r.late_ticks),
            ok ? "within budget" : "over budget");
        std::fflush(stdout);
        f.probes.push_back(BenchPlotPoint{static_cast<double>(n), s.p50_ms, s.p99_ms, ok});
        f.probe_json.push_back(result_json(r));
        if (ok) f.best = std::move(r);
      });
  return f;
}

void print_summary(const RealtimeStreamsResult& shown, std::size_t channels,
                   const std::string& input) {
  const double stream_s = static_cast<double>(shown.frames) * 0.1;
  const std::string table = fmt::format(
      "streamdx bench --mode realtime: {} streams x {} channels at wall-clock pace, input {}\n"
      "  run          {:.1f} s wall, {} worker threads, {:.0f} stream-seconds, {} decisions\n"
      "  late ticks   {} of {} (a worker that began a 0.1 s tick more than 0.1 s late)\n"
      "  drops        0 (no queue between stages: a worker behind shows as late ticks and "
      "latency)\n"
      "  CPU          {:.2f} s = {:.3f} ms per stream-second\n"
      "  peak RSS     {:.0f} MB\n"
      "  algorithmic  a decision is made {:.1f} s of signal after its epoch ends (LFCC "
      "look-ahead);\n"
      "               `decision` below is the compute latency from the frame that completed it\n",
      shown.streams, channels, input, shown.wall_s, shown.workers, stream_s, shown.outputs,
      shown.late_ticks, shown.ticks, shown.cpu_s, shown.cpu_ms_per_stream_s(), peak_rss_mb(),
      kLookAheadS);
  std::fputs((table + latency_table(shown)).c_str(), stdout);
}

}  // namespace

int run_realtime_bench(const BenchOptions& cmd, Config& config) {
  // The first decision needs 1 s of epoch and 0.6 s of look-ahead, and the staggered streams
  // up to 0.9 s more: shorter runs would measure start-up, not the steady state.
  constexpr double kShortestRunS = 3;
  if (cmd.seconds < kShortestRunS) {
    throw std::runtime_error(
        fmt::format("bench: --seconds {} is too short for a real-time run; give at least {:.0f}",
                    cmd.seconds, kShortestRunS));
  }
  apply_source_options(cmd.source, config);
  const std::vector<Frame> recording = acquire_recording(cmd.source.from, config);
  const std::size_t channels = recording.front().shape.channels;
  const PostprocessSettings post = postprocess_settings(config);
  const auto load = [&] { return load_seizure_model(config); };
  const std::string input =
      fmt::format("{}{}", cmd.source.from, cmd.source.from == "sim" ? " (SYNTHETIC)" : "");
  RealtimeStreamsSettings settings;
  settings.duration_s = cmd.seconds;
  settings.workers = cmd.workers;
  if (!cmd.decoder.empty()) {
    config.set_string("decoder.service", cmd.decoder);
    const auto model_path = resolve_model_path(config.get_string("decoder.model"));
    settings.service = decoder_service(config, *load(), sha256_file(model_path));
  }

  json::Json figures = {{"mode", "realtime"},
                        {"input", cmd.source.from},
                        {"synthetic", cmd.source.from == "sim"},
                        {"channels", channels},
                        {"algorithmic_delay_s", kLookAheadS}};
  std::vector<BenchPlotPoint> probes;
  RealtimeStreamsResult shown;
  if (!cmd.find_max) {
    settings.streams = cmd.streams;
    shown = run_realtime_streams(recording, load, post, settings);
  } else {
    std::fprintf(stdout,
                 "streamdx bench --find-max: p99 decision latency budget %.0f ms, %.0f s per "
                 "probe, input %s\n",
                 cmd.budget_ms, cmd.seconds, input.c_str());
    FindMax f = find_max(cmd, settings, [&](const RealtimeStreamsSettings& s) {
      return run_realtime_streams(recording, load, post, s);
    });
    if (f.largest == 0) {
      std::fprintf(stdout, "  even %zu stream(s) exceed the budget\n",
                   std::max<std::size_t>(cmd.streams, 1));
    } else {
      std::fprintf(stdout, "  largest within budget: %zu streams\n", f.largest);
    }
    shown = std::move(f.best);
    probes = std::move(f.probes);
    figures["find_max"] = {{"budget_ms", cmd.budget_ms},
                           {"largest_within_budget", f.largest},
                           {"probes", std::move(f.probe_json)}};
  }

  if (shown.streams > 0) print_summary(shown, channels, input);
  if (settings.service) {
    const auto& c = settings.service->counters;
    figures["decoder_service"] = {
        {"address", cmd.decoder},        {"server", settings.service->hello},
        {"requests", c.requests.load()}, {"resent", c.resent.load()},
        {"busy", c.busy.load()},         {"duplicates", c.duplicates.load()}};
    log_service_counters(*settings.service);
  }
  if (!cmd.json.empty()) {
    figures["peak_rss_mb"] = peak_rss_mb();
    figures["result"] = shown.streams > 0 ? result_json(shown) : json::Json();
    write_file_atomically(cmd.json, json::text(figures));
  }
  if (!cmd.plot.empty()) {
    if (cmd.find_max) {
      write_scaling_plot(cmd.plot, probes, cmd.budget_ms);
    } else {
      write_latency_plot(
          cmd.plot, shown.latencies.samples(),
          fmt::format("{} real-time streams x {} channels", shown.streams, channels));
    }
  }
  return 0;
}

}  // namespace streamdx

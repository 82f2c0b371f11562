#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "apps/BenchOptions.hpp"
#include "apps/CommandLine.hpp"
#include "core/Json.hpp"
#include "gui/BenchPlot.hpp"
#include "io/AtomicFile.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/PipelineRun.hpp"
#include "runtime/ProcessUsage.hpp"
#include "runtime/StageLatencies.hpp"
#include "stages/eeg/Postprocessor.hpp"

namespace streamdx {

namespace {

// What the benchmark reports from the decision frames; outlives the pipeline.
struct BenchFigures {
  std::size_t decisions_ = 0;
  double first_decision_s_ = 0;  // recording time of the first decided epoch's start
  StageLatencies latencies_;
};

class BenchSink final : public FrameSinkNode {
 public:
  explicit BenchSink(std::shared_ptr<BenchFigures> figures) : figures_(std::move(figures)) {}
  [[nodiscard]] std::string_view name() const override { return "bench"; }
  void consume(const Frame& frame) override {
    if (figures_->decisions_++ == 0) {
      figures_->first_decision_s_ = static_cast<double>(frame.first_sample_ns) / 1e9;
    }
    figures_->latencies_.record(frame);
  }
  void finish(EndReason /*reason*/) override {}

 private:
  std::shared_ptr<BenchFigures> figures_;
};

// Passes the source's frames through, noting their channel count: a frame file or a ZeroMQ
// stream names no channels before its first frame.
class ChannelCountingSource final : public FrameSourceNode {
 public:
  ChannelCountingSource(std::unique_ptr<FrameSourceNode> inner, std::size_t& channels)
      : inner_(std::move(inner)), channels_(channels) {}
  [[nodiscard]] std::string_view name() const override { return inner_->name(); }
  FramePtr next(const std::stop_token& stop) override {
    FramePtr frame = inner_->next(stop);
    if (frame) channels_ = frame->shape.channels;
    return frame;
  }
  [[nodiscard]] bool never_waits() const override { return inner_->never_waits(); }

 private:
  std::unique_ptr<FrameSourceNode> inner_;
  std::size_t& channels_;
};

}  // namespace

int run_throughput_bench(const BenchOptions& cmd, Config& config) {
  apply_source_options(cmd.source, config);
  const std::shared_ptr<SeizureModel> model = load_seizure_model(config);
  const PostprocessSettings post = postprocess_settings(config);
  auto sink = std::make_shared<BenchFigures>();
  const std::string threads = config.get_string("pipeline.threads");
  std::size_t channels = 0;
  PipelineResult result;
  const double cpu_before = process_cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = run_pipeline(
      config, 1 + eeg_chain_nodes(ChainEnd::kDecisions) + 1,
      [&](Pipeline& pipeline) {
        OpenedSource source = open_frame_source(cmd.source.from, config, cmd.source.realtime);
        pipeline.source(std::make_unique<ChannelCountingSource>(std::move(source.node), channels));
        add_eeg_chain(pipeline, ChainEnd::kDecisions, {model, post});
        pipeline.sink(std::make_unique<BenchSink>(sink));
        return fmt::format("(1 s decisions) from {}, benchmarked", cmd.source.from);
      },
      &result);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = process_cpu_seconds() - cpu_before;
  if (rc != 0) return rc;

  const double stream_s = static_cast<double>(result.frames_from_source) * 0.1;
  std::uint64_t drops = 0;
  for (const EdgeStats& e : result.edges) drops += e.dropped;
  const auto lat = sink->latencies_.summaries();
  std::string table = fmt::format(
      "streamdx bench: one stream as fast as possible, input {}{}\n"
      "  stream     {:.1f} s, {} channels, {} frames, {} decisions\n"
      "  pipeline   {} engine, threads {}\n"
      "  wall       {:.3f} s = {:.1f}x real time (model loaded before the clock started)\n"
      "  CPU        {:.3f} s = {:.2f} ms per stream-second\n"
      "  peak RSS   {:.0f} MB\n  drops      {}\n"
      "  first decision covers the epoch starting at {:.1f} s of the recording\n"
      "  latency between stage stamps (ms)      p50      p99    p99.9      max\n",
      cmd.source.from, cmd.source.from == "sim" ? " (SYNTHETIC)" : "", stream_s, channels,
      result.frames_from_source, sink->decisions_, model->engine(), threads, wall,
      wall > 0 ? stream_s / wall : 0.0, cpu, stream_s > 0 ? cpu * 1000 / stream_s : 0.0,
      peak_rss_mb(), drops, sink->first_decision_s_);
  for (const auto& [name, s] : lat) {
    table += fmt::format("  {:<36} {:8.3f} {:8.3f} {:8.3f} {:8.3f}\n", name, s.p50_ms, s.p99_ms,
                         s.p999_ms, s.max_ms);
  }
  std::fputs(table.c_str(), stdout);
  if (!cmd.json.empty()) {
    const json::Json figures = {{"mode", "throughput"},
                                {"input", cmd.source.from},
                                {"synthetic", cmd.source.from == "sim"},
                                {"stream_s", stream_s},
                                {"channels", channels},
                                {"frames", result.frames_from_source},
                                {"decisions", sink->decisions_},
                                {"engine", model->engine()},
                                {"threads", threads},
                                {"wall_s", wall},
                                {"realtime_multiple", wall > 0 ? stream_s / wall : 0.0},
                                {"cpu_s", cpu},
                                {"cpu_ms_per_stream_s", stream_s > 0 ? cpu * 1000 / stream_s : 0.0},
                                {"peak_rss_mb", peak_rss_mb()},
                                {"drops", drops},
                                {"latency", sink->latencies_.json()}};
    write_file_atomically(cmd.json, json::text(figures));
  }
  if (!cmd.plot.empty()) {
    write_latency_plot(cmd.plot, sink->latencies_.samples(),
                       fmt::format("one stream as fast as possible, {}", cmd.source.from));
  }
  return 0;
}

namespace {

class BenchCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("INPUT", o_.source.from, cli::kSourceHelp)->capture_default_str();
    cmd.add_option("--mode", o_.mode,
                   "throughput: one stream as fast as possible; realtime: --streams N streams "
                   "at once, each paced at wall-clock speed")
        ->check(CLI::IsMember({"throughput", "realtime"}))
        ->capture_default_str();
    cmd.add_option("--streams", o_.streams, "realtime: concurrent streams")->capture_default_str();
    cmd.add_flag("--find-max", o_.find_max,
                 "realtime: search for the most streams whose p99 decision latency stays within "
                 "--budget-ms");
    cmd.add_option("--budget-ms", o_.budget_ms, "p99 decision latency budget")
        ->capture_default_str();
    cmd.add_option("--seconds", o_.seconds,
                   "realtime: wall-clock seconds per run (per probe with --find-max)")
        ->capture_default_str();
    cmd.add_option("--workers", o_.workers, "realtime: worker threads (0: one per core)")
        ->capture_default_str();
    cmd.add_option("--max-streams", o_.max_streams, "--find-max searches no further")
        ->capture_default_str();
    cmd.add_option("--json", o_.json, "also write the figures to this JSON file");
    cmd.add_option("--plot", o_.plot,
                   "also draw them (PNG): latency CDF per stage; latency against streams for "
                   "--find-max");
    cli::add_source_options(cmd, o_.source);
    config_.add_to(cmd);
  }
  int run() override {
    Config config = config_.load();
    return o_.mode == "realtime" || o_.find_max ? run_realtime_bench(o_, config)
                                                : run_throughput_bench(o_, config);
  }

 private:
  BenchOptions o_;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<BenchCli> kRegistered{
    {"bench",
     "Headless benchmark: one stream (default the built-in SYNTHETIC demo) through acquisition, "
     "LFCC, the model and the postprocessor as fast as possible: multiple of real time, CPU per "
     "stream-second, peak memory, drops, per-stage latency percentiles; or many streams at "
     "wall-clock pace (--mode realtime, --find-max)",
     70}};

}  // namespace

}  // namespace streamdx

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "apps/BenchOptions.hpp"
#include "apps/CommandLine.hpp"
#include "core/Json.hpp"
#include "gui/BenchPlot.hpp"
#include "io/AtomicFile.hpp"
#include "runtime/EprLatencyBench.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/ProcessUsage.hpp"
#include "runtime/ThroughputBench.hpp"
#include "training/EegCorpus.hpp"

namespace streamdx {

namespace {

void print_throughput(const BenchOptions& cmd, const ThroughputBenchResult& r,
                      const std::string& engine, const std::string& threads) {
  const double stream_s = r.stream_s();
  std::string table = fmt::format(
      "streamdx bench: one stream as fast as possible, input {}{}\n"
      "  stream     {:.1f} s, {} channels, {} frames, {} decisions\n"
      "  pipeline   {} engine, threads {}\n"
      "  wall       {:.3f} s = {:.1f}x real time (model loaded before the clock started)\n"
      "  CPU        {:.3f} s = {:.2f} ms per stream-second\n"
      "  peak RSS   {:.0f} MB\n  drops      {}\n"
      "  first decision covers the epoch starting at {:.1f} s of the recording\n"
      "  latency between stage stamps (ms)      p50      p99    p99.9      max\n",
      cmd.source.from, cmd.source.from == "sim" ? " (SYNTHETIC)" : "", stream_s, r.channels,
      r.pipeline.frames_from_source, r.decisions, engine, threads, r.wall_s,
      r.wall_s > 0 ? stream_s / r.wall_s : 0.0, r.cpu_s,
      stream_s > 0 ? r.cpu_s * 1000 / stream_s : 0.0, peak_rss_mb(), r.drops, r.first_decision_s);
  for (const auto& [name, s] : r.latencies.summaries()) {
    table += fmt::format("  {:<36} {:8.3f} {:8.3f} {:8.3f} {:8.3f}\n", name, s.p50_ms, s.p99_ms,
                         s.p999_ms, s.max_ms);
  }
  std::fputs(table.c_str(), stdout);
}

json::Json throughput_json(const BenchOptions& cmd, const ThroughputBenchResult& r,
                           const std::string& engine, const std::string& threads) {
  const double stream_s = r.stream_s();
  return {{"mode", "throughput"},
          {"input", cmd.source.from},
          {"synthetic", cmd.source.from == "sim"},
          {"stream_s", stream_s},
          {"channels", r.channels},
          {"frames", r.pipeline.frames_from_source},
          {"decisions", r.decisions},
          {"engine", engine},
          {"threads", threads},
          {"wall_s", r.wall_s},
          {"realtime_multiple", r.wall_s > 0 ? stream_s / r.wall_s : 0.0},
          {"cpu_s", r.cpu_s},
          {"cpu_ms_per_stream_s", stream_s > 0 ? r.cpu_s * 1000 / stream_s : 0.0},
          {"peak_rss_mb", peak_rss_mb()},
          {"drops", r.drops},
          {"latency", r.latencies.json()}};
}

}  // namespace

int run_throughput_bench(const BenchOptions& cmd, Config& config) {
  apply_source_options(cmd.source, config);
  const std::shared_ptr<SeizureModel> model = load_seizure_model(config);
  const std::string threads = config.get_string("pipeline.threads");
  const ThroughputBenchResult r =
      measure_throughput(cmd.source.from, cmd.source.realtime, config, model);
  if (r.exit_code != 0) return r.exit_code;
  print_throughput(cmd, r, model->engine(), threads);
  if (!cmd.json.empty()) {
    write_file_atomically(cmd.json, json::text(throughput_json(cmd, r, model->engine(), threads)));
  }
  if (!cmd.plot.empty()) {
    write_latency_plot(cmd.plot, r.latencies.samples(),
                       fmt::format("one stream as fast as possible, {}", cmd.source.from));
  }
  return 0;
}

int run_epr_bench(const BenchOptions& cmd, const Config& config) {
  EprInput input{cmd.source.from, cmd.epr_reference, cmd.epr_fgrad, cmd.epr_interval_s};
  if (input.spec == "sim") {
    const auto dir = default_data_root() / "epr" / "phalanx-2d";
    input.spec = (dir / "phalanx-20220203-proj.DSC").string();
    input.reference = (dir / "phalanx-20220203-h.DSC").string();
    input.fgrad = (dir / "phalanx-20220203-fgrad.txt").string();
  }
  const EprRunSettings settings = epr_run_settings(config);
  const EprLatencyBenchResult r = measure_epr_latency(input, settings, config);
  if (r.exit_code != 0) return r.exit_code;
  std::fputs(epr_latency_table(input, settings, r).c_str(), stdout);
  if (!cmd.json.empty()) {
    write_file_atomically(cmd.json, json::text(epr_latency_json(input, settings, r)));
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
    cmd.add_option("--decoder", o_.decoder,
                   "realtime: make the model calls on this decoder service (streamdx serve)");
    cmd.add_option("--json", o_.json, "also write the figures to this JSON file");
    cmd.add_option("--plot", o_.plot,
                   "also draw them (PNG): latency CDF per stage; latency against streams for "
                   "--find-max");
    cmd.add_flag("--epr", o_.epr,
                 "the live EPR pipeline instead: update latency over a paced replay (INPUT: "
                 "projections, BES3T .DSC; default the phalanx data under STREAMDX_DATA)");
    cmd.add_option("--reference", o_.epr_reference, "--epr: the reference spectrum, BES3T .DSC");
    cmd.add_option("--fgrad", o_.epr_fgrad, "--epr: the gradient vectors (as epr run)");
    cmd.add_option("--interval", o_.epr_interval_s, "--epr: seconds between projections")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 3600.0));
    cli::add_source_options(cmd, o_.source);
    config_.add_to(cmd);
  }
  int run() override {
    Config config = config_.load();
    if (o_.epr) return run_epr_bench(o_, config);
    const bool realtime = o_.mode == "realtime" || o_.find_max;
    if (!realtime && !o_.decoder.empty()) {
      throw std::invalid_argument(
          "bench --decoder measures a service under real-time load: add --mode realtime "
          "(--streams N) or --find-max");
    }
    return realtime ? run_realtime_bench(o_, config) : run_throughput_bench(o_, config);
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

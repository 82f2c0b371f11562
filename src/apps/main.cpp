// streamdx: the command-line entry point. Parses the command line (CLI11, only in this file),
// builds the effective Config, and hands over to one command.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "apps/Commands.hpp"
#include "apps/EprCli.hpp"
#include "core/Config.hpp"
#include "core/Log.hpp"
#include "gui/GuiApp.hpp"

namespace {

struct CommonOptions {
  std::string config_file;
  std::vector<std::string> overrides;
  std::string log_level;
};

void add_common_options(CLI::App& cmd, CommonOptions& common) {
  cmd.add_option("--config", common.config_file, "TOML file merged over configs/default.toml")
      ->check(CLI::ExistingFile);
  cmd.add_option("--set", common.overrides, "Override one key: section.key=value (repeatable)");
  cmd.add_option("--log-level", common.log_level,
                 "trace, debug, info, warn, error, critical or off (default: log.level)");
}

constexpr const char* kSourceHelp =
    "sim | - (stdin) | FILE.edf/.bdf | FILE.csv/.txt/.raw | FILE.sdxf | ZeroMQ endpoint "
    "(connects unless '@')";

void add_source_options(CLI::App& cmd, streamdx::SourceOptions& source) {
  cmd.add_flag("--realtime", source.realtime, "Replay at wall-clock speed");
  cmd.add_option("--seed", source.seed, "simulate.seed");
  cmd.add_option("--duration", source.duration_s, "simulate.duration_s (seconds)");
  cmd.add_option(
      "--threads", source.threads,
      "per-stage, single, or a thread number per stage, e.g. 0,0,1,1,1 (pipeline.threads)");
  cmd.add_option("--montage", source.montage, "auto, tcp22, tcp20 or none (eeg.montage)");
  cmd.add_option("--rate", source.input_rate_hz,
                 "sample rate of text input, Hz (eeg.input_rate_hz)");
}

streamdx::Config build_config(const CommonOptions& common) {
  streamdx::Config config;
  if (!common.config_file.empty()) config.merge_file(common.config_file);
  for (const std::string& o : common.overrides) config.set(o);
  if (!common.log_level.empty()) config.set_string("log.level", common.log_level);
  streamdx::init_logging(config.get_string("log.level"));
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  streamdx::init_logging("info");  // errors found while reading the config must reach stderr too
  CLI::App app{"streamdx: real-time EEG seizure detection and EPR deconvolution, streaming"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(streamdx::version_string()));

  CommonOptions common;

  auto* version = app.add_subcommand("version", "Print the version and the features of this build");
  bool version_json = false;
  version->add_flag("--json", version_json, "As JSON");

  auto* config_cmd = app.add_subcommand("config", "Print the effective configuration as TOML");
  add_common_options(*config_cmd, common);

  streamdx::StreamCommand stream;
  auto* stream_cmd =
      app.add_subcommand("stream",
                         "Move frames from a source to a sink through the streaming core "
                         "(one side of a multi-process pipeline, or a capture/replay tool)");
  stream_cmd->add_option("--from", stream.source.from, kSourceHelp)->capture_default_str();
  stream_cmd
      ->add_option("--to", stream.to,
                   "null | FILE.edf | FILE.npy | FILE.sdxf | ZeroMQ endpoint (binds unless '>')")
      ->required();
  stream_cmd->add_flag("--preprocess", stream.preprocess,
                       "Treat a ZeroMQ input as raw acquisition: montage, 250 Hz, 0.1 s frames");
  add_source_options(*stream_cmd, stream.source);
  add_common_options(*stream_cmd, common);

  streamdx::FeaturesCommand features;
  auto* features_cmd = app.add_subcommand(
      "features",
      "Compute the 26 LFCC features per channel every 0.1 s (docs/FEATURES.md) and save them "
      "as OUT.npy (frames x channels x 26) with a JSON sidecar (OUT.json)");
  features_cmd->add_option("INPUT", features.source.from, kSourceHelp)->required();
  features_cmd
      ->add_option("-o,--output", features.output,
                   "FILE.npy | null | FILE.sdxf | ZeroMQ endpoint (binds unless '>')")
      ->required();
  add_source_options(*features_cmd, features.source);
  add_common_options(*features_cmd, common);

  streamdx::RunCommand run;
  auto* run_cmd = app.add_subcommand(
      "run",
      "Detect seizures: INPUT (a recording, - for stdin, a ZeroMQ endpoint; default: the "
      "built-in SYNTHETIC demo) through acquisition, LFCC, the model and the postprocessor, "
      "into OUTDIR: signal file (EDF+), HYP, TSE, csv_bi and run.json");
  run_cmd->add_option("INPUT", run.source.from, kSourceHelp)->capture_default_str();
  run_cmd->add_option("-o,--out", run.out_dir, "output directory")->capture_default_str();
  run_cmd->add_option("--model", run.model, "TorchScript model (default decoder.model)");
  run_cmd->add_option("--name", run.name,
                      "the recording's name: output file names and csv_bi bname (default: from "
                      "INPUT)");
  run_cmd->add_option("--display", run.display,
                      "publish the signal and decisions for viewers on this ZeroMQ endpoint "
                      "(docs/PROTOCOL.md, display feed), e.g. @tcp://127.0.0.1:5600");
  run_cmd->add_flag("--gui", run.gui,
                    "open the live viewer on the run (implies --realtime; the viewer stays "
                    "open after the run ends)");
  run_cmd->add_option("--wait-viewer", run.wait_viewer_s,
                      "wait this many seconds for a viewer to subscribe before starting "
                      "(default 10 with --gui, else 0)");
  add_source_options(*run_cmd, run.source);
  add_common_options(*run_cmd, common);

  streamdx::GuiOptions gui;
  std::vector<std::string> replay;
  auto* gui_cmd = app.add_subcommand(
      "gui",
      "The Qt viewer: --connect ADDR shows a running pipeline live (`streamdx run --display "
      "ADDR`); --replay SIGNAL.edf HYP shows a finished run from its files");
  auto* connect_opt =
      gui_cmd->add_option("--connect", gui.connect, "the display feed, e.g. tcp://127.0.0.1:5600");
  gui_cmd->add_option("--replay", replay, "SIGNAL.edf HYP: a finished run's signal and HYP files")
      ->expected(2)
      ->excludes(connect_opt);
  gui_cmd->add_option("--span", gui.span_s, "seconds shown (10, 30, 60; replay also 5-600)")
      ->capture_default_str();
  gui_cmd->add_option("--gain", gui.uv_per_div, "µV per division")->capture_default_str();
  gui_cmd->add_option("--at", gui.at_s, "replay: start the view here (seconds)");
  gui_cmd->add_option("--event", gui.event, "replay: open on the Nth seizure event");
  gui_cmd->add_option("--screenshot", gui.screenshot, "save the window as PNG, then quit");
  gui_cmd->add_option("--screenshot-after", gui.screenshot_after_s,
                      "seconds to wait before the screenshot (live)");
  gui_cmd->add_option("--stats", gui.stats,
                      "live: write the feed counters (received, dropped for display) here on exit");

  streamdx::BenchCommand bench;
  auto* bench_cmd = app.add_subcommand(
      "bench",
      "Headless benchmark: one stream (default the built-in SYNTHETIC demo) through "
      "acquisition, LFCC, the model and the postprocessor as fast as possible: multiple of real "
      "time, CPU per stream-second, peak memory, drops, per-stage latency percentiles");
  bench_cmd->add_option("INPUT", bench.source.from, kSourceHelp)->capture_default_str();
  bench_cmd
      ->add_option("--mode", bench.mode,
                   "throughput: one stream as fast as possible; realtime: --streams N "
                   "streams at once, each paced at wall-clock speed")
      ->check(CLI::IsMember({"throughput", "realtime"}))
      ->capture_default_str();
  bench_cmd->add_option("--streams", bench.streams, "realtime: concurrent streams")
      ->capture_default_str();
  bench_cmd->add_flag("--find-max", bench.find_max,
                      "realtime: search for the most streams whose p99 decision latency stays "
                      "within --budget-ms");
  bench_cmd->add_option("--budget-ms", bench.budget_ms, "p99 decision latency budget")
      ->capture_default_str();
  bench_cmd
      ->add_option("--seconds", bench.seconds,
                   "realtime: wall-clock seconds per run (per probe with --find-max)")
      ->capture_default_str();
  bench_cmd->add_option("--workers", bench.workers, "realtime: worker threads (0: one per core)")
      ->capture_default_str();
  bench_cmd->add_option("--max-streams", bench.max_streams, "--find-max searches no further")
      ->capture_default_str();
  bench_cmd->add_option("--json", bench.json, "also write the figures to this JSON file");
  bench_cmd->add_option("--plot", bench.plot,
                        "also draw them (PNG): latency CDF per stage; latency against streams "
                        "for --find-max");
  add_source_options(*bench_cmd, bench.source);
  add_common_options(*bench_cmd, common);

  streamdx::TrainCommand train;
  auto* train_cmd = app.add_subcommand(
      "train",
      "Train the channel-LSTM seizure model with LibTorch on the Bonn split (default) or a "
      "TUSZ-layout corpus, through the same acquisition and LFCC code as `run`; writes OUT.pt "
      "and its model card OUT.json/OUT.md. Ctrl-C saves a checkpoint for --resume");
  train_cmd->add_option("--bonn", train.bonn, "Bonn data root (default STREAMDX_DATA/eeg/bonn)");
  train_cmd->add_option("--corpus", train.corpus,
                        "a tree of EDF recordings with .csv_bi labels (TUSZ layout) instead");
  train_cmd->add_option("-o,--out", train.out, "output path without extension")
      ->capture_default_str();
  train_cmd
      ->add_option("--train-segments", train.train_segments,
                   "Bonn: use segments 1..N of every set (the last quarter validates)")
      ->capture_default_str();
  train_cmd->add_option("--normalization", train.options.normalization, "fixed, window or absolute")
      ->capture_default_str();
  train_cmd
      ->add_option("--gain-augment-db", train.options.gain_augment_db,
                   "random gain of each training window, +- dB")
      ->capture_default_str();
  train_cmd->add_flag("--compare", train.compare,
                      "also train the other normalisation alike and report it in the card");
  train_cmd->add_flag("--refit", train.refit,
                      "after early stopping, retrain on training + validation data for the best "
                      "epoch count and ship that model");
  train_cmd
      ->add_option("--folds", train.folds,
                   "K > 1: choose the epoch count by K-fold cross-validation over the training "
                   "recordings, then train on all of them")
      ->capture_default_str();
  train_cmd
      ->add_option("--phases", train.phases,
                   "training windows at this many 0.1 s shifts of the epoch grid (1-10)")
      ->capture_default_str();
  train_cmd
      ->add_option("--stretch-augment", train.stretch_augment_percent,
                   "P > 0: also train on every recording read at 1+P/100 and 1/(1+P/100) speed, "
                   "its rhythms that much faster and slower (0-50; 0 turns it off)")
      ->capture_default_str();
  train_cmd->add_option("--hidden", train.options.hidden, "LSTM units")->capture_default_str();
  train_cmd->add_option("--dropout", train.options.dropout)->capture_default_str();
  train_cmd->add_option("--lr", train.options.learning_rate)->capture_default_str();
  train_cmd->add_option("--weight-decay", train.options.weight_decay)->capture_default_str();
  train_cmd->add_option("--batch", train.options.batch)->capture_default_str();
  train_cmd->add_option("--epochs", train.options.max_epochs, "at most")->capture_default_str();
  train_cmd->add_option("--patience", train.options.patience, "early-stopping patience, epochs")
      ->capture_default_str();
  train_cmd->add_option("--seed", train.options.seed)->capture_default_str();
  train_cmd
      ->add_option("--torch-threads", train.options.threads,
                   "LibTorch threads (1: bit-identical weights)")
      ->capture_default_str();
  train_cmd->add_option("--resume", train.resume, "continue from this checkpoint");
  add_common_options(*train_cmd, common);

  streamdx::EvaluateCommand evaluate;
  auto* evaluate_cmd = app.add_subcommand(
      "evaluate",
      "Segment-level accuracy, sensitivity, specificity and AUROC of a model on the Bonn test "
      "split (A+B+C+D vs E, and A vs E), as JSON");
  evaluate_cmd->add_option("--model", evaluate.model, "TorchScript model (default decoder.model)");
  evaluate_cmd->add_option("--bonn", evaluate.bonn,
                           "Bonn data root (default STREAMDX_DATA/eeg/bonn)");
  evaluate_cmd->add_option("--first", evaluate.first, "first segment")->capture_default_str();
  evaluate_cmd->add_option("--last", evaluate.last, "last segment")->capture_default_str();
  evaluate_cmd->add_option("--decisions", evaluate.decisions,
                           "write every segment's score and decision to this JSON file");
  add_common_options(*evaluate_cmd, common);

  streamdx::ScoreCommand score;
  auto* score_cmd = app.add_subcommand(
      "score",
      "Score seizure detections: OVLP, TAES and SzCORE (sensitivity, precision, F1, false "
      "alarms per 24 h) and onset latency, from csv_bi files or lists of them paired by order");
  score_cmd->add_option("REF", score.ref, "reference csv_bi, or a list of them")->required();
  score_cmd->add_option("HYP", score.hyp, "hypothesis csv_bi, or a list of them")->required();
  score_cmd->add_flag("--json", score.json, "as JSON");

  streamdx::StitchCommand stitch;
  auto* stitch_cmd = app.add_subcommand(
      "stitch",
      "Write a long test recording stitched from Bonn segments (background from sets A-D, "
      "seizures from E, 0.5 s cross-fades) as EDF+ with its csv_bi reference");
  stitch_cmd->add_option("-o,--out", stitch.out, "OUT.edf (OUT.csv_bi and OUT.json beside it)")
      ->required();
  stitch_cmd->add_option("--bonn", stitch.bonn, "Bonn data root (default STREAMDX_DATA/eeg/bonn)");
  stitch_cmd->add_option("--first", stitch.first, "first segment")->capture_default_str();
  stitch_cmd->add_option("--last", stitch.last, "last segment")->capture_default_str();
  stitch_cmd->add_option("--seed", stitch.seed)->capture_default_str();
  stitch_cmd->add_option("--channels", stitch.channels, "each draws its own segments")
      ->capture_default_str();
  stitch_cmd
      ->add_option("--seizure-channels", stitch.seizure_channels,
                   "channels carrying set E during an event, the rest set D (0: all)")
      ->capture_default_str();
  stitch_cmd->add_option("--events", stitch.events)->capture_default_str();
  stitch_cmd->add_option("--background", stitch.background_s, "seconds of background, at least")
      ->capture_default_str();

  std::string inspect_path;
  auto* inspect_cmd = app.add_subcommand(
      "inspect",
      "Print what streamdx sees in a recording as JSON: header, channels kept and "
      "dropped, montage, rates, duration, annotations");
  inspect_cmd->add_option("FILE", inspect_path, "EDF, EDF+ or BDF file")->required();
  std::string inspect_montage;
  inspect_cmd->add_option("--montage", inspect_montage, "auto, tcp22, tcp20 or none (eeg.montage)");
  add_common_options(*inspect_cmd, common);

  const streamdx::EprCli epr(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2, like most Unix tools
  }

  try {
    if (version->parsed()) return streamdx::run_version_command(version_json);
    if (score_cmd->parsed()) return streamdx::run_score_command(score);
    if (gui_cmd->parsed()) {
      if (replay.size() == 2) {
        gui.replay_signal = replay[0];
        gui.replay_hyp = replay[1];
      }
      return streamdx::run_gui(gui);
    }
    if (stitch_cmd->parsed()) return streamdx::run_stitch_command(stitch);
    if (epr.parsed()) return epr.run();
    streamdx::Config config = build_config(common);
    if (config_cmd->parsed()) {
      std::fputs(config.to_toml().c_str(), stdout);
      std::fputc('\n', stdout);
      return 0;
    }
    if (stream_cmd->parsed()) return streamdx::run_stream_command(stream, config);
    if (features_cmd->parsed()) return streamdx::run_features_command(features, config);
    if (train_cmd->parsed()) return streamdx::run_train_command(train, config);
    if (run_cmd->parsed()) return streamdx::run_run_command(run, config);
    if (bench_cmd->parsed()) {
      return bench.mode == "realtime" || bench.find_max
                 ? streamdx::run_realtime_bench(bench, config)
                 : streamdx::run_bench_command(bench, config);
    }
    if (evaluate_cmd->parsed()) return streamdx::run_evaluate_command(evaluate, config);
    if (inspect_cmd->parsed()) {
      if (!inspect_montage.empty()) config.set_string("eeg.montage", inspect_montage);
      return streamdx::run_inspect_command(inspect_path, config);
    }
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    std::fflush(stderr);
    return 1;
  }
  return 2;
}

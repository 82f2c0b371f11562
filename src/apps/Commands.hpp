#pragma once
// The commands of the streamdx binary, one function each, free of command-line parsing so that
// they read like plain code and can be called from tests.
#include <optional>
#include <string>
#include <string_view>

#include "core/Config.hpp"
#include "stages/decoder/TorchBackend.hpp"

namespace streamdx {

std::string_view version_string();

int run_version_command(bool as_json);

// Where frames come from, and the options every reading command shares.
struct SourceOptions {
  std::string from = "sim";
  bool realtime = false;
  std::optional<std::int64_t> seed;
  std::optional<double> duration_s;
  std::optional<std::string> threads;
  std::optional<std::string> montage;
  std::optional<double> input_rate_hz;
};

// Writes the options that were given into their config keys (flags override the config file).
void apply_source_options(const SourceOptions& source, Config& config);

struct StreamCommand {
  SourceOptions source;
  std::string to;
  bool preprocess = false;
};

int run_stream_command(const StreamCommand& cmd, Config& config);

// EEG in, LFCC features out: OUTPUT.npy (frames x channels x 26) with its JSON sidecar, or any
// frame sink (null, .sdxf, a ZeroMQ endpoint).
struct FeaturesCommand {
  SourceOptions source;
  std::string output;
};

int run_features_command(const FeaturesCommand& cmd, Config& config);

// The main job: a recording (or the built-in synthetic demo) in; the signal file, HYP, TSE,
// csv_bi and run.json out, in one directory.
struct RunCommand {
  SourceOptions source;
  std::string out_dir = "streamdx-run";
  std::string model;    // default decoder.model
  std::string name;     // the recording's name in the outputs (default: from INPUT)
  std::string display;  // publish the display feed here (docs/PROTOCOL.md)
  bool gui = false;     // start the live viewer on an ipc display feed
  std::optional<double> wait_viewer_s;
};

int run_run_command(const RunCommand& cmd, Config& config);

// Headless benchmark. throughput: one stream through every detection stage as fast as
// possible. realtime: `streams` streams at once, each at wall-clock pace, for `seconds`.
// find_max: the most real-time streams whose p99 decision latency stays within `budget_ms`.
struct BenchCommand {
  SourceOptions source;
  std::string mode = "throughput";  // or "realtime"
  std::size_t streams = 1;
  bool find_max = false;
  double budget_ms = 100;
  double seconds = 10;      // realtime: wall-clock seconds per run (per probe with find_max)
  std::size_t workers = 0;  // realtime: worker threads (0: one per core)
  std::size_t max_streams = 65536;  // find_max: search no further
  std::string json;                 // also write the figures here
  std::string plot;                 // and draw them here (PNG)
};

int run_bench_command(const BenchCommand& cmd, Config& config);
int run_realtime_bench(const BenchCommand& cmd, Config& config);

// Trains the channel LSTM on the Bonn split (default) or a TUSZ-layout corpus; writes OUT.pt
// and its model card OUT.json / OUT.md.
struct TrainCommand {
  std::string bonn;    // Bonn root; default STREAMDX_DATA/eeg/bonn
  std::string corpus;  // a TUSZ-layout tree of .edf + .csv_bi instead
  std::string out = "models/seizure-lstm";
  // Bonn: segments 1..N train (with --folds 1, the last quarter of them validates).
  int train_segments = 80;
  bool compare = false;  // also train the other normalisation, and report it in the card
  // Then train again on training + validation windows for the best epoch count, and ship that.
  bool refit = false;
  // K > 1: K-fold cross-validation over the training recordings chooses the epoch count, then
  // the model trains on all of them (apps/CrossValidation.hpp).
  int folds = 4;
  // Training windows at this many 0.1 s shifts of the 1 s epoch grid (1: the grid only).
  std::size_t phases = 10;
  // P > 0: the training windows also come from every training recording read at 1 + P/100 and
  // 1/(1 + P/100) speed (TimeStretchedSource.hpp); validation windows are never stretched.
  // Off by default: 15 won the cross-validation but flags stationary rhythms (models/README.md).
  double stretch_augment_percent = 0;
  std::string resume;  // a checkpoint to continue from
  TrainingOptions options;
};

int run_train_command(const TrainCommand& cmd, Config& config);

// Segment-level metrics of a model on Bonn segments (the test split 081-100 by default).
struct EvaluateCommand {
  std::string model;  // default decoder.model
  std::string bonn;
  int first = 81;
  int last = 100;
  std::string decisions;  // optional JSON file of per-segment scores and decisions
};

int run_evaluate_command(const EvaluateCommand& cmd, Config& config);

// Scores hypothesis csv_bi files against references (files, or lists paired by order).
struct ScoreCommand {
  std::string ref;
  std::string hyp;
  bool json = false;
};

int run_score_command(const ScoreCommand& cmd);

// A long test recording stitched from Bonn segments (apps/BonnStitcher.hpp).
struct StitchCommand {
  std::string bonn;
  std::string out;
  int first = 81;
  int last = 100;
  std::uint64_t seed = 1;
  std::size_t channels = 1;
  std::size_t seizure_channels = 0;
  std::size_t events = 3;
  double background_s = 600;
};

int run_stitch_command(const StitchCommand& cmd);

int run_inspect_command(const std::string& path, Config& config);

}  // namespace streamdx

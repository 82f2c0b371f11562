#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "apps/CommandLine.hpp"
#include "core/Json.hpp"
#include "core/SpawnSelf.hpp"
#include "core/Version.hpp"
#include "io/DisplayTap.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/PipelineRun.hpp"
#include "runtime/RunOutputs.hpp"

namespace streamdx {

namespace {

// The main job: a recording (or the built-in synthetic demo) in; the signal file, HYP, TSE,
// csv_bi and run.json out, in one directory.
struct RunCommand {
  SourceOptions source;
  std::string out_dir = "streamdx-run";
  std::string model;    // default decoder.model
  std::string name;     // the recording's name in the outputs (default: from INPUT)
  std::string display;  // publish the display feed here (docs/PROTOCOL.md)
  std::string decoder;  // a decoder service instead of the in-process model call
  bool gui = false;     // start the live viewer on an ipc display feed
  std::optional<double> wait_viewer_s;
};

}  // namespace

namespace {

std::string recording_name(const std::string& from) {
  if (from == "sim") return "synthetic-demo";
  if (from == "-") return "stdin";
  const std::string stem = std::filesystem::path(from).stem().string();
  return stem.empty() || from.find("://") != std::string::npos ? "stream" : stem;
}

// Messages queued per viewer before the feed drops (and counts) instead: ~1 s of signal.
constexpr int kDisplayHighWaterMark = 10;

// Starts `streamdx gui --connect ADDRESS` beside this run. It outlives the run on purpose: the
// person watching closes it. Its messages go to `log`, so that it never holds this run's
// stdout or stderr open (a pipe reading them would otherwise wait for the viewer).
void spawn_viewer(const std::string& address, const std::filesystem::path& log) {
  const pid_t pid = spawn_self({"streamdx", "gui", "--connect", address}, log, "the viewer");
  spdlog::info("viewer started (pid {}) on {}; its log: {}", pid, address, log.string());
}

// The display feed, when asked for: --display ENDPOINT, or an ipc endpoint of its own for --gui.
std::shared_ptr<DisplayPublisher> open_display(const RunCommand& cmd, const Config& config) {
  std::string spec = cmd.display;
  if (spec.empty() && cmd.gui) {
    const char* dir = std::getenv("XDG_RUNTIME_DIR");  // NOLINT(concurrency-mt-unsafe)
    spec = fmt::format("@ipc://{}/streamdx-display-{}", dir != nullptr ? dir : "/tmp", getpid());
  }
  if (spec.empty()) return nullptr;
  // --display takes the [zmq] CURVE keys as every edge does (a viewer connects with
  // zmq.curve_server_key); the --gui feed is an ipc socket of this user's, plain.
  auto publisher = std::make_shared<DisplayPublisher>(
      cmd.display.empty() ? ZmqEndpoint::parse(spec, ZmqRole::kBind, false)
                          : zmq_endpoint(spec, ZmqRole::kBind, config),
      kDisplayHighWaterMark);
  spdlog::info("display feed on {} (view it: streamdx gui --connect {})", publisher->address(),
               publisher->address());
  if (cmd.gui)
    spawn_viewer(publisher->address(), std::filesystem::path(cmd.out_dir) / "viewer.log");
  const double wait_s = cmd.wait_viewer_s.value_or(cmd.gui ? 10.0 : 0.0);
  if (wait_s > 0 && !publisher->wait_for_subscriber(wait_s)) {
    spdlog::warn("no viewer subscribed to {} within {:.0f} s; running without one",
                 publisher->address(), wait_s);
  }
  return publisher;
}

// This run's outputs replace any of the same name from an earlier run at once, so that a run
// that fails to start cannot leave the earlier run's complete-looking files behind.
void remove_earlier_outputs(const std::filesystem::path& out_dir, const std::string& bname) {
  for (const std::string& f :
       {bname + ".edf", bname + ".hyp", bname + ".tse", bname + ".csv_bi",
        bname + ".hyp.epochs.part", std::string("run.json"), std::string("viewer.log")}) {
    std::error_code ignored;
    std::filesystem::remove(out_dir / f, ignored);
  }
}

// A folder this run made and left empty (it failed before writing anything) goes again.
struct CreatedFolder {
  std::filesystem::path path;
  bool created = false;
  ~CreatedFolder() {
    std::error_code ignored;
    if (created && std::filesystem::is_empty(path, ignored)) std::filesystem::remove(path, ignored);
  }
};

// What the sink writes beside the detections: the run's provenance and its run.json.
struct ModelProvenance {
  const std::filesystem::path& path;
  const std::string& sha256;
  const SeizureModel& model;
};

RunDescription describe_run(const RunCommand& cmd, const Config& config, const OpenedSource& source,
                            const ModelProvenance& m) {
  const bool synthetic = cmd.source.from == "sim";
  RunDescription d;
  d.known_duration_s = source.duration_s;
  d.input_seconds = source.input_seconds;
  if (synthetic) {
    d.comments.emplace_back(
        "SYNTHETIC: the built-in simulated recording (streamdx simulate), not real EEG");
    d.known_duration_s = config.get_double("simulate.duration_s");
  }
  for (std::string& c : provenance_comments(m.path, m.sha256)) d.comments.push_back(std::move(c));
  d.run_json = {
      {"format", "streamdx run 1"},
      {"streamdx_version", version_string()},
      {"git", git_describe()},
      {"input", cmd.source.from},
      {"synthetic", synthetic},
      {"simulate_seed", synthetic ? json::Json(config.get_int("simulate.seed")) : json::Json()},
      {"model",
       {{"file", m.path.string()},
        {"sha256", m.sha256},
        {"device", m.model.device()},
        {"engine", m.model.engine()}}},
      {"channels", source.channel_labels.size()},
      {"channels_used", source.channel_labels},
      {"channels_missing", source.missing_channels},
      {"config", config.to_toml()}};
  return d;
}

}  // namespace

int run_run_command(const RunCommand& cmd, Config& config) {
  SourceOptions source_options = cmd.source;
  source_options.realtime = cmd.source.realtime || cmd.gui;  // a viewer wants wall-clock pace
  apply_source_options(source_options, config);
  refuse_endless_simulation_into_files(source_options, config, true);
  const bool synthetic = cmd.source.from == "sim";
  const std::filesystem::path out_dir(cmd.out_dir);
  // Settings and the input are checked before anything heavy loads: a typo fails at once.
  const PostprocessSettings post = postprocess_settings(config);
  check_source_readable(cmd.source.from);
  const std::filesystem::path model_path =
      resolve_model_path(cmd.model.empty() ? config.get_string("decoder.model") : cmd.model);
  // Loaded (and warmed up) before any stage runs: a bad model fails here, not mid-stream.
  const std::shared_ptr<SeizureModel> model = load_seizure_model(config, model_path.string());
  const std::string model_sha = sha256_file(model_path);
  if (!cmd.decoder.empty()) config.set_string("decoder.service", cmd.decoder);
  const std::shared_ptr<service::DecoderService> service =
      decoder_service(config, *model, model_sha);
  const std::string bname = cmd.name.empty() ? recording_name(cmd.source.from) : cmd.name;
  const CreatedFolder folder{out_dir, std::filesystem::create_directories(out_dir)};
  remove_earlier_outputs(out_dir, bname);
  auto counters = std::make_shared<RunCounters>();
  const std::shared_ptr<DisplayPublisher> display = open_display(cmd, config);

  const int rc = run_pipeline(
      config, 2 + eeg_chain_nodes(ChainEnd::kDecisions) + 1 + (display ? 2 : 0),
      [&](Pipeline& pipeline) {
        OpenedSource source = open_frame_source(cmd.source.from, config, source_options.realtime);
        RunDescription d = describe_run(cmd, config, source, {model_path, model_sha, *model});
        d.out_dir = out_dir;
        d.bname = bname;
        const std::string equipment =
            synthetic ? "streamdx SYNTHETIC demo" : fmt::format("streamdx {}", version_string());
        const std::filesystem::path signal = out_dir / (d.bname + ".edf");
        pipeline.source(std::move(source.node));
        auto tap = std::make_unique<SignalTap>(signal, source.channel_labels, equipment, counters);
        tap->set_start(source.start.value_or(RecordingStart{}));
        tap->set_input_annotations(source.annotations);
        pipeline.transform(std::move(tap));
        if (display) {
          pipeline.transform(std::make_unique<DisplayTap>(display, display::Topic::kSignal,
                                                          source.channel_labels));
        }
        add_eeg_chain(pipeline, ChainEnd::kDecisions, {model, post, service});
        if (display) {
          pipeline.transform(std::make_unique<DisplayTap>(display, display::Topic::kDecision));
        }
        pipeline.sink(std::make_unique<DetectionSink>(std::move(d), counters));
        return fmt::format("(1 s epochs) from {} into {}", cmd.source.from, out_dir.string());
      });
  if (service) log_service_counters(*service);
  if (display && display->dropped() > 0) {
    spdlog::info(
        "display feed: {} messages sent, {} dropped because a viewer was behind "
        "(the detections are unaffected)",
        display->sent(), display->dropped());
  }
  return rc;
}

namespace {

class RunCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("INPUT", o_.source.from, cli::kSourceHelp)->capture_default_str();
    cmd.add_option("-o,--out", o_.out_dir, "output directory")->capture_default_str();
    cmd.add_option("--model", o_.model, "TorchScript model (default decoder.model)");
    cmd.add_option("--name", o_.name,
                   "the recording's name: output file names and csv_bi bname (default: from "
                   "INPUT)");
    cmd.add_option("--display", o_.display,
                   "publish the signal and decisions for viewers on this ZeroMQ endpoint "
                   "(docs/PROTOCOL.md, display feed), e.g. @tcp://127.0.0.1:5600");
    cmd.add_option("--decoder", o_.decoder,
                   "make the model calls on this decoder service (streamdx serve), e.g. "
                   "tcp://127.0.0.1:5555 (decoder.service)");
    cmd.add_flag("--gui", o_.gui,
                 "open the live viewer on the run (implies --realtime; the viewer stays open "
                 "after the run ends)");
    cmd.add_option("--wait-viewer", o_.wait_viewer_s,
                   "wait this many seconds for a viewer to subscribe before starting (default 10 "
                   "with --gui, else 0)");
    cli::add_source_options(cmd, o_.source);
    config_.add_to(cmd);
  }
  int run() override {
    Config config = config_.load();
    return run_run_command(o_, config);
  }

 private:
  RunCommand o_;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<RunCli> kRegistered{
    {"run",
     "Detect seizures: INPUT (a recording, - for stdin, a ZeroMQ endpoint; default: the "
     "built-in SYNTHETIC demo) through acquisition, LFCC, the model and the postprocessor, into "
     "OUTDIR: signal file (EDF+), HYP, TSE, csv_bi and run.json",
     50}};

}  // namespace

}  // namespace streamdx

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "apps/CommandLine.hpp"
#include "core/Json.hpp"
#include "core/Log.hpp"
#include "io/AtomicFile.hpp"
#include "runtime/ModelLoading.hpp"
#include "training/BonnEvaluation.hpp"
#include "training/CorpusEvaluation.hpp"
#include "training/DemoCheck.hpp"
#include "training/DemoRhythmSweep.hpp"

namespace streamdx {

namespace {

// Segment-level metrics of a model on Bonn segments (the test split 081-100 by default).
struct EvaluateCommand {
  std::string model;  // default decoder.model
  std::string bonn;
  int first = 81;
  int last = 100;
  std::string decisions;  // optional JSON file of per-segment scores and decisions
  std::string corpus;     // an annotated corpus instead of Bonn (training/CorpusEvaluation.hpp)
};

// `--corpus DIR`: OVLP, TAES, SzCORE and EPOCH over every annotated recording below DIR.
int run_corpus_evaluation(const EvaluateCommand& cmd, Config& config) {
  const auto recordings = annotated_corpus(cmd.corpus);
  if (recordings.empty()) {
    throw std::runtime_error(fmt::format(
        "{}: no recording with seizure annotations streamdx reads (csv_bi, CHB-MIT summary, "
        "Siena list, SeizeIT _a1.tsv, BIDS _events.tsv)",
        cmd.corpus));
  }
  const std::string model_spec = cmd.model.empty() ? config.get_string("decoder.model") : cmd.model;
  const auto model_path = resolve_model_path(model_spec);
  const auto model = load_seizure_model(config, model_path.string());
  json::Json out = {
      {"model", model_path.string()}, {"sha256", sha256_file(model_path)}, {"corpus", cmd.corpus}};
  json::Json scores = evaluate_corpus(recordings, config, model);
  const bool failures = !scores["failed"].empty();
  for (auto it = scores.begin(); it != scores.end(); ++it) out[it.key()] = *it;
  std::fputs(json::text(out).c_str(), stdout);
  if (failures) {
    spdlog::error("{} of {} recordings could not be scored (\"failed\" above)",
                  out["failed"].size(), recordings.size());
    return 1;
  }
  return 0;
}

}  // namespace

int run_evaluate_command(const EvaluateCommand& cmd, Config& config) {
  if (!cmd.corpus.empty()) return run_corpus_evaluation(cmd, config);
  const std::filesystem::path root =
      cmd.bonn.empty() ? default_data_root() / "eeg" / "bonn" : std::filesystem::path(cmd.bonn);
  if (cmd.first < 1 || cmd.last > 100 || cmd.first > cmd.last) {
    throw std::invalid_argument("--segments must be FIRST-LAST within 1-100");
  }
  const auto segments = bonn_segments(root, "ABCDE", cmd.first, cmd.last);
  const std::string model_spec = cmd.model.empty() ? config.get_string("decoder.model") : cmd.model;
  const auto model_path = resolve_model_path(model_spec);
  const auto model = load_seizure_model(config, model_path.string());

  // The demo first, as in the trainer: a model that misses it is no candidate, whatever the
  // segment figures say.
  const DemoCheck demo = run_demo_check(config, model);
  const DemoRhythmSweep rhythms = run_demo_rhythm_sweep(config, model, demo);
  std::vector<SegmentScore> scores;
  {
    const QuietLogs quiet;  // one montage line per segment otherwise
    scores = score_segments(segments, config, model);
  }

  const json::Json out = {{"model", model_path.string()},
                          {"sha256", sha256_file(model_path)},
                          {"device", model->device()},
                          {"engine", model->engine()},
                          {"data", root.string()},
                          {"segments", fmt::format("{:03}-{:03}", cmd.first, cmd.last)},
                          {"metrics", bonn_metrics_json(scores)},
                          {"demo", demo.json()},
                          {"demo_rhythms", rhythms.json()}};
  std::fputs(json::text(out).c_str(), stdout);
  if (!cmd.decisions.empty()) {
    json::Json decisions = json::Json::array();
    for (const SegmentScore& s : scores) {
      decisions.push_back({{"file", s.segment.path.filename().string()},
                           {"set", s.segment.set},
                           {"segment", s.segment.segment},
                           {"epochs", s.epochs},
                           {"score", json::rounded(s.score, 6)},
                           {"seizure", s.decision()}});
    }
    write_file_atomically(cmd.decisions, json::text(decisions));
  }
  return 0;
}

namespace {

class EvaluateCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("--model", o_.model, "TorchScript model (default decoder.model)");
    cmd.add_option("--bonn", o_.bonn, "Bonn data root (default STREAMDX_DATA/eeg/bonn)");
    cmd.add_option("--first", o_.first, "first segment")->capture_default_str();
    cmd.add_option("--last", o_.last, "last segment")->capture_default_str();
    cmd.add_option("--corpus", o_.corpus,
                   "score every annotated recording below this folder instead (TUSZ csv_bi, "
                   "CHB-MIT, Siena, SeizeIT, BIDS): OVLP, TAES, SzCORE, EPOCH, pooled and per "
                   "recording");
    cmd.add_option("--decisions", o_.decisions,
                   "write every segment's score and decision to this JSON file");
    config_.add_to(cmd);
  }
  int run() override {
    Config config = config_.load();
    return run_evaluate_command(o_, config);
  }

 private:
  EvaluateCommand o_;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<EvaluateCli> kRegistered{
    {"evaluate",
     "Segment-level accuracy, sensitivity, specificity and AUROC of a model on the Bonn test "
     "split (A+B+C+D vs E, and A vs E), or event scores on any annotated corpus (--corpus), as "
     "JSON",
     90}};

}  // namespace

}  // namespace streamdx

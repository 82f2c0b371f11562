#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <optional>

#include "apps/BonnEvaluation.hpp"
#include "apps/Commands.hpp"
#include "apps/ModelCard.hpp"
#include "apps/ModelLoading.hpp"
#include "apps/ProgressBar.hpp"
#include "apps/RecordingRuns.hpp"
#include "apps/TrainingKernels.hpp"
#include "core/Log.hpp"
#include "core/SignalStop.hpp"

namespace streamdx {

namespace {

TrainingSet collect(const std::vector<LabelledRecording>& recordings, const Config& config,
                    const std::string& what, std::size_t phases) {
  TrainingSet set;
  ProgressBar bar;
  for (std::size_t i = 0; i < recordings.size(); ++i) {
    append_training_windows(recordings[i], config, set, phases);
    bar.update(static_cast<double>(i + 1) / static_cast<double>(recordings.size()),
               fmt::format("reading {} {}/{}", what, i + 1, recordings.size()),
               fmt::format("{} windows", set.count()), i + 1 == recordings.size());
  }
  bar.finish();
  return set;
}

std::size_t seizure_windows(const TrainingSet& s) {
  std::size_t n = 0;
  for (const auto l : s.labels) n += l == 1 ? 1U : 0U;
  return n;
}

struct TrainedModel {
  TrainingReport report;
  std::optional<TrainingReport> selection;  // the early-stopping run a refit took its epochs from
  std::filesystem::path file;
  std::string test_metrics_json;        // Bonn only
  std::string validation_metrics_json;  // Bonn only
};

TrainedModel train_one(TorchBackend& torch, const TrainingSet& train, const TrainingSet& validation,
                       TrainingOptions options, const std::filesystem::path& file,
                       const std::atomic<bool>& stop) {
  options.model_path = file.string();
  options.checkpoint_path = file.string() + ".ckpt";
  ProgressBar bar;
  TrainedModel t;
  t.file = file;
  t.report = torch.train(
      train, validation, options,
      [&](const TrainingProgress& p) {
        const double done = (static_cast<double>(p.epoch - 1) +
                             static_cast<double>(p.batch) / static_cast<double>(p.batches)) /
                            static_cast<double>(p.max_epochs);
        bar.update(done, fmt::format("epoch {}/{}", p.epoch, p.max_epochs),
                   fmt::format("loss {:.4f}", p.loss), p.batch == p.batches);
      },
      [&] { return stop.load(); });
  bar.finish();
  return t;
}

// Early stopping on the validation windows; with `refit`, training again on both sets for the
// best epoch count, which becomes the model.
TrainedModel train_selected(TorchBackend& torch, const TrainingSet& train,
                            const TrainingSet& validation, const TrainingOptions& options,
                            const std::filesystem::path& file, bool refit,
                            const std::atomic<bool>& stop) {
  TrainedModel selected = train_one(torch, train, validation, options, file, stop);
  if (!refit || selected.report.stopped || selected.report.best_epoch == 0) return selected;
  TrainingSet all = train;
  all.windows.insert(all.windows.end(), validation.windows.begin(), validation.windows.end());
  all.labels.insert(all.labels.end(), validation.labels.begin(), validation.labels.end());
  TrainingOptions again = options;
  again.resume_path.clear();
  again.max_epochs = selected.report.best_epoch;
  again.keep_last = true;
  TrainedModel final_model = train_one(torch, all, validation, again, file, stop);
  final_model.selection = selected.report;
  return final_model;
}

}  // namespace

int run_train_command(const TrainCommand& cmd, Config& config) {
  const bool bonn = cmd.corpus.empty();
  std::vector<LabelledRecording> train_recs;
  std::vector<LabelledRecording> validation_recs;
  std::string data;
  std::filesystem::path bonn_root;
  if (cmd.phases < 1 || cmd.phases > 10) throw std::invalid_argument("--phases must be 1 to 10");
  if (bonn) {
    bonn_root =
        cmd.bonn.empty() ? default_data_root() / "eeg" / "bonn" : std::filesystem::path(cmd.bonn);
    if (cmd.train_segments < 4 || cmd.train_segments > 80) {
      throw std::invalid_argument("--train-segments must be 4 to 80 (81-100 are the test split)");
    }
    const int validation_first = cmd.train_segments * 3 / 4 + 1;
    train_recs = bonn_segments(bonn_root, "ABCDE", 1, validation_first - 1);
    validation_recs = bonn_segments(bonn_root, "ABCDE", validation_first, cmd.train_segments);
    data = fmt::format(
        "Bonn ({}): sets A-E; seizure = E; train segments 001-{:03}, validation {:03}-{:03}, "
        "test 081-100 (never used to choose anything)",
        bonn_root.string(), validation_first - 1, validation_first, cmd.train_segments);
  } else {
    TuszCorpus corpus = tusz_corpus(cmd.corpus);
    train_recs = std::move(corpus.train);
    validation_recs = std::move(corpus.validation);
    data = fmt::format("TUSZ-layout corpus ({}): {} recordings train, {} validate (every fifth)",
                       cmd.corpus, train_recs.size(), validation_recs.size());
  }
  if (cmd.phases > 1) {
    data += fmt::format("; training windows at {} shifts (0.1 s apart) of the 1 s epoch grid",
                        cmd.phases);
  }
  spdlog::info("training data: {}", data);
  {
    TrainingSet train;
    TrainingSet validation;
    {
      const QuietLogs quiet;  // every recording's montage; the summary below is what matters
      train = collect(train_recs, config, "train", cmd.phases);
      validation = collect(validation_recs, config, "validation", 1);
    }
    spdlog::info("{} training windows ({} seizure), {} validation windows ({} seizure)",
                 train.count(), seizure_windows(train), validation.count(),
                 seizure_windows(validation));

    std::atomic<bool> stop{false};
    SignalStop signals([&stop](int) { stop = true; });
    // Before LibTorch loads: its kernels and OpenBLAS's are chosen then (TrainingKernels.hpp).
    const std::string kernels = pin_training_cpu_kernels();
    spdlog::info("CPU kernels: {}", kernels);
    TorchBackend& torch = torch_backend();
    const std::filesystem::path out(cmd.out);
    if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());

    TrainingOptions options = cmd.options;
    options.resume_path = cmd.resume;
    std::vector<TrainedModel> models;
    models.push_back(
        train_selected(torch, train, validation, options, out.string() + ".pt", cmd.refit, stop));
    if (cmd.compare && !models.back().report.stopped) {
      TrainingOptions alt = options;
      alt.resume_path.clear();
      alt.normalization = options.normalization == "fixed" ? "window" : "fixed";
      models.push_back(train_selected(torch, train, validation, alt,
                                      out.string() + "-" + alt.normalization + ".pt", cmd.refit,
                                      stop));
    }
    for (const TrainedModel& m : models) {
      if (m.report.stopped) {
        spdlog::warn("stopped: checkpoint {}.ckpt; continue with --resume {}.ckpt", m.file.string(),
                     m.file.string());
        return 130;
      }
    }

    for (TrainedModel& m : models) {
      std::filesystem::remove(m.file.string() + ".ckpt");
      if (!bonn) continue;
      config.set_string("decoder.device", "cpu");
      const auto model = load_seizure_model(config, m.file.string());
      m.validation_metrics_json = bonn_metrics_json(score_segments(validation_recs, config, model));
      m.test_metrics_json = bonn_metrics_json(
          score_segments(bonn_segments(bonn_root, "ABCDE", 81, 100), config, model));
      spdlog::info("{}: test split {}", m.file.string(), m.test_metrics_json);
    }

    ModelCard card;
    card.model_file = models[0].file;
    card.data = data;
    card.options = options;
    card.report = models[0].report;
    card.selection = models[0].selection;
    card.training_windows = train.count();
    card.validation_windows = validation.count();
    card.test_metrics_json = models[0].test_metrics_json;
    card.validation_metrics_json = models[0].validation_metrics_json;
    card.torch_version = torch.version();
    card.cpu_kernels = kernels;
    for (std::size_t i = 1; i < models.size(); ++i) {
      card.comparisons.push_back(ComparisonEntry{models[i].file, models[i].report,
                                                 models[i].test_metrics_json,
                                                 models[i].validation_metrics_json});
    }
    write_model_card(card);
    spdlog::info("model {} (best epoch {} of {}), card {}", card.model_file.string(),
                 card.report.best_epoch, card.report.history.size(),
                 model_card_path(card.model_file, ".md").string());
  }
  return 0;
}

}  // namespace streamdx

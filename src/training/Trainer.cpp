#include "training/Trainer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <span>

#include "core/Log.hpp"
#include "core/SignalStop.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/ProgressBar.hpp"
#include "training/ModelCard.hpp"
#include "training/ModelFitting.hpp"
#include "training/RecordingRuns.hpp"
#include "training/TrainingKernels.hpp"

namespace streamdx {

namespace {

// Stops early (with what it has) once `stop` is set.
TrainingSet collect(const std::vector<LabelledRecording>& recordings, const Config& config,
                    const std::string& what, const WindowOptions& options,
                    const std::atomic<bool>& stop) {
  TrainingSet set;
  ProgressBar bar;
  for (std::size_t i = 0; i < recordings.size() && !stop.load(); ++i) {
    append_training_windows(recordings[i], config, set, options);
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

// Every window the plan asks for, read once.
struct TrainingWindows {
  TrainingSet train;
  TrainingSet validation;
  std::vector<FoldBlock> blocks;  // --folds
};

// `relative`: the log energies relative to each channel's background (a "background" model).
TrainingWindows read_windows(const TrainingPlan& plan, const TrainerSettings& s,
                             const Config& config, const std::atomic<bool>& stop, bool relative) {
  TrainingWindows w;
  const QuietLogs quiet;  // every recording's montage; the summary below is what matters
  const WindowOptions training{s.phases, plan.stretches, relative};
  const WindowOptions grid{1, kOriginalSpeed, relative};
  for (std::size_t k = 0; k < plan.folds.size(); ++k) {
    const std::string what = fmt::format("fold {}", k + 1);
    w.blocks.push_back(
        FoldBlock{collect(plan.folds[k], config, what, training, stop),
                  collect(plan.validation_folds[k], config, what + " grid", grid, stop)});
  }
  if (plan.folded) {
    // The final run's windows (and the counts); each fold trains on the others' windows.
    w.train = merge_blocks(w.blocks, false);
    w.validation = merge_blocks(w.blocks, true);
  } else {
    w.train = collect(plan.train, config, "train", training, stop);
    w.validation = collect(plan.validation, config, "validation", grid, stop);
  }
  return w;
}

bool background_relative(const TrainingOptions& o) {
  return o.normalization == "background";
}

// The model, and with --compare the other normalisation trained alike (on windows read again
// when one reads energies relative to the background and the other does not).
std::vector<TrainedModel> fit_models(const FitContext& fit, const TrainingPlan& plan,
                                     const TrainerSettings& s, const TrainingWindows& w,
                                     const TrainingOptions& options, Config& config) {
  FoldScorer score_fold;  // Bonn's segments have one label each; a corpus's recordings do not
  if (plan.bonn) {
    score_fold = [&](std::size_t k, const std::filesystem::path& model_file) {
      config.set_string("decoder.device", "cpu");
      const QuietLogs quiet;
      // Bonn's single segments, each with one label (not the joined streams).
      std::vector<LabelledRecording> segments;
      for (const LabelledRecording& r : plan.folds[k]) {
        if (!r.set.empty()) segments.push_back(r);
      }
      return score_segments(segments, config, load_seizure_model(config, model_file.string()));
    };
  }
  const auto fit_model = [&](const TrainingOptions& o, const std::filesystem::path& file,
                             const TrainingWindows& on) {
    return plan.folded
               ? fit_cross_validated(fit, on.blocks, on.train, on.validation, o, file, score_fold)
               : fit_selected(fit, on.train, on.validation, o, file, s.refit);
  };
  std::vector<TrainedModel> models;
  models.push_back(fit_model(options, s.out + ".pt", w));
  if (s.compare && !models.back().report.stopped) {
    TrainingOptions alt = options;
    alt.resume_path.clear();
    alt.normalization = options.normalization == "fixed" ? "window" : "fixed";
    const std::string file = s.out + "-" + alt.normalization + ".pt";
    if (background_relative(alt) == background_relative(options)) {
      models.push_back(fit_model(alt, file, w));
    } else {
      const TrainingWindows again =
          read_windows(plan, s, config, fit.stop, background_relative(alt));
      models.push_back(fit_model(alt, file, again));
    }
  }
  return models;
}

// The demo first: it is a check a candidate must pass, on record before any test figure.
void check_and_score(TrainedModel& m, const TrainingPlan& plan, Config& config) {
  std::filesystem::remove(m.file.string() + ".ckpt");
  config.set_string("decoder.device", "cpu");
  const auto model = load_seizure_model(config, m.file.string());
  m.demo = run_demo_check(config, model);
  if (m.demo->passed()) {
    spdlog::info("{}: built-in demo {}", m.file.string(), m.demo->summary());
  } else {
    spdlog::warn("{}: built-in demo {}", m.file.string(), m.demo->summary());
  }
  m.demo_rhythms = run_demo_rhythm_sweep(config, model, *m.demo);
  spdlog::info("{}: the demo's discharge {}", m.file.string(), m.demo_rhythms->summary());
  if (!plan.bonn) return;
  if (!plan.folded) {  // with folds, every training segment is in the final model's training
    m.validation_metrics = bonn_metrics_json(score_segments(plan.validation, config, model));
  }
  m.test_metrics = bonn_metrics_json(
      score_segments(bonn_segments(plan.bonn_root, "ABCDE", 81, 100), config, model));
  spdlog::info("{}: test split {}", m.file.string(), json::line(m.test_metrics));
}

void write_card(const std::vector<TrainedModel>& models, const TrainingPlan& plan,
                const TrainingWindows& w, const TrainingOptions& options,
                const std::string& torch_version, const std::string& kernels) {
  const TrainedModel& m = models[0];
  ModelCard card;
  card.model_file = m.file;
  card.data = plan.data;
  card.options = options;
  card.report = m.report;
  card.selection = m.selection;
  card.cross_validation = m.cross_validation;
  card.training_windows = w.train.count();
  card.validation_windows = w.validation.count();
  card.test_metrics = m.test_metrics;
  card.validation_metrics = m.validation_metrics;
  card.demo = m.demo;
  card.demo_rhythms = m.demo_rhythms;
  card.torch_version = torch_version;
  card.cpu_kernels = kernels;
  for (std::size_t i = 1; i < models.size(); ++i) {
    const TrainedModel& c = models[i];
    card.comparisons.push_back(ComparisonEntry{c.file, c.report, c.test_metrics,
                                               c.validation_metrics, c.cross_validation, c.demo,
                                               c.demo_rhythms});
  }
  write_model_card(card);
  spdlog::info("model {} (best epoch {} of {}), card {}", card.model_file.string(),
               card.report.best_epoch, card.report.history.size(),
               model_card_path(card.model_file, ".md").string());
}

}  // namespace

int train_seizure_model(const TrainerSettings& settings, Config& config) {
  const TrainingPlan plan = plan_training(settings);
  spdlog::info("training data: {}", plan.data);
  // From here on, Ctrl-C stops training cleanly, also while the windows are read.
  std::atomic<bool> stop{false};
  SignalStop signals([&stop](int) { stop = true; });
  const TrainingWindows w =
      read_windows(plan, settings, config, stop, background_relative(settings.options));
  if (stop.load()) {
    spdlog::warn("stopped while reading the data: nothing was trained{}",
                 settings.resume.empty() ? "" : "; the checkpoint is untouched");
    return 130;
  }
  spdlog::info("{} training windows ({} seizure), {} validation windows ({} seizure)",
               w.train.count(), seizure_windows(w.train), w.validation.count(),
               seizure_windows(w.validation));

  // Before LibTorch loads: its kernels and OpenBLAS's are chosen then (TrainingKernels.hpp).
  const std::string kernels = pin_training_cpu_kernels();
  spdlog::info("CPU kernels: {}", kernels);
  TorchBackend& torch = torch_backend();
  const std::filesystem::path out(settings.out);
  if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());

  TrainingOptions options = settings.options;
  options.resume_path = settings.resume;
  const FitContext fit{torch, stop, settings.on_epoch_finished};
  std::vector<TrainedModel> models = fit_models(fit, plan, settings, w, options, config);
  for (const TrainedModel& m : models) {
    if (m.report.stopped) {
      spdlog::warn("stopped: checkpoint {}.ckpt; continue with --resume {}.ckpt", m.file.string(),
                   m.file.string());
      return 130;
    }
  }
  for (TrainedModel& m : models) check_and_score(m, plan, config);
  write_card(models, plan, w, options, torch.version(), kernels);
  return 0;
}

}  // namespace streamdx

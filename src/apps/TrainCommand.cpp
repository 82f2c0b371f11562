#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <optional>
#include <utility>

#include "apps/BonnEvaluation.hpp"
#include "apps/Commands.hpp"
#include "apps/CrossValidation.hpp"
#include "apps/DemoCheck.hpp"
#include "apps/DemoRhythmSweep.hpp"
#include "apps/ModelCard.hpp"
#include "apps/ModelLoading.hpp"
#include "apps/ProgressBar.hpp"
#include "apps/RecordingRuns.hpp"
#include "apps/TrainingKernels.hpp"
#include "core/Log.hpp"
#include "core/SignalStop.hpp"

namespace streamdx {

namespace {

// The speeds each training recording is read at: 1, then 1 + P/100 and its inverse.
std::vector<double> stretch_factors(double percent) {
  if (percent == 0) return {1.0};
  const double f = 1.0 + percent / 100.0;
  return {1.0, f, 1.0 / f};
}

TrainingSet collect(const std::vector<LabelledRecording>& recordings, const Config& config,
                    const std::string& what, std::size_t phases,
                    std::span<const double> stretches = kOriginalSpeed) {
  TrainingSet set;
  ProgressBar bar;
  for (std::size_t i = 0; i < recordings.size(); ++i) {
    append_training_windows(recordings[i], config, set, phases, stretches);
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
  std::optional<CrossValidation> cross_validation;  // --folds: the folds that chose the epochs
  std::filesystem::path file;
  std::string test_metrics_json;                // Bonn only
  std::string validation_metrics_json;          // Bonn only
  std::optional<DemoCheck> demo;                // the built-in demo, decoded by the final model
  std::optional<DemoRhythmSweep> demo_rhythms;  // and its discharge at other rhythms
};

// `stage` prefixes the progress label ("fold 2/4, "); a fold's run writes no model file.
TrainedModel train_one(TorchBackend& torch, const TrainingSet& train, const TrainingSet& validation,
                       TrainingOptions options, const std::filesystem::path& file,
                       const std::atomic<bool>& stop, const std::string& stage = "",
                       bool write_model = true) {
  options.model_path = write_model ? file.string() : "";
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
        bar.update(done, fmt::format("{}epoch {}/{}", stage, p.epoch, p.max_epochs),
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

// What a resumed cross-validation must match: the options that shape a fold's training curve
// and the windows it sees.
std::string fold_signature(const TrainingOptions& o, const std::vector<FoldBlock>& blocks) {
  std::string s = fmt::format(
      "normalization {} gain {} hidden {} dropout {} lr {} wd {} batch {} "
      "epochs {} patience {} seed {} threads {} windows",
      o.normalization, o.gain_augment_db, o.hidden, o.dropout, o.learning_rate, o.weight_decay,
      o.batch, o.max_epochs, o.patience, o.seed, o.threads);
  for (const FoldBlock& b : blocks)
    s += fmt::format(" {}/{}", b.training.count(), b.validation.count());
  return s;
}

// Segment scores of fold k's held-out block under the model file given (Bonn only).
using FoldScorer =
    std::function<std::vector<SegmentScore>(std::size_t fold, const std::filesystem::path& model)>;

std::string fold_snapshot_prefix(const std::filesystem::path& file, std::size_t fold) {
  return fmt::format("{}.fold{}.epoch", file.string(), fold + 1);
}

// Out-of-fold segment metrics: each fold's model at the chosen epoch scores its own block.
std::string out_of_fold_metrics(const CrossValidation& cv, const std::filesystem::path& file,
                                const FoldScorer& score_fold) {
  std::vector<SegmentScore> scores;
  for (std::size_t k = 0; k < cv.folds.size(); ++k) {
    const auto fold =
        score_fold(k, fmt::format("{}{}.pt", fold_snapshot_prefix(file, k), cv.best_epoch));
    scores.insert(scores.end(), fold.begin(), fold.end());
  }
  return bonn_metrics_json(scores);
}

// K-fold cross-validation chooses the epoch count (CrossValidation.hpp); the model is then
// trained on every block for that many epochs. A stop saves FILE.ckpt (the run in progress)
// and FILE.folds (the folds already finished); --resume FILE.ckpt continues from both. Each
// fold's weights after every epoch wait in FILE.foldK.epochE.pt until the out-of-fold scores
// (with a `score_fold`) are taken. `all_training` and `all_validation` are every block's
// windows, merged once by the caller for the final run.
TrainedModel train_cross_validated(TorchBackend& torch, const std::vector<FoldBlock>& blocks,
                                   const TrainingSet& all_training,
                                   const TrainingSet& all_validation,
                                   const TrainingOptions& options,
                                   const std::filesystem::path& file, const std::atomic<bool>& stop,
                                   const FoldScorer& score_fold) {
  const std::filesystem::path folds_file = file.string() + ".folds";
  const std::string signature = fold_signature(options, blocks);
  std::vector<TrainingReport> finished;
  if (!options.resume_path.empty()) finished = load_finished_folds(folds_file, signature);
  std::string resume = options.resume_path;  // for the first run still to do
  const auto take_resume = [&resume] { return std::exchange(resume, std::string()); };

  const std::size_t k_folds = blocks.size();
  CrossValidation cv = cross_validate(
      blocks, std::move(finished),
      [&](const TrainingSet& train, const TrainingSet& validation, std::size_t k) {
        TrainingOptions o = options;
        o.resume_path = take_resume();
        o.snapshot_prefix = fold_snapshot_prefix(file, k);
        return train_one(torch, train, validation, o, file, stop,
                         fmt::format("fold {}/{}, ", k + 1, k_folds), false)
            .report;
      },
      [&](const std::vector<TrainingReport>& done) {
        save_finished_folds(folds_file, signature, done);
      });
  TrainedModel model;
  model.file = file;
  if (cv.stopped) {
    model.report.stopped = true;
    return model;
  }
  TrainingOptions again = options;
  again.resume_path = take_resume();
  again.max_epochs = cv.best_epoch;
  again.keep_last = true;
  // The validation figures of this last run are in-sample: every block is in its training.
  model = train_one(torch, all_training, all_validation, again, file, stop, "all folds, ");
  if (model.report.stopped) return model;
  if (score_fold) cv.out_of_fold_metrics_json = out_of_fold_metrics(cv, file, score_fold);
  for (std::size_t k = 0; k < cv.folds.size(); ++k) {
    for (const EpochSummary& e : cv.folds[k].history) {
      std::filesystem::remove(fmt::format("{}{}.pt", fold_snapshot_prefix(file, k), e.epoch));
    }
  }
  std::filesystem::remove(folds_file);
  model.cross_validation = std::move(cv);
  return model;
}

}  // namespace

int run_train_command(const TrainCommand& cmd, Config& config) {
  const bool bonn = cmd.corpus.empty();
  std::vector<LabelledRecording> train_recs;
  std::vector<LabelledRecording> validation_recs;
  std::string data;
  std::filesystem::path bonn_root;
  const bool folded = cmd.folds > 1;
  std::vector<std::vector<LabelledRecording>> fold_recs;  // --folds: one block of recordings each
  if (cmd.phases < 1 || cmd.phases > 10) throw std::invalid_argument("--phases must be 1 to 10");
  if (cmd.folds < 1 || cmd.folds > 20) throw std::invalid_argument("--folds must be 1 to 20");
  if (!(cmd.stretch_augment_percent >= 0 && cmd.stretch_augment_percent <= 50)) {
    throw std::invalid_argument("--stretch-augment must be 0 to 50 (per cent)");
  }
  const std::vector<double> stretches = stretch_factors(cmd.stretch_augment_percent);
  if (folded && cmd.refit) {
    throw std::invalid_argument(
        "--refit with --folds: cross-validation already trains the model on every fold");
  }
  if (bonn) {
    bonn_root =
        cmd.bonn.empty() ? default_data_root() / "eeg" / "bonn" : std::filesystem::path(cmd.bonn);
    if (cmd.train_segments < 4 || cmd.train_segments > 80) {
      throw std::invalid_argument("--train-segments must be 4 to 80 (81-100 are the test split)");
    }
    if (folded) {
      if (cmd.train_segments % cmd.folds != 0) {
        throw std::invalid_argument("--train-segments must be a multiple of --folds");
      }
      const int per_fold = cmd.train_segments / cmd.folds;
      for (int k = 0; k < cmd.folds; ++k) {
        fold_recs.push_back(
            bonn_segments(bonn_root, "ABCDE", k * per_fold + 1, (k + 1) * per_fold));
      }
      data = fmt::format(
          "Bonn ({}): sets A-E; seizure = E; train segments 001-{:03}, in {} cross-validation "
          "folds of {} consecutive segments; test 081-100 (never used to choose anything)",
          bonn_root.string(), cmd.train_segments, cmd.folds, per_fold);
    } else {
      const int validation_first = cmd.train_segments * 3 / 4 + 1;
      train_recs = bonn_segments(bonn_root, "ABCDE", 1, validation_first - 1);
      validation_recs = bonn_segments(bonn_root, "ABCDE", validation_first, cmd.train_segments);
      data = fmt::format(
          "Bonn ({}): sets A-E; seizure = E; train segments 001-{:03}, validation {:03}-{:03}, "
          "test 081-100 (never used to choose anything)",
          bonn_root.string(), validation_first - 1, validation_first, cmd.train_segments);
    }
  } else {
    TuszCorpus corpus = tusz_corpus(cmd.corpus);
    if (folded) {
      std::vector<LabelledRecording> all = std::move(corpus.train);
      for (auto& r : corpus.validation) all.push_back(std::move(r));
      if (all.size() < static_cast<std::size_t>(cmd.folds)) {
        throw std::invalid_argument(
            fmt::format("{}: {} recordings for {} folds", cmd.corpus, all.size(), cmd.folds));
      }
      fold_recs.resize(static_cast<std::size_t>(cmd.folds));
      for (std::size_t i = 0; i < all.size(); ++i) {
        fold_recs[i % fold_recs.size()].push_back(std::move(all[i]));
      }
      data = fmt::format(
          "TUSZ-layout corpus ({}): {} recordings in {} cross-validation folds (recording i in "
          "fold i mod {})",
          cmd.corpus, all.size(), cmd.folds, cmd.folds);
    } else {
      train_recs = std::move(corpus.train);
      validation_recs = std::move(corpus.validation);
      data = fmt::format("TUSZ-layout corpus ({}): {} recordings train, {} validate (every fifth)",
                         cmd.corpus, train_recs.size(), validation_recs.size());
    }
  }
  if (cmd.phases > 1) {
    data += fmt::format("; training windows at {} shifts (0.1 s apart) of the 1 s epoch grid",
                        cmd.phases);
  }
  if (stretches.size() > 1) {
    const double f = stretches[1];
    data += fmt::format(
        "; every training recording also read at {:g}x and 1/{:g}x speed, its rhythms that much "
        "faster and slower (validation windows unstretched)",
        f, f);
  }
  spdlog::info("training data: {}", data);
  {
    TrainingSet train;
    TrainingSet validation;
    std::vector<FoldBlock> blocks;
    {
      const QuietLogs quiet;  // every recording's montage; the summary below is what matters
      for (std::size_t k = 0; k < fold_recs.size(); ++k) {
        const std::string what = fmt::format("fold {}", k + 1);
        blocks.push_back(FoldBlock{collect(fold_recs[k], config, what, cmd.phases, stretches),
                                   collect(fold_recs[k], config, what + " grid", 1)});
      }
      if (folded) {
        // The final run's windows (and the counts); each fold trains on the others' windows.
        train = merge_blocks(blocks, false);
        validation = merge_blocks(blocks, true);
      } else {
        train = collect(train_recs, config, "train", cmd.phases, stretches);
        validation = collect(validation_recs, config, "validation", 1);
      }
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
    FoldScorer score_fold;  // Bonn's segments have one label each; a TUSZ corpus's do not
    if (bonn) {
      score_fold = [&](std::size_t k, const std::filesystem::path& model_file) {
        config.set_string("decoder.device", "cpu");
        const QuietLogs quiet;
        return score_segments(fold_recs[k], config,
                              load_seizure_model(config, model_file.string()));
      };
    }
    const auto train_model = [&](const TrainingOptions& o, const std::filesystem::path& file) {
      return folded ? train_cross_validated(torch, blocks, train, validation, o, file, stop,
                                            score_fold)
                    : train_selected(torch, train, validation, o, file, cmd.refit, stop);
    };
    std::vector<TrainedModel> models;
    models.push_back(train_model(options, out.string() + ".pt"));
    if (cmd.compare && !models.back().report.stopped) {
      TrainingOptions alt = options;
      alt.resume_path.clear();
      alt.normalization = options.normalization == "fixed" ? "window" : "fixed";
      models.push_back(train_model(alt, out.string() + "-" + alt.normalization + ".pt"));
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
      config.set_string("decoder.device", "cpu");
      const auto model = load_seizure_model(config, m.file.string());
      // Before any test figure is printed: the demo is a check a candidate must pass.
      m.demo = run_demo_check(config, model);
      if (m.demo->passed()) {
        spdlog::info("{}: built-in demo {}", m.file.string(), m.demo->summary());
      } else {
        spdlog::warn("{}: built-in demo {}", m.file.string(), m.demo->summary());
      }
      m.demo_rhythms = run_demo_rhythm_sweep(config, model, *m.demo);
      spdlog::info("{}: the demo's discharge {}", m.file.string(), m.demo_rhythms->summary());
      if (!bonn) continue;
      if (!folded) {  // with folds, every training segment is in the final model's training
        m.validation_metrics_json =
            bonn_metrics_json(score_segments(validation_recs, config, model));
      }
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
    card.cross_validation = models[0].cross_validation;
    card.training_windows = train.count();
    card.validation_windows = validation.count();
    card.test_metrics_json = models[0].test_metrics_json;
    card.validation_metrics_json = models[0].validation_metrics_json;
    card.demo = models[0].demo;
    card.demo_rhythms = models[0].demo_rhythms;
    card.torch_version = torch.version();
    card.cpu_kernels = kernels;
    for (std::size_t i = 1; i < models.size(); ++i) {
      card.comparisons.push_back(
          ComparisonEntry{models[i].file, models[i].report, models[i].test_metrics_json,
                          models[i].validation_metrics_json, models[i].cross_validation,
                          models[i].demo, models[i].demo_rhythms});
    }
    write_model_card(card);
    spdlog::info("model {} (best epoch {} of {}), card {}", card.model_file.string(),
                 card.report.best_epoch, card.report.history.size(),
                 model_card_path(card.model_file, ".md").string());
  }
  return 0;
}

}  // namespace streamdx

#include "training/ModelFitting.hpp"

#include <fmt/format.h>

#include <utility>

#include "runtime/ProgressBar.hpp"

namespace streamdx {

namespace {

// `stage` prefixes the progress label ("fold 2/4, "); a fold's run writes no model file.
TrainedModel fit_one(const FitContext& fit, const TrainingSet& train, const TrainingSet& validation,
                     TrainingOptions options, const std::filesystem::path& file,
                     const std::string& stage = "", bool write_model = true) {
  options.model_path = write_model ? file.string() : "";
  options.checkpoint_path = file.string() + ".ckpt";
  ProgressBar bar;
  TrainedModel t;
  t.file = file;
  t.report = fit.torch.train(
      train, validation, options,
      [&](const TrainingProgress& p) {
        const double done = (static_cast<double>(p.epoch - 1) +
                             static_cast<double>(p.batch) / static_cast<double>(p.batches)) /
                            static_cast<double>(p.max_epochs);
        bar.update(done, fmt::format("{}epoch {}/{}", stage, p.epoch, p.max_epochs),
                   fmt::format("loss {:.4f}", p.loss), p.batch == p.batches);
        if (p.batch == p.batches && fit.on_epoch_finished) fit.on_epoch_finished();
      },
      [&] { return fit.stop.load(); });
  bar.finish();
  return t;
}

}  // namespace

TrainedModel fit_selected(const FitContext& fit, const TrainingSet& train,
                          const TrainingSet& validation, const TrainingOptions& options,
                          const std::filesystem::path& file, bool refit) {
  TrainedModel selected = fit_one(fit, train, validation, options, file);
  if (!refit || selected.report.stopped || selected.report.best_epoch == 0) return selected;
  TrainingSet all = train;
  all.windows.insert(all.windows.end(), validation.windows.begin(), validation.windows.end());
  all.labels.insert(all.labels.end(), validation.labels.begin(), validation.labels.end());
  TrainingOptions again = options;
  again.resume_path.clear();
  again.max_epochs = selected.report.best_epoch;
  again.keep_last = true;
  TrainedModel final_model = fit_one(fit, all, validation, again, file);
  final_model.selection = selected.report;
  return final_model;
}

namespace {

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

std::string fold_snapshot_prefix(const std::filesystem::path& file, std::size_t fold) {
  return fmt::format("{}.fold{}.epoch", file.string(), fold + 1);
}

// Out-of-fold segment metrics: each fold's model at the chosen epoch scores its own block.
json::Json out_of_fold_metrics(const CrossValidation& cv, const std::filesystem::path& file,
                               const FoldScorer& score_fold) {
  std::vector<SegmentScore> scores;
  for (std::size_t k = 0; k < cv.folds.size(); ++k) {
    const auto fold =
        score_fold(k, fmt::format("{}{}.pt", fold_snapshot_prefix(file, k), cv.best_epoch));
    scores.insert(scores.end(), fold.begin(), fold.end());
  }
  return bonn_metrics_json(scores);
}

}  // namespace

TrainedModel fit_cross_validated(const FitContext& fit, const std::vector<FoldBlock>& blocks,
                                 const TrainingSet& all_training, const TrainingSet& all_validation,
                                 const TrainingOptions& options, const std::filesystem::path& file,
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
        return fit_one(fit, train, validation, o, file, fmt::format("fold {}/{}, ", k + 1, k_folds),
                       false)
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
  model = fit_one(fit, all_training, all_validation, again, file, "all folds, ");
  if (model.report.stopped) return model;
  if (score_fold) cv.out_of_fold_metrics = out_of_fold_metrics(cv, file, score_fold);
  // Each fold's model at the chosen epoch is kept (OUT.foldK.pt): out-of-fold evaluation of
  // anything else (`streamdx evaluate --corpus OUT.streams/.../validation --model OUT.foldK.pt`)
  // needs it. The other epochs' snapshots go.
  for (std::size_t k = 0; k < cv.folds.size(); ++k) {
    for (const EpochSummary& e : cv.folds[k].history) {
      const std::string snapshot = fmt::format("{}{}.pt", fold_snapshot_prefix(file, k), e.epoch);
      if (e.epoch == cv.best_epoch) {
        std::filesystem::rename(
            snapshot, fmt::format("{}.fold{}.pt",
                                  std::filesystem::path(file).replace_extension().string(), k + 1));
      } else {
        std::filesystem::remove(snapshot);
      }
    }
  }
  std::filesystem::remove(folds_file);
  model.cross_validation = std::move(cv);
  return model;
}

}  // namespace streamdx

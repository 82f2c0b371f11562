#pragma once
// Fitting the channel LSTM with LibTorch: one run with early stopping (optionally refitted on
// training + validation data), or K-fold cross-validation that chooses the epoch count and then
// trains on every fold. Each run writes a checkpoint when stopped and resumes from it.
#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stages/decoder/TorchBackend.hpp"
#include "training/BonnEvaluation.hpp"
#include "training/CrossValidation.hpp"
#include "training/DemoCheck.hpp"
#include "training/DemoRhythmSweep.hpp"

namespace streamdx {

struct TrainedModel {
  TrainingReport report;
  std::optional<TrainingReport> selection;  // the early-stopping run a refit took its epochs from
  std::optional<CrossValidation> cross_validation;  // --folds: the folds that chose the epochs
  std::filesystem::path file;
  json::Json test_metrics;                      // Bonn only, else null
  json::Json validation_metrics;                // Bonn only, else null
  std::optional<DemoCheck> demo;                // the built-in demo, decoded by the final model
  std::optional<DemoRhythmSweep> demo_rhythms;  // and its discharge at other rhythms
};

// What every run shares: the LibTorch back end, the stop flag (SIGINT/SIGTERM), and a hook
// called after every finished epoch.
struct FitContext {
  TorchBackend& torch;
  const std::atomic<bool>& stop;
  std::function<void()> on_epoch_finished;
};

// Early stopping on the validation windows; with `refit`, training again on both sets for the
// best epoch count, which becomes the model.
TrainedModel fit_selected(const FitContext& fit, const TrainingSet& train,
                          const TrainingSet& validation, const TrainingOptions& options,
                          const std::filesystem::path& file, bool refit);

// Segment scores of fold k's held-out block under the model file given (Bonn only).
using FoldScorer =
    std::function<std::vector<SegmentScore>(std::size_t fold, const std::filesystem::path& model)>;

// K-fold cross-validation chooses the epoch count (CrossValidation.hpp); the model is then
// trained on every block for that many epochs. A stop saves FILE.ckpt (the run in progress)
// and FILE.folds (the folds already finished); --resume FILE.ckpt continues from both. Each
// fold's weights after every epoch wait in FILE.foldK.epochE.pt until the out-of-fold scores
// (with a `score_fold`) are taken. `all_training` and `all_validation` are every block's
// windows, merged once by the caller for the final run.
TrainedModel fit_cross_validated(const FitContext& fit, const std::vector<FoldBlock>& blocks,
                                 const TrainingSet& all_training, const TrainingSet& all_validation,
                                 const TrainingOptions& options, const std::filesystem::path& file,
                                 const FoldScorer& score_fold);

}  // namespace streamdx

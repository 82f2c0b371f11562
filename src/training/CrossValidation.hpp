#pragma once
// K-fold cross-validated choice of the training length (`streamdx train --folds K`).
//
// One validation part of 20 Bonn segments gave a validation loss that swung by a factor of two
// from epoch to epoch, so the epoch it picked was mostly noise. Here the training recordings
// are cut into K blocks; fold k trains on the other blocks and validates on block k, each with
// early stopping. The epoch count with the lowest validation loss averaged over the folds is
// chosen, and the model is trained on every block for that many epochs. Every recording thus
// validates once, and nothing outside the training split is read.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/Json.hpp"
#include "stages/decoder/TrainingTypes.hpp"

namespace streamdx {

// One block's windows: at every training phase, and on the epoch grid alone (for validation).
struct FoldBlock {
  TrainingSet training;
  TrainingSet validation;
};

struct CrossValidation {
  std::vector<TrainingReport> folds;         // each fold's run, validated on its own block
  std::vector<double> mean_validation_loss;  // per epoch, over the epochs every fold ran
  std::vector<double> mean_balanced_accuracy;
  int best_epoch = 0;    // 1-based argmin of mean_validation_loss; 0 if stopped
  bool stopped = false;  // a fold was stopped (Ctrl-C)
  // Segment metrics of each fold's model at best_epoch on its own block, pooled over the folds
  // (out of fold: no segment scored by a model that trained on it); null where not computed.
  json::Json out_of_fold_metrics;
};

// The windows of every block but `except` (or of all blocks when except >= blocks.size()),
// training windows or validation windows, in block order.
TrainingSet merge_blocks(const std::vector<FoldBlock>& blocks, bool validation_windows,
                         std::size_t except = static_cast<std::size_t>(-1));

// Trains one model per fold through `train(training, validation, fold)` and averages the
// validation curves. Options (patience, epochs) are the caller's; each fold stops early alone.
// `finished` holds the reports of folds a stopped run already completed (resuming); those folds
// are not trained again. `fold_done` sees the finished reports after each new fold, so that
// they can be saved.
using FoldTrainer =
    std::function<TrainingReport(const TrainingSet&, const TrainingSet&, std::size_t fold)>;
CrossValidation cross_validate(
    const std::vector<FoldBlock>& blocks, std::vector<TrainingReport> finished,
    const FoldTrainer& train,
    const std::function<void(const std::vector<TrainingReport>&)>& fold_done = {});

// Finished folds of a stopped run, kept beside its checkpoint as text (hex floats, exact), under a
// signature of the configuration: a resumed run must average exactly the same numbers.
void save_finished_folds(const std::filesystem::path& file, const std::string& signature,
                         const std::vector<TrainingReport>& folds);
// Empty when the file is absent; throws naming the file when it is garbled or from another
// configuration.
std::vector<TrainingReport> load_finished_folds(const std::filesystem::path& file,
                                                const std::string& signature);

}  // namespace streamdx

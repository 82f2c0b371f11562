#pragma once
// What training exchanges with the LibTorch plugin (TorchBackend.hpp): the labelled windows, the
// options, the progress reports and the outcome. Plain types: code that trains or writes model
// cards includes this, not the plugin interface.
#include <cstdint>
#include <string>
#include <vector>

namespace streamdx {

// Channel-windows with one label each (1 = seizure, 0 = background).
struct TrainingSet {
  std::vector<float> windows;  // count x kSteps x kInputs
  std::vector<std::int64_t> labels;
  [[nodiscard]] std::size_t count() const noexcept { return labels.size(); }
};

struct TrainingOptions {
  // "fixed", "window", "absolute" or "background" (SeizureModelScript.hpp)
  std::string normalization = "background";
  double gain_augment_db = 0;  // each training window's gain drawn from +-this (energy shift)
  // Defaults: the committed model's settings, chosen by validation loss (models/README.md).
  int hidden = 32;
  double dropout = 0.5;
  double learning_rate = 3e-5;
  double weight_decay = 0.1;
  int batch = 64;
  int max_epochs = 60;
  int patience = 8;        // epochs without a better validation loss before stopping
  bool keep_last = false;  // save the last epoch's weights, not the best validation epoch's
  std::uint64_t seed = 1;
  int threads = 1;              // intra-op threads; 1 keeps the weights bit-identical run to run
  std::string model_path;       // TorchScript written here (the best epoch's weights)
  std::string checkpoint_path;  // written at every epoch's end and on a stop request
  std::string resume_path;      // a checkpoint to continue from ("" = start fresh)
  // Non-empty: after every epoch, that epoch's weights are also saved (for inference, like the
  // model file) as PREFIX<epoch>.pt. Cross-validation scores each fold at the chosen epoch.
  std::string snapshot_prefix;
};

struct TrainingProgress {
  int epoch = 0;  // 1-based
  int max_epochs = 0;
  std::size_t batch = 0;  // batches done in this epoch
  std::size_t batches = 0;
  double loss = 0;  // running mean of this epoch's training loss
};

struct EpochSummary {
  int epoch = 0;
  double train_loss = 0;
  double validation_loss = 0;
  double validation_accuracy = 0;
};

struct TrainingReport {
  std::vector<EpochSummary> history;
  int best_epoch = 0;
  bool stopped = false;     // a stop request ended training (a checkpoint was saved)
  bool early_stop = false;  // the validation loss stopped improving
  std::string architecture;
};

}  // namespace streamdx

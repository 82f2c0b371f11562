#pragma once
// What a training run trains on, decided before any window is read: the recordings for
// training, validation or each cross-validation fold, the speeds they are read at, and the
// sentence that says so in the model card. Every setting is checked here, first.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "stages/decoder/TrainingTypes.hpp"
#include "training/EegCorpus.hpp"

namespace streamdx {

// Trains the channel LSTM on the Bonn split (default) or an annotated corpus; writes OUT.pt
// and its model card OUT.json / OUT.md.
struct TrainerSettings {
  std::string bonn;    // Bonn root; default STREAMDX_DATA/eeg/bonn
  std::string corpus;  // a tree of annotated EDF recordings instead (io/SeizureAnnotations.hpp)
  // Bonn only: also the New Delhi scalp streams from this folder and Bonn's onset streams
  // (training/DelhiStreams.hpp, models/SPLIT-delhi.md); "" for Bonn's segments alone.
  std::string delhi;
  // Annotated corpora a user holds (io/SeizureAnnotations.hpp), trained on beside Bonn.
  std::vector<std::string> add_corpora;
  // A new file: run from the checkout, `models/seizure-lstm` would overwrite the committed model.
  std::string out = "streamdx-train/seizure-lstm";
  // Bonn: segments 1..N train (with --folds 1, the last quarter of them validates).
  int train_segments = 80;
  bool compare = false;  // also train the other normalisation, and report it in the card
  // Then train again on training + validation windows for the best epoch count, and ship that.
  bool refit = false;
  // K > 1: K-fold cross-validation over the training recordings chooses the epoch count, then
  // the model trains on all of them (training/CrossValidation.hpp).
  int folds = 5;
  // Training windows at this many 0.1 s shifts of the 1 s epoch grid (1: the grid only).
  std::size_t phases = 10;
  // P > 0: the training windows also come from every training recording read at 1 + P/100 and
  // 1/(1 + P/100) speed (TimeStretchedSource.hpp); validation windows are never stretched.
  // Off by default: 15 won the cross-validation but flags stationary rhythms (models/README.md).
  double stretch_augment_percent = 0;
  std::string resume;  // a checkpoint to continue from
  TrainingOptions options;
  std::function<void()> on_epoch_finished;  // after every finished epoch of every run
};

struct TrainingPlan {
  bool bonn = true;  // else an annotated corpus
  bool folded = false;
  std::filesystem::path bonn_root;
  std::vector<LabelledRecording> train;
  std::vector<LabelledRecording> validation;
  std::vector<std::vector<LabelledRecording>> folds;  // --folds: one block of recordings each
  // The same blocks as they validate: Delhi's onset streams once, not in four shuffles.
  std::vector<std::vector<LabelledRecording>> validation_folds;
  std::vector<double> stretches;  // the speeds training recordings are read at
  std::string data;               // the card's description of all this
};

TrainingPlan plan_training(const TrainerSettings& settings);

}  // namespace streamdx

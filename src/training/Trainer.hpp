#pragma once
// Trains the channel LSTM end to end, as `streamdx train` does: plan the data (TrainingPlan),
// read every recording's windows through the runtime's own stages (RecordingRuns), fit with
// LibTorch (ModelFitting), run the built-in demo on the result before any test figure, score
// the Bonn splits, and write OUT.pt with its model card.
#include "core/Config.hpp"
#include "training/TrainingPlan.hpp"

namespace streamdx {

// Returns the exit code: 0, or 130 when SIGINT/SIGTERM stopped training (a checkpoint for
// --resume is left).
int train_seizure_model(const TrainerSettings& settings, Config& config);

}  // namespace streamdx

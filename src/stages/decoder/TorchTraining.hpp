#pragma once
// Inside the LibTorch plugin: the trainer (TorchTrainer.cpp).
#include "stages/decoder/TrainingTypes.hpp"

namespace streamdx {

TrainingReport train_seizure_model(const TrainingSet& train, const TrainingSet& validation,
                                   const TrainingOptions& options,
                                   const std::function<void(const TrainingProgress&)>& progress,
                                   const std::function<bool()>& stop_requested);

}  // namespace streamdx

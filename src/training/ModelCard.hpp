#pragma once
// The model card written beside a trained model: MODEL.json (machine-readable) and MODEL.md
// (for people). It says what the model was trained on, how, with what seed, how training went,
// what it scores, and the SHA-256 of the weights file it describes.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stages/decoder/TrainingTypes.hpp"
#include "training/CrossValidation.hpp"
#include "training/DemoCheck.hpp"
#include "training/DemoRhythmSweep.hpp"

namespace streamdx {

struct ComparisonEntry {
  std::filesystem::path model_file;
  TrainingReport report;
  json::Json test_metrics;
  json::Json validation_metrics;
  std::optional<CrossValidation> cross_validation;
  std::optional<DemoCheck> demo;
  std::optional<DemoRhythmSweep> demo_rhythms;
};

struct ModelCard {
  std::filesystem::path model_file;  // the .pt
  std::string data;
  TrainingOptions options;
  TrainingReport report;
  std::optional<TrainingReport> selection;          // with --refit: the early-stopping run
  std::optional<CrossValidation> cross_validation;  // with --folds
  std::size_t training_windows = 0;
  std::size_t validation_windows = 0;
  json::Json test_metrics;        // null when there is no test split (TUSZ corpus)
  json::Json validation_metrics;  // segment-level, Bonn only
  std::string torch_version;
  std::string cpu_kernels;                      // pin_training_cpu_kernels()
  std::optional<DemoCheck> demo;                // run_demo_check() on the model
  std::optional<DemoRhythmSweep> demo_rhythms;  // run_demo_rhythm_sweep() on the model
  std::vector<ComparisonEntry> comparisons;     // the other normalisation, trained alike
};

// MODEL.pt -> MODEL<extension> (".json", ".md").
std::filesystem::path model_card_path(const std::filesystem::path& model, const std::string& ext);

// Writes both files atomically.
void write_model_card(const ModelCard& card);

}  // namespace streamdx

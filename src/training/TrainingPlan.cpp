#include "training/TrainingPlan.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace streamdx {

namespace {

// The speeds each training recording is read at: 1, then 1 + P/100 and its inverse.
std::vector<double> stretch_factors(double percent) {
  if (percent == 0) return {1.0};
  const double f = 1.0 + percent / 100.0;
  return {1.0, f, 1.0 / f};
}

void check_settings(const TrainerSettings& s) {
  if (s.phases < 1 || s.phases > 10) throw std::invalid_argument("--phases must be 1 to 10");
  if (s.folds < 1 || s.folds > 20) throw std::invalid_argument("--folds must be 1 to 20");
  if (!(s.stretch_augment_percent >= 0 && s.stretch_augment_percent <= 50)) {
    throw std::invalid_argument("--stretch-augment must be 0 to 50 (per cent)");
  }
  if (s.folds > 1 && s.refit) {
    throw std::invalid_argument(
        "--refit with --folds: cross-validation already trains the model on every fold");
  }
}

// Bonn: segments 1..N of every set train (in folds of consecutive segments, or with the last
// quarter validating); 81-100 are the test split and never chosen from.
void plan_bonn(const TrainerSettings& s, TrainingPlan& plan) {
  plan.bonn_root =
      s.bonn.empty() ? default_data_root() / "eeg" / "bonn" : std::filesystem::path(s.bonn);
  if (s.train_segments < 4 || s.train_segments > 80) {
    throw std::invalid_argument("--train-segments must be 4 to 80 (81-100 are the test split)");
  }
  if (plan.folded) {
    if (s.train_segments % s.folds != 0) {
      throw std::invalid_argument("--train-segments must be a multiple of --folds");
    }
    const int per_fold = s.train_segments / s.folds;
    for (int k = 0; k < s.folds; ++k) {
      plan.folds.push_back(
          bonn_segments(plan.bonn_root, "ABCDE", k * per_fold + 1, (k + 1) * per_fold));
    }
    plan.data = fmt::format(
        "Bonn ({}): sets A-E; seizure = E; train segments 001-{:03}, in {} cross-validation "
        "folds of {} consecutive segments; test 081-100 (never used to choose anything)",
        plan.bonn_root.string(), s.train_segments, s.folds, per_fold);
    return;
  }
  const int validation_first = s.train_segments * 3 / 4 + 1;
  plan.train = bonn_segments(plan.bonn_root, "ABCDE", 1, validation_first - 1);
  plan.validation = bonn_segments(plan.bonn_root, "ABCDE", validation_first, s.train_segments);
  plan.data = fmt::format(
      "Bonn ({}): sets A-E; seizure = E; train segments 001-{:03}, validation {:03}-{:03}, "
      "test 081-100 (never used to choose anything)",
      plan.bonn_root.string(), validation_first - 1, validation_first, s.train_segments);
}

// A TUSZ-layout corpus: recording i in fold i mod K, or every fifth recording validating.
void plan_corpus(const TrainerSettings& s, TrainingPlan& plan) {
  TuszCorpus corpus = tusz_corpus(s.corpus);
  if (!plan.folded) {
    plan.train = std::move(corpus.train);
    plan.validation = std::move(corpus.validation);
    plan.data =
        fmt::format("TUSZ-layout corpus ({}): {} recordings train, {} validate (every fifth)",
                    s.corpus, plan.train.size(), plan.validation.size());
    return;
  }
  std::vector<LabelledRecording> all = std::move(corpus.train);
  for (auto& r : corpus.validation) all.push_back(std::move(r));
  if (all.size() < static_cast<std::size_t>(s.folds)) {
    throw std::invalid_argument(
        fmt::format("{}: {} recordings for {} folds", s.corpus, all.size(), s.folds));
  }
  plan.folds.resize(static_cast<std::size_t>(s.folds));
  for (std::size_t i = 0; i < all.size(); ++i) {
    plan.folds[i % plan.folds.size()].push_back(std::move(all[i]));
  }
  plan.data = fmt::format(
      "TUSZ-layout corpus ({}): {} recordings in {} cross-validation folds (recording i in fold "
      "i mod {})",
      s.corpus, all.size(), s.folds, s.folds);
}

}  // namespace

TrainingPlan plan_training(const TrainerSettings& settings) {
  check_settings(settings);
  TrainingPlan plan;
  plan.bonn = settings.corpus.empty();
  plan.folded = settings.folds > 1;
  plan.stretches = stretch_factors(settings.stretch_augment_percent);
  if (plan.bonn) {
    plan_bonn(settings, plan);
  } else {
    plan_corpus(settings, plan);
  }
  if (settings.phases > 1) {
    plan.data += fmt::format("; training windows at {} shifts (0.1 s apart) of the 1 s epoch grid",
                             settings.phases);
  }
  if (plan.stretches.size() > 1) {
    const double f = plan.stretches[1];
    plan.data += fmt::format(
        "; every training recording also read at {:g}x and 1/{:g}x speed, its rhythms that much "
        "faster and slower (validation windows unstretched)",
        f, f);
  }
  return plan;
}

}  // namespace streamdx

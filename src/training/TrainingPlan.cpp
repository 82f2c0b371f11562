#include "training/TrainingPlan.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "training/DelhiStreams.hpp"

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
  if (!s.add_corpora.empty() && !s.corpus.empty()) {
    throw std::invalid_argument(
        "--add-corpus adds to Bonn (and --delhi); with --corpus, list it there");
  }
  if (!s.delhi.empty() && (!s.corpus.empty() || (s.folds > 1 && kDelhiSegments % s.folds != 0))) {
    throw std::invalid_argument(
        "--delhi goes with the Bonn split and a fold count that divides its 30 segments (2, 3, "
        "5, 6, 10 or 15)");
  }
  if (s.folds > 1 && s.refit) {
    throw std::invalid_argument(
        "--refit with --folds: cross-validation already trains the model on every fold");
  }
}

constexpr int kTrainingShuffles = 4;  // models/SPLIT-delhi.md

DelhiStreamPlan stream_plan(const TrainerSettings& s, const TrainingPlan& plan) {
  return DelhiStreamPlan{s.delhi, plan.bonn_root, s.out + ".streams", s.options.seed};
}

// Delhi's block k of `blocks` (1-based) as it trains (4 shuffles of onset streams) and as it
// validates (one); either output may be null.
void add_delhi_block(const DelhiStreamPlan& streams, int k, int blocks,
                     std::vector<LabelledRecording>* train,
                     std::vector<LabelledRecording>* validation) {
  const int per_block = kDelhiSegments / blocks;
  const int first = (k - 1) * per_block + 1;
  const int last = k * per_block;
  if (train != nullptr) {
    const auto t = delhi_streams(streams, first, last, kTrainingShuffles);
    train->insert(train->end(), t.begin(), t.end());
  }
  if (validation != nullptr) {
    const auto v = delhi_streams(streams, first, last, 1);
    validation->insert(validation->end(), v.begin(), v.end());
  }
}

void add_bonn_onsets(const DelhiStreamPlan& streams, int first, int last,
                     std::vector<LabelledRecording>& to) {
  const auto onsets = bonn_onset_streams(streams, first, last);
  to.insert(to.end(), onsets.begin(), onsets.end());
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
      const int first = k * per_fold + 1;
      const int last = (k + 1) * per_fold;
      plan.folds.push_back(bonn_segments(plan.bonn_root, "ABCDE", first, last));
      plan.validation_folds.push_back(plan.folds.back());
      if (!s.delhi.empty()) {
        const DelhiStreamPlan streams = stream_plan(s, plan);
        add_bonn_onsets(streams, first, last, plan.folds.back());
        add_bonn_onsets(streams, first, last, plan.validation_folds.back());
        add_delhi_block(streams, k + 1, s.folds, &plan.folds.back(), &plan.validation_folds.back());
      }
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
  if (!s.delhi.empty()) {  // Delhi's last fifth validates, as Bonn's last quarter does
    const DelhiStreamPlan streams = stream_plan(s, plan);
    add_bonn_onsets(streams, 1, validation_first - 1, plan.train);
    add_bonn_onsets(streams, validation_first, s.train_segments, plan.validation);
    for (int k = 1; k <= 4; ++k) add_delhi_block(streams, k, 5, &plan.train, nullptr);
    add_delhi_block(streams, 5, 5, nullptr, &plan.validation);
  }
  plan.data = fmt::format(
      "Bonn ({}): sets A-E; seizure = E; train segments 001-{:03}, validation {:03}-{:03}, "
      "test 081-100 (never used to choose anything)",
      plan.bonn_root.string(), validation_first - 1, validation_first, s.train_segments);
}

// Annotated recordings into the plan: recording i in fold i mod K (training and validating as
// it is), or, without folds, every fifth validating. Each recording stays whole, so none reaches
// both parts of a fold.
void place_recordings(const std::vector<LabelledRecording>& all, TrainingPlan& plan) {
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (plan.folded) {
      plan.folds[i % plan.folds.size()].push_back(all[i]);
      plan.validation_folds[i % plan.folds.size()].push_back(all[i]);
    } else {
      (i % 5 == 4 ? plan.validation : plan.train).push_back(all[i]);
    }
  }
}

// An annotated corpus alone.
void plan_corpus(const TrainerSettings& s, TrainingPlan& plan) {
  const std::vector<LabelledRecording> all = annotated_recordings(s.corpus);
  if (plan.folded && all.size() < static_cast<std::size_t>(s.folds)) {
    throw std::invalid_argument(
        fmt::format("{}: {} recordings for {} folds", s.corpus, all.size(), s.folds));
  }
  plan.folds.resize(plan.folded ? static_cast<std::size_t>(s.folds) : 0);
  plan.validation_folds.resize(plan.folds.size());
  place_recordings(all, plan);
  if (plan.folded) {
    plan.data = fmt::format(
        "annotated corpus ({}): {} recordings in {} cross-validation folds (recording i in fold "
        "i mod {})",
        s.corpus, all.size(), s.folds, s.folds);
    return;
  }
  if (plan.validation.empty()) plan.validation.push_back(plan.train.back());  // under five
  plan.data = fmt::format("annotated corpus ({}): {} recordings train, {} validate (every fifth)",
                          s.corpus, plan.train.size(), plan.validation.size());
}

// A user's own annotated corpus beside Bonn (and Delhi).
void add_corpus(const std::string& root, TrainingPlan& plan) {
  const std::vector<LabelledRecording> all = annotated_recordings(root);
  place_recordings(all, plan);
  plan.data += fmt::format("; plus the annotated corpus {} ({} recordings, {})", root, all.size(),
                           plan.folded ? "recording i in fold i mod K" : "every fifth validates");
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
  for (const std::string& extra : settings.add_corpora) add_corpus(extra, plan);
  if (!settings.delhi.empty()) {
    plan.data += fmt::format(
        "; plus New Delhi scalp streams ({}: segments 01-30 of each class, {} blocks by segment "
        "number, onset streams of 9 non-seizure then 4 ictal segments and one stream per class) "
        "and Bonn onset streams (C n, D n, E n), as models/SPLIT-delhi.md says",
        settings.delhi, plan.folded ? settings.folds : 5);
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

// K-fold cross-validation of the training length: which windows each fold sees, the averaged
// curve and its minimum, resuming from finished folds, and the finished-folds file.
#include "training/CrossValidation.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/ChildProcess.hpp"
#include "support/Files.hpp"

namespace streamdx {
namespace {

// A block whose windows are all `tag` (one value per window, for readable checks).
FoldBlock block(float tag, std::size_t training, std::size_t validation) {
  FoldBlock b;
  b.training.windows.assign(training, tag);
  b.training.labels.assign(training, 1);
  b.validation.windows.assign(validation, tag + 0.5F);
  b.validation.labels.assign(validation, 0);
  return b;
}

TrainingReport report(const std::vector<double>& losses) {
  TrainingReport r;
  for (std::size_t e = 0; e < losses.size(); ++e) {
    r.history.push_back(EpochSummary{static_cast<int>(e + 1), 1.0 / static_cast<double>(e + 1),
                                     losses[e], 1.0 - losses[e]});
  }
  r.best_epoch =
      static_cast<int>(std::min_element(losses.begin(), losses.end()) - losses.begin() + 1);
  r.early_stop = true;
  return r;
}

TEST(CrossValidation, EachFoldTrainsOnTheOtherBlocksAndValidatesOnItsOwn) {
  const std::vector<FoldBlock> blocks = {block(1, 2, 1), block(2, 3, 1), block(3, 1, 2)};
  std::vector<std::vector<float>> seen_training;
  std::vector<std::vector<float>> seen_validation;
  cross_validate(blocks, {}, [&](const TrainingSet& t, const TrainingSet& v, std::size_t) {
    seen_training.push_back(t.windows);
    seen_validation.push_back(v.windows);
    EXPECT_EQ(t.labels.size(), t.windows.size());
    return report({0.5});
  });
  ASSERT_EQ(seen_training.size(), 3U);
  EXPECT_EQ(seen_training[0], (std::vector<float>{2, 2, 2, 3}));
  EXPECT_EQ(seen_training[1], (std::vector<float>{1, 1, 3}));
  EXPECT_EQ(seen_training[2], (std::vector<float>{1, 1, 2, 2, 2}));
  EXPECT_EQ(seen_validation[2], (std::vector<float>{3.5F, 3.5F}));
  EXPECT_EQ(merge_blocks(blocks, true).windows, (std::vector<float>{1.5F, 2.5F, 3.5F, 3.5F}));
}

TEST(CrossValidation, ChoosesTheMinimumOfTheMeanCurveOverEpochsEveryFoldRan) {
  const std::vector<FoldBlock> blocks = {block(1, 1, 1), block(2, 1, 1), block(3, 1, 1)};
  // Alone, the folds are best at epochs 1, 4 and 2; averaged, epoch 2 wins. The first fold's
  // epoch 5 is past the shortest fold and must not count, however low.
  const std::vector<TrainingReport> reports = {report({0.2, 0.3, 0.4, 0.5, 0.01}),
                                               report({0.9, 0.5, 0.45, 0.4}),
                                               report({0.7, 0.3, 0.6, 0.8})};
  const CrossValidation cv = cross_validate(
      blocks, {},
      [&](const TrainingSet&, const TrainingSet&, std::size_t k) { return reports[k]; });
  ASSERT_EQ(cv.mean_validation_loss.size(), 4U);
  EXPECT_DOUBLE_EQ(cv.mean_validation_loss[0], (0.2 + 0.9 + 0.7) / 3);
  EXPECT_DOUBLE_EQ(cv.mean_validation_loss[1], (0.3 + 0.5 + 0.3) / 3);
  EXPECT_DOUBLE_EQ(cv.mean_balanced_accuracy[1], ((1 - 0.3) + (1 - 0.5) + (1 - 0.3)) / 3);
  EXPECT_EQ(cv.best_epoch, 2);
  EXPECT_FALSE(cv.stopped);
}

TEST(CrossValidation, ResumingTrainsOnlyTheUnfinishedFolds) {
  const std::vector<FoldBlock> blocks = {block(1, 1, 1), block(2, 1, 1), block(3, 1, 1)};
  std::vector<std::size_t> trained;
  std::vector<std::size_t> saved_counts;
  const CrossValidation cv = cross_validate(
      blocks, {report({0.4, 0.2})},
      [&](const TrainingSet&, const TrainingSet&, std::size_t k) {
        trained.push_back(k);
        return report({0.4, 0.1, 0.3});
      },
      [&](const std::vector<TrainingReport>& done) { saved_counts.push_back(done.size()); });
  EXPECT_EQ(trained, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(saved_counts, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(cv.folds.size(), 3U);
  EXPECT_EQ(cv.best_epoch, 2);
}

TEST(CrossValidation, AStoppedFoldEndsTheRunAndIsNotCountedAsFinished) {
  const std::vector<FoldBlock> blocks = {block(1, 1, 1), block(2, 1, 1)};
  const CrossValidation cv =
      cross_validate(blocks, {}, [&](const TrainingSet&, const TrainingSet&, std::size_t k) {
        TrainingReport r = report({0.5});
        r.stopped = k == 1;
        return r;
      });
  EXPECT_TRUE(cv.stopped);
  EXPECT_EQ(cv.folds.size(), 1U);
  EXPECT_EQ(cv.best_epoch, 0);
}

TEST(CrossValidation, FinishedFoldsRoundTripExactlyAndRefuseAnotherConfiguration) {
  const auto dir = testing::scratch_dir("cross-validation-folds");
  const auto file = dir / "m.pt.folds";
  EXPECT_TRUE(load_finished_folds(file, "sig").empty()) << "no file: nothing finished";

  TrainingReport a = report({0.1 / 3, std::nextafter(0.25, 1.0), 1e-300});
  const TrainingReport b = report({0.7});
  save_finished_folds(file, "hidden 32 windows 10/2", {a, b});
  const auto back = load_finished_folds(file, "hidden 32 windows 10/2");
  ASSERT_EQ(back.size(), 2U);
  ASSERT_EQ(back[0].history.size(), 3U);
  for (std::size_t e = 0; e < 3; ++e) {
    EXPECT_EQ(back[0].history[e].validation_loss, a.history[e].validation_loss) << "bit-exact";
    EXPECT_EQ(back[0].history[e].train_loss, a.history[e].train_loss);
    EXPECT_EQ(back[0].history[e].validation_accuracy, a.history[e].validation_accuracy);
    EXPECT_EQ(back[0].history[e].epoch, a.history[e].epoch);
  }
  EXPECT_EQ(back[0].best_epoch, a.best_epoch);
  EXPECT_EQ(back[1].history.at(0).validation_loss, 0.7);

  try {
    load_finished_folds(file, "hidden 64 windows 10/2");
    ADD_FAILURE() << "another configuration's folds were accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("another training configuration"), std::string::npos);
  }
  const std::string whole = testing::read_file(file);
  testing::write_file(file, whole.substr(0, whole.size() - 6));
  EXPECT_THROW(load_finished_folds(file, "hidden 32 windows 10/2"), std::runtime_error)
      << "a truncated file";
  testing::write_file(file, "garbage\n");
  EXPECT_THROW(load_finished_folds(file, "hidden 32 windows 10/2"), std::runtime_error);
}

}  // namespace
}  // namespace streamdx

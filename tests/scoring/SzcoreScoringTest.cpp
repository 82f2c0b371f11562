// SzCORE event scoring on cases worked by hand from the reference implementation's rules
// (src/scoring/SzcoreScoring.hpp, in their order: 10 Hz grid, merge, split, widened references,
// false alarms outside the widened hits).
#include "scoring/SzcoreScoring.hpp"

#include <gtest/gtest.h>

#include "scoring/ExpectCounts.hpp"

namespace streamdx {
namespace {

using testing::expect_counts;

TEST(SzcoreScoring, TolerancesMergingAndSplitting) {
  // A hit inside the reference; nothing outside the widened reference [70, 210).
  expect_counts(score_szcore({{100, 150}}, {{120, 130}}, 3600), 1, 0, 0);
  // 40 s early: it overlaps the widened reference, so a hit, but 10 s of it ([60, 70)) lie
  // outside the widened hit, so it is also a false alarm (SzCORE counts both).
  expect_counts(score_szcore({{100, 150}}, {{60, 75}}, 3600), 1, 0, 1);
  // 55 s after the end: still inside the 60 s tolerance.
  expect_counts(score_szcore({{100, 150}}, {{205, 209}}, 3600), 1, 0, 0);
  // Two detections 40 s apart merge into one event: one false alarm, not two.
  expect_counts(score_szcore({}, {{1000, 1010}, {1050, 1060}}, 3600), 0, 0, 1);
  // ... and 100 s apart they stay two.
  expect_counts(score_szcore({}, {{1000, 1010}, {1110, 1120}}, 3600), 0, 0, 2);
  // A 700 s reference splits into 300 + 300 + 100 s events; a detection in the first 300 s
  // (plus 60 s tolerance) finds only the first.
  expect_counts(score_szcore({{0, 700}}, {{10, 20}}, 3600), 1, 2, 0);
  // Nothing at all.
  expect_counts(score_szcore({}, {}, 3600), 0, 0, 0);
}

TEST(SzcoreScoring, AMergedEventEndsWhereTheLaterEventEnds) {
  // Sorted by start: [100, 190) then [105, 110). 105 - 190 < 90, so they merge into
  // [100, 110): the later event's end, not the union. The widened reference [170, 270) then
  // sees no detection: a miss, and the merged event a false alarm.
  expect_counts(score_szcore({{200, 210}}, {{105, 110}, {100, 190}}, 3600), 0, 1, 1);
  // The same two detections as one event [100, 190) reach it: a hit, and [100, 170) a false
  // alarm.
  expect_counts(score_szcore({{200, 210}}, {{100, 190}}, 3600), 1, 0, 1);
}

TEST(SzcoreScoring, TheGapInsideAMergedDetectionCountsAsDetected) {
  // [0, 60) and [140, 150) are 80 s apart: merged into [0, 150), which covers the widened
  // reference [70, 180) from 70 to 150. A hit; the merged event's [0, 70) is a false alarm.
  expect_counts(score_szcore({{100, 120}}, {{0, 60}, {140, 150}}, 3600), 1, 0, 1);
}

TEST(SzcoreScoring, GridIndicesRoundHalfToEven) {
  // [5.25, 5.26): 52.5 rounds to 52 (even), 52.6 to 53: one sample, a false alarm. (Rounding
  // halves away from zero would give [53, 53): nothing.)
  expect_counts(score_szcore({}, {{5.25, 5.26}}, 3600), 0, 0, 1);
  // [5.375, 5.38): 53.75 and 53.8 both round to 54: empty, no event at all on the grid.
  expect_counts(score_szcore({}, {{5.375, 5.38}}, 3600), 0, 0, 0);
}

TEST(SzcoreScoring, TheFileEndsTheGridAndTheTolerance) {
  // The widened reference is cut at the file's end (3600 s); a detection after it is not on
  // the grid at all.
  expect_counts(score_szcore({{3590, 3600}}, {{3600, 3610}}, 3600), 0, 1, 0);
  // Duration 100.5 s rounds (half to even) to 100 s: a detection at [100, 100.5) is off the grid.
  expect_counts(score_szcore({}, {{100, 100.5}}, 100.5), 0, 0, 0);
  expect_counts(score_szcore({}, {{100, 100.5}}, 101.5), 0, 0, 1);
}

}  // namespace
}  // namespace streamdx

#pragma once
// The recordings a model is trained and evaluated on, with their labels.
//
// Bonn (../shared/data/eeg/bonn, SPLIT.md): sets A-E of 100 single-channel segments at
// 173.61 Hz, one value a line. Set E is seizure, A-D are not; every epoch of a segment has the
// segment's label. Segments 001-080 are for training (here 001-060 train and 061-080 validate),
// 081-100 are the test split and are never used to choose anything.
//
// An annotated corpus: any tree of EDF recordings with seizure annotations in a format streamdx
// reads (io/SeizureAnnotations.hpp: TUSZ csv_bi, CHB-MIT, Siena, SeizeIT, BIDS); an epoch is
// seizure when at least half of it lies inside a seizure. Recordings are split into train and
// validation by their sorted position (every fifth validates).
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace streamdx {

inline constexpr double kBonnRateHz = 173.61;  // every Bonn segment's sample rate

// STREAMDX_DATA, or ../shared/data beside the checkout the binary was built in.
std::filesystem::path default_data_root();

struct LabelledRecording {
  std::filesystem::path path;
  std::string set;                                  // Bonn set letter, or "" for TUSZ
  int segment = 0;                                  // Bonn segment number
  bool seizure = false;                             // Bonn: the whole segment's class
  std::vector<std::pair<double, double>> seizures;  // TUSZ, streams: seizure intervals, seconds
  double rate_hz = 0;  // > 0: a single-channel text recording at this rate (SegmentStreams.hpp)
  // Label of the epoch [start_s, start_s + 1): 1 seizure, 0 background.
  [[nodiscard]] int epoch_label(double start_s) const;
};

// Bonn segments of `sets` (e.g. "ABCDE") numbered first..last, in set then number order.
// Throws naming the directory and the missing file if any is absent.
std::vector<LabelledRecording> bonn_segments(const std::filesystem::path& root,
                                             const std::string& sets, int first, int last);

// Every .edf/.bdf below `root` that has seizure annotations, in path order; throws naming `root`
// when there is none. (How they split into training and validation: training/TrainingPlan.cpp.)
std::vector<LabelledRecording> annotated_recordings(const std::filesystem::path& root);

}  // namespace streamdx

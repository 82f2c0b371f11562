#pragma once
// Training and validation streams for a model that compares each channel with its own
// background (models/SPLIT-delhi.md, written before any run):
//
// - New Delhi scalp segments (../shared/data/eeg/delhi: 5.12 s, 200 Hz, one channel; classes
//   ictal, interictal, preictal, segments 01-30): onset streams of 9 non-seizure segments then 4
//   ictal ones, and one stream per class of all its segments;
// - Bonn onset streams: C n, D n, then E n (all intracranial; Bonn's scalp sets A and B are
//   never joined to E).
//
// Every stream holds the segments of one block of segment numbers only, so that a segment never
// reaches both the training and the validation part of a cross-validation fold. Shuffles are
// deterministic from the seed.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "training/EegCorpus.hpp"

namespace streamdx {

inline constexpr double kDelhiRateHz = 200.0;
inline constexpr int kDelhiSegments = 30;           // 01-30 here; 31-50 are kept elsewhere
inline constexpr std::size_t kOnsetBackground = 9;  // segments before the seizure (46 s)
inline constexpr std::size_t kOnsetIctal = 4;       // seizure segments (20.5 s)

struct DelhiStreamPlan {
  std::filesystem::path delhi_root;
  std::filesystem::path bonn_root;
  std::filesystem::path out_dir;  // the stream files are written here
  std::uint64_t seed = 1;
};

// The streams of Delhi segments first..last of every class: `shuffles` sets of onset streams
// (training parts 4, validation parts 1), then the interictal, preictal and ictal streams.
// Throws naming the folder or segment that is missing.
std::vector<LabelledRecording> delhi_streams(const DelhiStreamPlan& plan, int first, int last,
                                             int shuffles);

// One onset stream per Bonn E segment numbered first..last: C n, D n, E n.
std::vector<LabelledRecording> bonn_onset_streams(const DelhiStreamPlan& plan, int first, int last);

}  // namespace streamdx

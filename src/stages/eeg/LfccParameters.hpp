#pragma once
// The LFCC feature definition in numbers. docs/FEATURES.md states the same values in prose and
// tests/reference/lfcc_ref.py re-implements them from that text; change all three together.
#include <array>
#include <cstddef>
#include <string_view>

#include "stages/eeg/StreamFormat.hpp"

namespace streamdx::lfcc {

inline constexpr double kSampleRateHz = kStreamRateHz;
inline constexpr std::size_t kFrameSamples = kStreamFrameSamples;  // one 0.1 s frame: the hop
inline constexpr std::size_t kBufferFrames = 3;    // 0.3 s circular buffer: frames t-1, t, t+1
inline constexpr std::size_t kWindowSamples = 50;  // 0.2 s analysis window
// The window for frame t starts this many samples before the frame's first sample, so that it
// spans the frame plus 13 samples before and 12 after: centred to within half a sample.
inline constexpr std::size_t kWindowLead = 13;
inline constexpr std::size_t kFftSize = 64;  // window zero-padded to 64: bins 3.90625 Hz apart
inline constexpr std::size_t kFftBins = kFftSize / 2 + 1;

// Linear triangular filter bank: kFilters triangles whose kFilters + 2 edge frequencies are
// equally spaced from kLowHz to kHighHz; filter m rises from edge m to m+1 and falls to m+2.
inline constexpr std::size_t kFilters = 8;
inline constexpr double kLowHz = 0.0;
inline constexpr double kHighHz = 40.0;
// Floor under band and window energies (µV²) before the natural log: a flat channel gives
// finite features.
inline constexpr double kEnergyFloor = 1e-6;
inline constexpr std::size_t kCepstra = 7;  // c1..c7 (DCT-II, orthonormal, no liftering)

inline constexpr std::size_t kAbsolute = 1 + kCepstra;               // energy, c1..c7
inline constexpr std::size_t kDiffEnergyFrames = 9;                  // 0.9 s
inline constexpr std::size_t kDeltaReach = 4;                        // 9-frame (0.9 s) regression
inline constexpr std::size_t kDeltaDeltaReach = 1;                   // 3-frame (0.3 s) regression
inline constexpr std::size_t kWithDiff = kAbsolute + 1;              // ... plus differential energy
inline constexpr std::size_t kFeatures = 2 * kWithDiff + kAbsolute;  // 26

// Output frames lag input frames by this many: frame t's window needs frame t+1, its deltas
// the windows up to t+4, and its delta-deltas the deltas at t+1.
inline constexpr std::size_t kDelayFrames = 1 + kDeltaReach + kDeltaDeltaReach;

// Feature order within one channel's 26 values.
inline constexpr std::array<std::string_view, kFeatures> kFeatureNames = {
    "energy",    "c1",    "c2",    "c3",    "c4",    "c5",    "c6",    "c7",   "diff_energy",
    "d_energy",  "d_c1",  "d_c2",  "d_c3",  "d_c4",  "d_c5",  "d_c6",  "d_c7", "d_diff_energy",
    "dd_energy", "dd_c1", "dd_c2", "dd_c3", "dd_c4", "dd_c5", "dd_c6", "dd_c7"};

}  // namespace streamdx::lfcc

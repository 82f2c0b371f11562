#pragma once
// Every EEG stream inside streamdx after acquisition: 250 Hz, in 0.1 s frames of 25 samples per
// channel. One constant, not a setting: LFCC's windows, the 1 s epochs and the model are defined
// on it, and acquisition resamples any input rate to it (Resampler.hpp).
#include <cstdint>

namespace streamdx {

inline constexpr double kStreamRateHz = 250.0;
inline constexpr std::uint16_t kStreamFrameSamples = 25;

}  // namespace streamdx

#pragma once
// Every EEG stream inside streamdx after acquisition: 250 Hz, in 0.1 s frames of 25 samples per
// channel. One constant, not a setting: LFCC's windows, the 1 s epochs and the model are defined
// on it, and acquisition resamples any input rate to it (Resampler.hpp).
#include <cstdint>

namespace streamdx {

inline constexpr double kStreamRateHz = 250.0;
inline constexpr std::uint16_t kStreamFrameSamples = 25;

// The input rates acquisition accepts. Below 1 Hz a recording is no EEG (and the resampler's
// history, sized in input samples, would grow without bound); above 100 kHz it is no EEG either.
inline constexpr double kMinInputRateHz = 1.0;
inline constexpr double kMaxInputRateHz = 100'000.0;

}  // namespace streamdx

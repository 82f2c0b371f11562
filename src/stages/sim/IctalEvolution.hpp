#pragma once
// IctalEvolution: how the demo's seizure changes from onset to offset, as the scalp EEG of a
// typical focal seizure does (docs/DETECTION.md, "The demo's seizure", for the sources):
//
//   onset     (first 20 %): a rhythmic, sinusoidal 7 Hz theta discharge at low amplitude;
//   evolution (20-70 %):    the rhythm slows from 7 to 3 Hz while its amplitude grows
//                           3-fold and its waves sharpen into spike-and-wave;
//   late      (70-90 %):    3 Hz slowing to 2 Hz spike-and-wave at full amplitude;
//   offset    (90-100 %):   2 Hz, the amplitude falling, then an abrupt end, followed by a
//                           postictal attenuation of the background that recovers over 10 s.
//
// Channels join over the first seconds (a focal onset that spreads), each at its own delay.
// Everything here is a pure function of the time into the discharge, so the simulator stays
// bit-identical run to run.
#include <algorithm>
#include <cmath>
#include <numbers>

namespace streamdx::ictal {

inline constexpr double kOnsetHz = 7.0;          // the onset rhythm
inline constexpr double kMiddleHz = 3.0;         // reached at the end of the evolution
inline constexpr double kLateHz = 2.0;           // the rhythm at offset
inline constexpr double kOnsetAmplitude = 0.3;   // of full amplitude
inline constexpr double kOffsetAmplitude = 0.6;  // just before the abrupt end
inline constexpr double kRampInS = 1.0;          // how fast a channel joins, once reached
inline constexpr double kPostictalS = 10.0;      // background attenuation recovers over this
inline constexpr double kPostictalDepth = 0.5;   // the background's gain right after offset

inline double lerp(double a, double b, double x) {
  return a + (b - a) * std::clamp(x, 0.0, 1.0);
}

// The rhythm's frequency at fraction u (0..1) of the discharge, Hz.
inline double frequency_hz(double u) {
  if (u < 0.2) return kOnsetHz;
  if (u < 0.7) return lerp(kOnsetHz, kMiddleHz, (u - 0.2) / 0.5);
  return lerp(kMiddleHz, kLateHz, (u - 0.7) / 0.3);
}

// The envelope at fraction u, relative to full amplitude (0 outside [0, 1)).
inline double amplitude(double u) {
  if (u < 0.0 || u >= 1.0) return 0.0;
  if (u < 0.2) return kOnsetAmplitude;
  if (u < 0.7) return lerp(kOnsetAmplitude, 1.0, (u - 0.2) / 0.5);
  if (u < 0.9) return 1.0;
  return lerp(1.0, kOffsetAmplitude, (u - 0.9) / 0.1);
}

// 0: a sinusoid; 1: spike-and-wave.
inline double sharpness(double u) {
  return std::clamp((u - 0.2) / 0.5, 0.0, 1.0);
}

// One cycle's waveform at phase `cycle` (0..1), peak magnitude about 1.
inline double waveform(double cycle, double sharp) {
  const double sine = std::sin(2.0 * std::numbers::pi * cycle);
  // Spike-and-wave: a sharp negative spike followed by a slow positive wave.
  const double spike = -std::exp(-0.5 * std::pow((cycle - 0.1) / 0.025, 2.0));
  const double wave = 0.6 * std::sin(std::numbers::pi * std::clamp((cycle - 0.2) / 0.8, 0.0, 1.0));
  return (1.0 - sharp) * sine + sharp * (spike + wave);
}

// The background's gain `after_s` seconds after the offset (1 before it and once recovered).
inline double postictal_gain(double after_s) {
  if (after_s < 0.0 || after_s >= kPostictalS) return 1.0;
  return lerp(kPostictalDepth, 1.0, after_s / kPostictalS);
}

}  // namespace streamdx::ictal

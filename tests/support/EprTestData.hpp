#pragma once
// What the EPR tests share: seeded random images and data, a dot product in double, and the
// small simulated acquisition most of them reconstruct.
#include <cstdint>
#include <span>
#include <vector>

#include "core/Random.hpp"
#include "stages/epr/EprSimulator.hpp"

namespace streamdx::testing {

// n values drawn from N(offset, 1), the same for the same seed.
inline std::vector<float> random_vector(std::size_t n, std::uint64_t seed, double offset = 0) {
  SplitMix64 rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(offset + rng.normal());
  return v;
}

inline double dot(std::span<const float> a, std::span<const float> b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

// 60 projections of 1000 points over 400 G at 60 G/cm with a Voigt line (3 G Lorentzian, 2 G
// Gaussian, 1 G modulation): on `grid` at 96 pixels a pixel (0.31 mm) spans about half the line
// width, as on the phalanx data at 256 pixels. Phantom, SNR, noise and seed are the caller's.
inline EprSimulationOptions small_voigt_acquisition(ImageGrid grid) {
  EprSimulationOptions o;
  o.truth_grid = grid;
  o.projections = 60;
  o.samples = 1000;
  o.sweep = 400;
  o.gradient = 60;
  o.line.kind = LineShape::Kind::Voigt;
  o.line.lorentz_fwhm = 3.0;
  o.line.gauss_fwhm = 2.0;
  o.line.modulation = 1.0;
  return o;
}

}  // namespace streamdx::testing

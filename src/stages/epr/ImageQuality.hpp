#pragma once
// Figures of merit for reconstructed densities.
#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

namespace streamdx {

// ||image - truth|| / ||truth||.
inline double nrmse(std::span<const float> image, std::span<const float> truth) {
  double num = 0;
  double den = 0;
  for (std::size_t i = 0; i < image.size(); ++i) {
    const double d = static_cast<double>(image[i]) - truth[i];
    num += d * d;
    den += static_cast<double>(truth[i]) * truth[i];
  }
  return den > 0 ? std::sqrt(num / den) : 0.0;
}

// The fraction of the image's mass that is negative: sum(max(-u, 0)) / sum(|u|). Physically 0.
inline double negative_mass_fraction(std::span<const float> image) {
  double neg = 0;
  double all = 0;
  for (const float v : image) {
    all += std::abs(v);
    if (v < 0) neg -= v;
  }
  return all > 0 ? neg / all : 0.0;
}

// SSIM (Wang, Bovik, Sheikh and Simoncelli, IEEE TIP 2004) of an n x n image against the truth:
// the mean over pixels of the local index in an 11 x 11 Gaussian window (sigma 1.5, cut at the
// image's edges), with K1 = 0.01, K2 = 0.03 and the dynamic range L = max - min of the truth.
double ssim(std::span<const float> image, std::span<const float> truth, std::size_t n);

inline std::vector<float> clipped_at_zero(std::span<const float> image) {
  std::vector<float> out(image.begin(), image.end());
  for (float& v : out) v = std::max(v, 0.0F);
  return out;
}

}  // namespace streamdx

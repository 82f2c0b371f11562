#pragma once
// The comparison `streamdx epr compare` reports against a ground truth: the Fourier baseline at
// its oracle apodization (the width that minimises the error against the truth, which a user
// cannot know), raw and clipped at zero, and TV with its automatic lambda, on the same data.
#include <string>
#include <vector>

#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/EprReconstruction.hpp"

namespace streamdx {

struct EprComparison {
  std::size_t n = 0;            // the truth's grid, pixels per side
  std::size_t projections = 0;  // used
  std::size_t dimensions = 2;   // 3: a volume, TV only
  double fov_cm = 0;
  double fourier_nrmse = 0;
  double fourier_ssim = 0;  // of the oracle image
  double fourier_width_per_cm = 0;
  double fourier_negative_mass = 0;
  std::vector<float> fourier_image;
  double clipped_nrmse = 0;
  double clipped_width_per_cm = 0;
  EprReconstruction tv;
  double tv_nrmse = 0;
  double tv_ssim = 0;
};

// `truth`: n x n on a grid of `fov_cm` (or n^3 for a 3D set).
EprComparison compare_with_truth(const ProjectionSet& set, const ReferenceSpectrum& ref,
                                 const std::vector<float>& truth, double fov_cm, unsigned threads,
                                 const std::string& tv_operator = "toeplitz");

std::string comparison_json(const EprComparison& c, const std::string& projections);

}  // namespace streamdx

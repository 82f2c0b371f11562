#pragma once
// FourierReconstructor: the classical baseline (--method fourier), kept as the reference.
//   1. integrate each derivative projection to absorption, removing a linear baseline;
//   2. divide its spectrum by the reference absorption's, times a Gaussian apodization
//      exp(-f^2 / (2 w^2)) with f in cycles/cm along the projection (w: the cut-off knob);
//   3. resample onto the projector's bins and reconstruct by Ram-Lak filtered back projection.
// Nothing keeps the result non-negative: that is the point of comparing with TvReconstructor.
#include <span>
#include <vector>

#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/FilteredBackProjection.hpp"
#include "stages/epr/LineShapeConvolver.hpp"

namespace streamdx {

class FourierReconstructor {
 public:
  FourierReconstructor(const ProjectionSet& geometry, const ReferenceSpectrum& ref, double b0,
                       ImageGrid grid, unsigned threads);

  // The image for apodization width `w_per_cm` (cycles/cm).
  [[nodiscard]] std::vector<float> reconstruct(const ProjectionSet& data, double w_per_cm) const;
  // One projection (derivative, on the geometry's field axis) at gradient strength `mu_g_per_cm`:
  // integrated, deconvolved with apodization `w_per_cm`, resampled onto the projector's bins and
  // times mu. `row` (bins() values) is then one row of the sinogram reconstruct() back-projects.
  void deconvolve(std::span<const float> projection, double mu_g_per_cm, double w_per_cm,
                  std::span<float> row) const;
  // A deconvolved projection q (density per gauss, on the geometry's field axis) onto the
  // projector's bins, times mu: the last step of deconvolve, for other deconvolutions.
  void resample(std::span<const float> q, double mu_g_per_cm, std::span<float> row) const;
  [[nodiscard]] std::size_t bins() const noexcept { return bins_; }
  [[nodiscard]] const FilteredBackProjection& back_projection() const noexcept { return fbp_; }

  // A default width when there is no ground truth to tune against: mu / (3 Bpp) cycles/cm, a
  // third of the frequency of the resolution limit Bpp / mu, where the line shape's spectrum
  // has fallen into the noise on typical data (docs/EPR.md).
  [[nodiscard]] double default_width() const noexcept { return default_width_; }

 private:
  [[nodiscard]] std::vector<float> apodization(double mu, double w_per_cm) const;
  void deconvolve(std::span<const float> projection, double mu, std::span<const float> filter,
                  RealFft::Buffers& work, std::span<float> row) const;

  ImageGrid grid_;
  float field0_;
  std::size_t samples_;
  double field_step_;
  double b0_;
  unsigned threads_;
  std::vector<double> mu_;
  std::size_t bins_;
  double bin_cm_;
  LineShapeConvolver absorption_;
  FilteredBackProjection fbp_;
  double default_width_;
};

}  // namespace streamdx

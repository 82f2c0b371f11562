#pragma once
// FilteredBackProjection: the classical inverse of the 2D Radon transform for angles evenly
// covering 180 degrees. Each projection is filtered with the discrete Ram-Lak kernel
// (h_0 = 1/(4 d^2), h_n = -1/(pi n d)^2 for odd n, 0 for even n; d the bin width), then smeared
// back over the image with linear interpolation, times pi / angles. Bins follow
// JosephProjector's convention, so FBP(R u) is approximately u.
//
// Pixel rows are independent and each sums its angles in order: deterministic on any threads.
#include <span>
#include <vector>

#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/RealFft.hpp"

namespace streamdx {

class FilteredBackProjection {
 public:
  FilteredBackProjection(ImageGrid grid, std::vector<double> angles_rad, std::size_t bins,
                         double bin_cm);

  // sinogram: angles x bins.
  void reconstruct(std::span<const float> sinogram, std::span<float> image, unsigned threads) const;

  // One projection at a time, for an image that builds up as projections arrive: `row` (bins
  // values) is ramp-filtered in place, then added to `image` along `angle_rad` times `weight`.
  // The sum over a set's rows times pi / angles is reconstruct()'s image, up to rounding.
  void filter(std::span<float> row) const;
  void add_backprojection(std::span<const float> filtered, double angle_rad, float weight,
                          std::span<float> image, unsigned threads) const;
  [[nodiscard]] std::size_t bins() const noexcept { return bins_; }

 private:
  struct RowSpan;
  [[nodiscard]] RowSpan row_span(std::size_t j, double cosine, double sine) const;

  ImageGrid grid_;
  std::vector<double> angles_;
  std::size_t bins_;
  double bin_cm_;
  RealFft fft_;
  std::vector<std::complex<float>> ramp_;  // FFT of the Ram-Lak kernel, times bin / L
};

}  // namespace streamdx

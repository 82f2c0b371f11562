#pragma once
// JosephProjector: the 2D Radon transform of a square image and its adjoint, by Joseph's
// method. Each ray (one offset s at one angle) is sampled once per pixel row (or column, for
// rays closer to horizontal), interpolating linearly between the two pixels it passes, and
// weighted by the ray length per row, pixel / max(|cos|, |sin|). Cost: about n^2 two-tap
// interpolations per angle.
//
// Projection k at angle theta_k sums the image along lines s = x cos(theta) + y sin(theta);
// bin b holds s = (b - centre) * bin_cm. Pixel (i, j) (column i, row j) sits at
// x = (i - (n-1)/2) * pixel, y = (j - (n-1)/2) * pixel.
//
// The adjoint gives each pixel the weights the forward pass gave it, gathered by pixel: the
// transpose up to float rounding (adjointness holds to 1e-5 relative, tested). It relies on
// bins at least a pixel wide, so that at most two bins reach a pixel in a row.
//
// Work is split into a fixed number of angle chunks whatever the thread count, and the adjoint's
// per-chunk images are summed in chunk order, so results are bit-identical on 1 or 16 threads.
#include <cstddef>
#include <span>
#include <vector>

#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/RadonProjector.hpp"

namespace streamdx {

class JosephProjector final : public RadonProjector {
 public:
  // `bins`: 0 for bins_for(grid, bin_cm), or more (PlaneProjector needs their parity).
  JosephProjector(ImageGrid grid, std::vector<double> angles_rad, double bin_cm,
                  std::size_t bins = 0);

  // Bins of width bin_cm that cover the image's diagonal, plus a pixel on each side.
  static std::size_t bins_for(const ImageGrid& grid, double bin_cm);

  [[nodiscard]] const ImageGrid& grid() const noexcept override { return grid_; }
  [[nodiscard]] std::size_t angles() const noexcept override { return angles_.size(); }
  [[nodiscard]] std::size_t bins() const noexcept override { return bins_; }
  [[nodiscard]] double bin_cm() const noexcept override { return bin_cm_; }

  // sinogram: angles() x bins(), overwritten.
  void forward(std::span<const float> image, std::span<float> sinogram,
               unsigned threads) const override;
  // image: n x n, overwritten with the adjoint applied to `sinogram`.
  void adjoint(std::span<const float> sinogram, std::span<float> image,
               unsigned threads) const override;

 private:
  struct Ray {  // one angle's stepping: see the .cpp
    bool by_rows;
    float weight;
    float kappa;   // d(zeta)/d(bin)
    float offset;  // zeta at bin 0 for stepping coordinate 0
    float slope;   // d(zeta)/d(stepping index)
  };
  static constexpr std::size_t kChunks = 8;

  ImageGrid grid_;
  std::vector<double> angles_;
  double bin_cm_;
  std::size_t bins_;
  std::vector<Ray> rays_;
};

}  // namespace streamdx

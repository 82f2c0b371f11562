#pragma once
// RadonProjector: what the EPR operator needs of a Radon transform, whatever the dimension:
// projection k of an image (2D: line integrals, JosephProjector) or a volume (3D: plane
// integrals, PlaneProjector) sampled on bins of width bin_cm(), bin b at offset
// s = (b - centre()) * bin_cm() along the gradient's direction, and the adjoint.
#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "stages/epr/EprGeometry.hpp"

namespace streamdx {

class RadonProjector {
 public:
  RadonProjector() = default;
  virtual ~RadonProjector() = default;
  RadonProjector(const RadonProjector&) = delete;
  RadonProjector& operator=(const RadonProjector&) = delete;

  [[nodiscard]] virtual const ImageGrid& grid() const noexcept = 0;
  [[nodiscard]] virtual std::size_t angles() const noexcept = 0;  // projections
  [[nodiscard]] virtual std::size_t bins() const noexcept = 0;
  [[nodiscard]] virtual double bin_cm() const noexcept = 0;
  [[nodiscard]] double centre() const noexcept { return static_cast<double>(bins() - 1) / 2; }

  // sinogram: angles() x bins(), overwritten.
  virtual void forward(std::span<const float> image, std::span<float> sinogram,
                       unsigned threads) const = 0;
  // image: grid().voxels(), overwritten with the adjoint applied to `sinogram`.
  virtual void adjoint(std::span<const float> sinogram, std::span<float> image,
                       unsigned threads) const = 0;
};

// The projector for `geometry`'s directions on `grid` (2D or 3D, as the grid says), with bins a
// pixel wide.
std::unique_ptr<RadonProjector> make_projector(const ProjectionSet& geometry,
                                               const ImageGrid& grid);

}  // namespace streamdx

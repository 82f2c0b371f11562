#pragma once
// PlaneProjector: the 3D Radon transform of a cubic volume (its integrals over the planes
// s = x . n, n a gradient's direction) and its adjoint, as two passes of the 2D JosephProjector.
//
// With n = (sin(theta) cos(phi), sin(theta) sin(phi), cos(theta)) and t = x cos(phi) + y sin(phi),
// s = t sin(theta) + z cos(theta). So:
//   1. each z slice is projected along lines at each distinct azimuth phi: g_phi(t, z);
//   2. each g_phi, a (t, z) plane, is projected along lines at angle atan2(cos, sin theta) of
//      every direction with that azimuth.
// Cost: (azimuths x n^3) + (projections x m^2), m ~ n sqrt 2 the plane's side, instead of
// projections x n^3 voxel by voxel: for fusillo's 31 x 31 directions on 65^3, about 20 times
// less. Directions in no grid still work (one azimuth each), only slower.
//
// Slices, planes and projections are independent, each done by one thread in full: results are
// bit-identical on any thread count.
#include <array>
#include <memory>
#include <vector>

#include "stages/epr/JosephProjector.hpp"
#include "stages/epr/RadonProjector.hpp"

namespace streamdx {

class PlaneProjector final : public RadonProjector {
 public:
  // `grid`: 3D, n odd or even. `directions`: the gradients (any length, not zero).
  PlaneProjector(ImageGrid grid, const std::vector<std::array<double, 3>>& directions);

  [[nodiscard]] const ImageGrid& grid() const noexcept override { return grid_; }
  [[nodiscard]] std::size_t angles() const noexcept override { return group_of_.size(); }
  [[nodiscard]] std::size_t bins() const noexcept override { return bins_; }
  [[nodiscard]] double bin_cm() const noexcept override { return grid_.pixel_cm(); }

  void forward(std::span<const float> volume, std::span<float> sinogram,
               unsigned threads) const override;
  void adjoint(std::span<const float> sinogram, std::span<float> volume,
               unsigned threads) const override;

 private:
  ImageGrid grid_;
  std::size_t side_ = 0;      // m: the (t, z) planes' side, = the slices' bins
  std::size_t z_offset_ = 0;  // the plane row of slice 0
  std::size_t bins_ = 0;
  std::unique_ptr<JosephProjector> slices_;               // the azimuths, on each z slice
  std::vector<std::unique_ptr<JosephProjector>> planes_;  // per azimuth: its directions
  std::vector<std::size_t> group_of_;                     // projection -> azimuth group
  std::vector<std::size_t> index_in_group_;
};

}  // namespace streamdx

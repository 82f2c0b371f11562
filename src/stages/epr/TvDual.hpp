#pragma once
// TvDual: the isotropic TV block of the primal-dual TV solvers (TvReconstructor.hpp,
// ToeplitzTvSolver.hpp): y <- proj_ball(y + sigma grad(ubar)) at each pixel (or voxel), then
// out = grad^T y. Forward differences, zero past the last row/column/slice (Neumann).
#include <array>
#include <span>
#include <vector>

#include "stages/epr/EprGeometry.hpp"

namespace streamdx {

class TvDual {
 public:
  TvDual(const ImageGrid& grid, unsigned threads);
  // ||grad||^2 <= 4 d.
  [[nodiscard]] double norm2() const { return 4.0 * static_cast<double>(dims_); }
  void step(std::span<const float> ubar, float sigma, std::span<float> out);

 private:
  std::size_t n_;
  std::size_t dims_;
  unsigned threads_;
  std::array<std::vector<float>, 3> g_;
  std::array<std::vector<float>, 3> y_;
};

}  // namespace streamdx

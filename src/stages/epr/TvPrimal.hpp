#pragma once
// TvPrimal: the primal side both TV solvers share (TvReconstructor.hpp through the projector,
// ToeplitzTvSolver.hpp through A*A): the image u >= 0, the extrapolated ubar, the TV dual, the
// steps, and the update
//
//   q <- proj(q + sigma_tv grad ubar);  u' = max(0, u - tau (A* y + grad^T q));  ubar = 2 u' - u
//
// Steps: tau = step_scale max(u0) / ||grad||, sigma_data = 0.49 / (tau ||A||^2) and
// sigma_tv = 0.49 / (tau ||grad||^2), so tau (sigma_data ||A||^2 + sigma_tv ||grad||^2) < 1.
#include <span>
#include <vector>

#include "stages/epr/TvDual.hpp"

namespace streamdx {

class TvPrimal {
 public:
  TvPrimal(std::vector<float> start, const ImageGrid& grid, unsigned threads, double step_scale,
           double operator_norm);

  [[nodiscard]] double sigma_data() const noexcept { return sigma_data_; }
  [[nodiscard]] const std::vector<float>& u() const noexcept { return u_; }
  [[nodiscard]] const std::vector<float>& ubar() const noexcept { return ubar_; }
  // One update with the data term's gradient A* y; returns ||u' - u|| / ||u'||.
  double step(std::span<const float> data_gradient);
  [[nodiscard]] std::vector<float> take_image() { return std::move(u_); }

 private:
  TvDual tv_;
  std::vector<float> u_, ubar_, unew_, dt_;
  double tau_ = 0;
  double sigma_data_ = 0;
  double sigma_tv_ = 0;
};

}  // namespace streamdx

#pragma once
// TvPrimal: the primal side both TV solvers share (TvReconstructor.hpp through the projector,
// ToeplitzTvSolver.hpp through A*A): the image u >= 0, the extrapolated ubar, the TV dual, the
// steps, and the update
//
//   q <- proj(q + sigma_tv grad ubar);  u' = max(0, u - tau (A* y + grad^T q));  ubar = 2 u' - u
//
// Steps: tau = step_scale max(u0) / ||grad||, sigma_data = 0.49 / (tau ||A||^2) and
// sigma_tv = 0.49 / (tau ||grad||^2), so tau (sigma_data ||A||^2 + sigma_tv ||grad||^2) < 1.
#include <functional>
#include <span>
#include <vector>

#include "stages/epr/TvDual.hpp"
#include "stages/epr/TvReconstructor.hpp"

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

// The stop rule both solvers share, with out.residual just measured at iteration `it`: records
// it, reports it, and says whether to stop (the change below options.tolerance with the
// residual within 1 % of epsilon, after 10 iterations: out.converged); else counts the
// iteration.
bool tv_stops(TvResult& out, unsigned it, double epsilon, double last_change,
              const TvOptions& options, const std::function<void(unsigned, double)>& progress);

}  // namespace streamdx

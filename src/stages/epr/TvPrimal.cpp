#include "stages/epr/TvPrimal.hpp"

#include <algorithm>
#include <cmath>

namespace streamdx {

TvPrimal::TvPrimal(std::vector<float> start, const ImageGrid& grid, unsigned threads,
                   double step_scale, double operator_norm)
    : tv_(grid, threads), u_(std::move(start)) {
  for (float& x : u_) x = std::max(x, 0.0F);
  const double scale =
      std::max(1e-30, static_cast<double>(*std::max_element(u_.begin(), u_.end())));
  tau_ = step_scale * scale / std::sqrt(tv_.norm2());
  sigma_data_ = 0.49 / (tau_ * operator_norm * operator_norm);
  sigma_tv_ = 0.49 / (tau_ * tv_.norm2());
  ubar_ = u_;
  unew_.resize(u_.size());
  dt_.resize(u_.size());
}

double TvPrimal::step(std::span<const float> data_gradient) {
  tv_.step(ubar_, static_cast<float>(sigma_tv_), dt_);
  double change = 0;
  double size = 0;
  for (std::size_t p = 0; p < u_.size(); ++p) {
    unew_[p] = std::max(0.0F, u_[p] - static_cast<float>(tau_) * (data_gradient[p] + dt_[p]));
    const double d = static_cast<double>(unew_[p]) - u_[p];
    change += d * d;
    size += static_cast<double>(unew_[p]) * unew_[p];
    ubar_[p] = 2.0F * unew_[p] - u_[p];
  }
  std::swap(u_, unew_);
  return size > 0 ? std::sqrt(change / size) : 0.0;
}

bool tv_stops(TvResult& out, unsigned it, double epsilon, double last_change,
              const TvOptions& options, const std::function<void(unsigned, double)>& progress) {
  out.residual_history.push_back(out.residual / epsilon);
  if (progress) progress(it, out.residual / epsilon);
  if (it > 10 && last_change < options.tolerance && std::abs(out.residual / epsilon - 1.0) < 0.01) {
    out.converged = true;
    return true;
  }
  out.iterations = it + 1;
  return false;
}

}  // namespace streamdx

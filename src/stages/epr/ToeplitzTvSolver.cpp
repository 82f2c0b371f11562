#include "stages/epr/ToeplitzTvSolver.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "stages/epr/TvPrimal.hpp"

namespace streamdx {

namespace {

constexpr std::array<unsigned, 3> kRefreshAt = {0, 50, 150};

double dot(std::span<const float> a, std::span<const float> b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

}  // namespace

double discrepancy_target(const FourierData& data, double model_error) {
  const double floor2 = model_error * model_error * data.norm2 / data.dof;
  return std::sqrt(data.dof * (1.0 + floor2));
}

double operator_norm(const FourierProjectionModel& a, unsigned iterations) {
  const std::size_t n = a.grid().n;
  std::vector<float> u(a.image_size());
  std::vector<float> g(a.image_size());
  for (std::size_t p = 0; p < u.size(); ++p) {
    u[p] = 1.0F + 0.1F * static_cast<float>(((p % n) * 7 + (p / n) * 13) % 17) / 17.0F;
  }
  double estimate = 0;
  for (unsigned it = 0; it < iterations; ++it) {
    const double un = std::sqrt(dot(u, u));
    for (float& x : u) x = static_cast<float>(x / un);
    a.gram(u, g);
    estimate = std::sqrt(std::sqrt(dot(g, g)));
    std::swap(u, g);
  }
  return estimate;
}

TvResult reconstruct_tv(const FourierProjectionModel& a, std::span<const float> measured,
                        std::vector<float> start, double model_error, const TvOptions& options,
                        const std::function<void(unsigned, double)>& progress) {
  const std::size_t pixels = a.image_size();
  TvResult out;
  out.operator_norm = options.operator_norm > 0 ? options.operator_norm : operator_norm(a);
  TvPrimal primal(std::move(start), a.grid(), a.threads(), options.step_scale, out.operator_norm);
  const double sigma_data = primal.sigma_data();
  FourierData data;
  std::vector<float> w(pixels, 0.0F), gw(pixels, 0.0F), gu(pixels), gubar(pixels);
  std::vector<float> x(pixels), gx(pixels), at(pixels);
  double beta = 0;
  double last_change = 1.0;
  for (unsigned it = 0; it < options.max_iterations; ++it) {
    if (std::find(kRefreshAt.begin(), kRefreshAt.end(), it) != kRefreshAt.end()) {
      data = a.prepare(measured, primal.u());
      out.epsilon = discrepancy_target(data, model_error);
    }
    const double epsilon = out.epsilon;
    const std::vector<float>& u = primal.u();
    const std::vector<float>& ubar = primal.ubar();
    a.gram(ubar, gubar);
    for (std::size_t p = 0; p < pixels; ++p) gu[p] = it == 0 ? gubar[p] : 0.5F * (gubar[p] + gu[p]);
    out.residual = residual_norm(u, gu, 1.0, data);
    if (tv_stops(out, it, epsilon, last_change, options, progress)) break;
    // Data dual, y = A w - beta p: the distance of y / sigma + A ubar from p is
    // ||A (w / sigma + ubar) - (beta / sigma + 1) p||.
    const auto inv_sigma = static_cast<float>(1.0 / sigma_data);
    for (std::size_t p = 0; p < pixels; ++p) {
      x[p] = w[p] * inv_sigma + ubar[p];
      gx[p] = gw[p] * inv_sigma + gubar[p];
    }
    const double dist = residual_norm(x, gx, beta / sigma_data + 1.0, data);
    const double keep = 1.0 - (dist > epsilon ? epsilon / dist : 1.0);
    beta = keep * (beta + sigma_data);
    const auto keepf = static_cast<float>(keep);
    const auto sigmaf = static_cast<float>(sigma_data);
    const auto betaf = static_cast<float>(beta);
    for (std::size_t p = 0; p < pixels; ++p) {
      w[p] = keepf * (w[p] + sigmaf * ubar[p]);
      gw[p] = keepf * (gw[p] + sigmaf * gubar[p]);
      at[p] = gw[p] - betaf * data.adjoint[p];  // A* y
    }
    last_change = primal.step(at);
  }
  // lambda = epsilon / ||y||, ||y|| = ||A w - beta p||.
  const double ydata = residual_norm(w, gw, beta, data);
  out.lambda = ydata > 0 ? out.residual / ydata : 0.0;
  out.image = primal.take_image();
  return out;
}

}  // namespace streamdx

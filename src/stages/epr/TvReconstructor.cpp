#include "stages/epr/TvReconstructor.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "stages/epr/TvPrimal.hpp"

namespace streamdx {

namespace {

double norm(std::span<const float> v) {
  double s = 0;
  for (const float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

}  // namespace

double discrepancy_target(std::span<const float> whitened_data, std::size_t projections,
                          double model_error) {
  const double rms = norm(whitened_data) / std::sqrt(static_cast<double>(whitened_data.size()));
  const double floor = model_error * rms;
  return std::sqrt(static_cast<double>(whitened_data.size() - 2 * projections) *
                   (1.0 + floor * floor));
}

double operator_norm(const ProjectionOperator& a, unsigned iterations) {
  std::vector<float> u(a.image_size());
  std::vector<float> d(a.data_size());
  // A fixed, smooth start: deterministic and not orthogonal to the top singular vector.
  const std::size_t n = a.grid().n;
  for (std::size_t p = 0; p < u.size(); ++p) {
    const std::size_t i = p % n;
    const std::size_t j = (p / n) % n;
    const std::size_t k = p / (n * n);
    u[p] = 1.0F + 0.1F * static_cast<float>((i * 7 + j * 13 + k * 5) % 17) / 17.0F;
  }
  double estimate = 0;
  for (unsigned it = 0; it < iterations; ++it) {
    const double un = norm(u);
    for (float& x : u) x = static_cast<float>(x / un);
    a.forward(u, d);
    a.adjoint(d, u);
    estimate = std::sqrt(norm(u));
  }
  return estimate;
}

TvResult reconstruct_tv(const ProjectionOperator& a, std::span<const float> data,
                        std::vector<float> start, double epsilon, const TvOptions& options,
                        const std::function<void(unsigned, double)>& progress) {
  const std::size_t pixels = a.image_size();
  TvResult out;
  out.epsilon = epsilon;
  out.operator_norm = options.operator_norm > 0 ? options.operator_norm : operator_norm(a);

  TvPrimal primal(std::move(start), a.grid(), a.threads(), options.step_scale, out.operator_norm);
  const double sigma_data = primal.sigma_data();
  std::vector<float> y1(a.data_size(), 0.0F);
  std::vector<float> z(a.data_size());
  std::vector<float> at(pixels);
  std::vector<float> au(a.data_size());
  double last_change = 1.0;

  for (unsigned it = 0; it < options.max_iterations; ++it) {
    // Data dual: prox of sigma F*, F the indicator of the ball ||z - p|| <= epsilon (Moreau).
    a.forward(primal.ubar(), z);
    // A u from A ubar without another projection: ubar = 2 u_k - u_(k-1), so
    // A u_k = (A ubar + A u_(k-1)) / 2.
    double r2 = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
      au[i] = it == 0 ? z[i] : 0.5F * (z[i] + au[i]);
      const double d = static_cast<double>(au[i]) - data[i];
      r2 += d * d;
    }
    out.residual = std::sqrt(r2);
    if (tv_stops(out, it, epsilon, last_change, options, progress)) break;
    double dist = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
      const double v = y1[i] / sigma_data + z[i] - data[i];
      dist += v * v;
    }
    dist = std::sqrt(dist);
    const double shrink = dist > epsilon ? epsilon / dist : 1.0;
    for (std::size_t i = 0; i < z.size(); ++i) {
      const double v = y1[i] + sigma_data * z[i];  // y + sigma K ubar
      const double c = v / sigma_data - data[i];   // centred on p
      y1[i] = static_cast<float>(v - sigma_data * (data[i] + c * shrink));
    }
    // TV dual, then the primal gradient step and the prox of u >= 0.
    a.adjoint(y1, at);
    last_change = primal.step(at);
  }
  const double ydata = norm(y1);
  out.lambda = ydata > 0 ? out.residual / ydata : 0.0;
  out.image = primal.take_image();
  return out;
}

}  // namespace streamdx

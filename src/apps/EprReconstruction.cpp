#include "apps/EprReconstruction.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "stages/epr/FourierReconstructor.hpp"
#include "stages/epr/ImageQuality.hpp"
#include "stages/epr/ProjectionOperator.hpp"

namespace streamdx {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double rms(std::span<const float> v) {
  double s = 0;
  for (const float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s / static_cast<double>(v.size()));
}

}  // namespace

unsigned resolve_threads(unsigned requested) {
  return requested > 0 ? requested : std::max(1U, std::thread::hardware_concurrency());
}

void measure_residual(const ProjectionSet& set, const ReferenceSpectrum& ref, EprReconstruction& r,
                      unsigned threads) {
  const ProjectionOperator a(set, ref, r.b0, r.grid, r.noise.rho, threads);
  const auto data = a.prepare_data(set.data);
  std::vector<float> model(a.data_size());
  a.forward(r.image, model);
  const std::size_t m = set.samples();
  double total = 0;
  r.projection_residuals.clear();
  for (std::size_t k = 0; k < set.projections(); ++k) {
    double s = 0;
    for (std::size_t l = k * m; l < (k + 1) * m; ++l) {
      const double d = static_cast<double>(model[l]) - data[l];
      s += d * d;
    }
    total += s;
    r.projection_residuals.push_back(std::sqrt(s / static_cast<double>(m)) / r.noise.sigma);
  }
  r.residual_over_noise = std::sqrt(total / static_cast<double>(data.size())) / r.noise.sigma;
}

EprReconstruction reconstruct_epr(const ProjectionSet& set, const ReferenceSpectrum& ref,
                                  const EprReconstructionOptions& options) {
  const auto t_all = Clock::now();
  const unsigned threads = resolve_threads(options.threads);
  EprReconstruction r;
  r.method = options.method;
  r.b0 = reference_centre(ref);
  r.grid = ImageGrid{options.size, options.fov_cm.value_or(supported_fov_cm(set, ref))};
  r.noise = estimate_ar1_noise(set);
  spdlog::info("B0 {:.2f} G, field of view {:.3f} cm ({} x {}), noise sigma {:.4g} rho {:.3f}",
               r.b0, r.grid.fov_cm, r.grid.n, r.grid.n, r.noise.sigma, r.noise.rho);

  auto t0 = Clock::now();
  const FourierReconstructor fourier(set, ref, r.b0, r.grid, threads);
  r.width_per_cm = options.width_per_cm.value_or(fourier.default_width());
  r.timings_ms["fourier_setup"] = ms_since(t0);
  t0 = Clock::now();
  std::vector<float> baseline = fourier.reconstruct(set, r.width_per_cm);
  r.timings_ms["fourier"] = ms_since(t0);

  if (options.method == "fourier") {
    r.image = std::move(baseline);
  } else if (options.method == "tv") {
    t0 = Clock::now();
    const ProjectionOperator a(set, ref, r.b0, r.grid, r.noise.rho, threads);
    const auto data = a.prepare_data(set.data);
    const double floor = options.model_error * rms(data);
    const double sigma_eff = std::sqrt(r.noise.sigma * r.noise.sigma + floor * floor);
    // Each projection's mean removal takes one degree of freedom.
    r.epsilon = sigma_eff * std::sqrt(static_cast<double>(data.size() - set.projections()));
    r.timings_ms["tv_setup"] = ms_since(t0);
    t0 = Clock::now();
    TvResult tv = reconstruct_tv(a, data, std::move(baseline), r.epsilon, options.tv);
    r.timings_ms["tv"] = ms_since(t0);
    r.timings_ms["tv_per_iteration"] = r.timings_ms["tv"] / std::max(1U, tv.iterations);
    r.image = std::move(tv.image);
    r.lambda = tv.lambda;
    r.iterations = tv.iterations;
    r.converged = tv.converged;
    r.residual_history = std::move(tv.residual_history);
    spdlog::info("tv: {} iterations ({}), lambda {:.4g}, residual {:.4f} x target", r.iterations,
                 r.converged ? "converged" : "iteration limit", r.lambda, tv.residual / r.epsilon);
  } else {
    throw std::invalid_argument("method '" + options.method + "' is not tv or fourier");
  }
  r.negative_mass = negative_mass_fraction(r.image);
  r.timings_ms["total"] = ms_since(t_all);
  measure_residual(set, ref, r, threads);
  return r;
}

}  // namespace streamdx

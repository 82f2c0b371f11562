#include "stages/epr/EprReconstruction.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "core/Json.hpp"
#include "core/Version.hpp"
#include "stages/epr/FourierReconstructor.hpp"
#include "stages/epr/ImageQuality.hpp"
#include "stages/epr/OperatorModelError.hpp"
#include "stages/epr/ProjectionOperator.hpp"
#include "stages/epr/ReservoirDeconvolver.hpp"
#include "stages/epr/ToeplitzTvSolver.hpp"

namespace streamdx {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kNoiseOrder = 8;
constexpr double kNoiseEdge = 0.08;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace

unsigned resolve_threads(unsigned requested) {
  return requested > 0 ? requested : std::max(1U, std::thread::hardware_concurrency());
}

void measure_residual(const ProjectionSet& set, const ReferenceSpectrum& ref, EprReconstruction& r,
                      unsigned threads) {
  const ProjectionOperator a(set, ref, r.b0, r.grid, r.noise, threads);
  const auto data = a.prepare_data(set.data);
  std::vector<float> model(a.data_size());
  a.forward(r.image, model);
  const std::size_t m = set.samples();
  // The ends of each sweep (where the noise was measured) and the middle, where the signal is:
  // a model that does not fit the instrument shows as a larger residual in the middle.
  const auto edge = static_cast<std::size_t>(kNoiseEdge * static_cast<double>(m));
  double total = 0;
  double ends = 0;
  r.projection_residuals.clear();
  for (std::size_t k = 0; k < set.projections(); ++k) {
    double s = 0;
    for (std::size_t l = 0; l < m; ++l) {
      const double d = static_cast<double>(model[k * m + l]) - data[k * m + l];
      s += d * d;
      if (l < edge || l >= m - edge) ends += d * d;
    }
    total += s;
    r.projection_residuals.push_back(std::sqrt(s / static_cast<double>(m)));
  }
  const auto n_ends = static_cast<double>(2 * edge * set.projections());
  r.residual_over_noise = std::sqrt(total / static_cast<double>(data.size()));
  r.residual_ends_over_noise = std::sqrt(ends / n_ends);
  r.residual_middle_over_noise =
      std::sqrt((total - ends) / (static_cast<double>(data.size()) - n_ends));
}

namespace {

// The Fourier baseline (2D), the image TV starts from by default, and the apodization width.
std::vector<float> fourier_start(const ProjectionSet& set, const ReferenceSpectrum& ref,
                                 const EprReconstructionOptions& options, unsigned threads,
                                 EprReconstruction& r) {
  auto t0 = Clock::now();
  const FourierReconstructor fourier(set, ref, r.b0, r.grid, threads);
  r.width_per_cm = options.width_per_cm.value_or(fourier.default_width());
  r.timings_ms["fourier_setup"] = ms_since(t0);
  t0 = Clock::now();
  std::vector<float> image = fourier.reconstruct(set, r.width_per_cm);
  r.timings_ms["fourier"] = ms_since(t0);
  return image;
}

// 3D has no Fourier baseline: TV starts from the back-projection A^T p clipped at zero, scaled
// to fit the data in least squares (the scale sets the solver's step, not the answer).
std::vector<float> backprojection_start(const ProjectionOperator& a, std::span<const float> data) {
  std::vector<float> u(a.image_size());
  a.adjoint(data, u);
  for (float& v : u) v = std::max(v, 0.0F);
  std::vector<float> au(a.data_size());
  a.forward(u, au);
  double num = 0;
  double den = 0;
  for (std::size_t i = 0; i < au.size(); ++i) {
    num += static_cast<double>(au[i]) * data[i];
    den += static_cast<double>(au[i]) * au[i];
  }
  const auto scale = static_cast<float>(den > 0 && num > 0 ? num / den : 1.0);
  for (float& v : u) v *= scale;
  return u;
}

void take_result(TvResult tv, EprReconstruction& r) {
  r.timings_ms["tv_per_iteration"] = r.timings_ms["tv"] / std::max(1U, tv.iterations);
  r.image = std::move(tv.image);
  r.lambda = tv.lambda;
  r.epsilon = tv.epsilon;
  r.iterations = tv.iterations;
  r.converged = tv.converged;
  r.residual_history = std::move(tv.residual_history);
  spdlog::info("tv ({}): {} iterations ({}), lambda {:.4g}, residual {:.4f} x target",
               r.tv_operator, r.iterations, r.converged ? "converged" : "iteration limit", r.lambda,
               tv.residual / r.epsilon);
}

// 2D through the Toeplitz normal operator (ToeplitzTvSolver.hpp).
void solve_tv_toeplitz(const ProjectionSet& set, const ReferenceSpectrum& ref,
                       const EprReconstructionOptions& options, unsigned threads,
                       std::optional<std::vector<float>> start, EprReconstruction& r) {
  auto t0 = Clock::now();
  const FourierProjectionModel a(set, ref, r.b0, r.grid, r.noise, threads);
  r.model_error = options.model_error.value_or(operator_model_error(a, set, ref, r.b0));
  r.timings_ms["tv_setup"] = ms_since(t0);
  std::vector<float> first =
      start ? std::move(*start) : fourier_start(set, ref, options, threads, r);
  t0 = Clock::now();
  TvResult tv = reconstruct_tv(a, set.data, std::move(first), r.model_error, options.tv);
  r.timings_ms["tv"] = ms_since(t0);
  take_result(std::move(tv), r);
}

void solve_tv(const ProjectionSet& set, const ReferenceSpectrum& ref,
              const EprReconstructionOptions& options, unsigned threads,
              std::optional<std::vector<float>> start, EprReconstruction& r) {
  if (start && start->size() != r.grid.voxels()) {
    throw std::invalid_argument(
        fmt::format("a start image of {} values for a grid of {}", start->size(), r.grid.voxels()));
  }
  r.tv_operator = r.grid.dimensions == 3 ? "projector" : options.tv_operator;
  if (r.tv_operator == "toeplitz") {
    solve_tv_toeplitz(set, ref, options, threads, std::move(start), r);
    return;
  }
  if (r.tv_operator != "projector") {
    throw std::invalid_argument("tv operator '" + r.tv_operator + "' is not toeplitz or projector");
  }
  auto t0 = Clock::now();
  const ProjectionOperator a(set, ref, r.b0, r.grid, r.noise, threads);
  const auto data = a.prepare_data(set.data);
  r.model_error = options.model_error.value_or(operator_model_error(a, set, ref));
  r.epsilon = discrepancy_target(data, set.projections(), r.model_error);
  r.timings_ms["tv_setup"] = ms_since(t0);
  std::vector<float> first;
  if (start) {
    first = std::move(*start);
  } else if (r.grid.dimensions == 3) {
    first = backprojection_start(a, data);
  } else {
    first = fourier_start(set, ref, options, threads, r);
  }
  t0 = Clock::now();
  TvOptions tv_options = options.tv;
  if (r.grid.dimensions == 3) tv_options.max_iterations = options.max_iterations_3d;
  TvResult tv = reconstruct_tv(a, data, std::move(first), r.epsilon, tv_options);
  r.timings_ms["tv"] = ms_since(t0);
  take_result(std::move(tv), r);
}

}  // namespace

EprReconstruction reconstruct_epr(const ProjectionSet& set, const ReferenceSpectrum& ref,
                                  const EprReconstructionOptions& options,
                                  std::optional<std::vector<float>> start) {
  const auto t_all = Clock::now();
  const unsigned threads = resolve_threads(options.threads);
  EprReconstruction r;
  r.method = options.method;
  r.b0 = reference_centre(ref);
  check_reference_fits(set, ref, r.b0);
  const std::size_t dims = set.dimensions();
  r.grid = ImageGrid{dims == 3 ? options.size_3d : options.size,
                     options.fov_cm.value_or(supported_fov_cm(set, ref)), dims};
  if (r.grid.dimensions == 3 && options.method != "tv") {
    throw std::invalid_argument(
        "a 3D acquisition: --method tv only (the Fourier baseline and the reservoir are 2D)");
  }
  r.noise = estimate_noise(set, kNoiseOrder, kNoiseEdge);
  spdlog::info(
      "B0 {:.2f} G, field of view {:.3f} cm ({}D, {} per side), noise sigma {:.4g}, lag-1 "
      "correlation {:.3f}",
      r.b0, r.grid.fov_cm, r.grid.dimensions, r.grid.n, r.noise.sigma, r.noise.lag1);
  if (options.method == "fourier") {
    r.image = fourier_start(set, ref, options, threads, r);
  } else if (options.method == "tv") {
    solve_tv(set, ref, options, threads, std::move(start), r);
  } else if (options.method == "reservoir") {
    const auto t0 = Clock::now();
    const ReservoirModel model = load_reservoir_model(options.reservoir_model);
    r.model_file = options.reservoir_model.string();
    r.model_validation_error = model.card.value("validation_error", 0.0);
    r.image = reconstruct_reservoir(set, ref, r.b0, r.grid, model, threads);
    r.timings_ms["reservoir"] = ms_since(t0);
  } else {
    throw std::invalid_argument("method '" + options.method + "' is not tv, fourier or reservoir");
  }
  r.negative_mass = negative_mass_fraction(r.image);
  r.timings_ms["total"] = ms_since(t_all);
  measure_residual(set, ref, r, threads);
  return r;
}

json::Json reconstruction_metadata(const EprReconstruction& r, const std::string& projections,
                                   const std::string& reference, unsigned threads) {
  json::Json timings = json::Json::object();
  for (const auto& [stage, ms] : r.timings_ms) timings[stage] = ms;
  json::Json j = {
      {"version", version_string()},
      {"projections", projections},
      {"reference", reference},
      {"method", r.method},
      {"tv_operator", r.tv_operator.empty() ? json::Json(nullptr) : json::Json(r.tv_operator)},
      {"reservoir_model", r.model_file.empty() ? json::Json(nullptr) : json::Json(r.model_file)},
      {"reservoir_validation_error",
       r.model_file.empty() ? json::Json(nullptr) : json::Json(r.model_validation_error)},
      {"grid", r.grid.dimensions == 3 ? json::Json{r.grid.n, r.grid.n, r.grid.n}
                                      : json::Json{r.grid.n, r.grid.n}},
      {"dtype", r.grid.dimensions == 3
                    ? "float32 little-endian, x fastest, then y, then z; voxel 0 at "
                      "(-fov/2, -fov/2, -fov/2)"
                    : "float32 little-endian, row 0 at y = -fov/2, x fastest"},
      {"fov_cm", r.grid.fov_cm},
      {"pixel_mm", r.grid.pixel_cm() * 10},
      {"b0_gauss", r.b0},
      {"noise_sigma", r.noise.sigma},
      {"noise_lag1", r.noise.lag1},
      {"noise_ar_order", r.noise.ar.size()},
      {"lambda", r.lambda},
      {"epsilon", r.epsilon},
      {"model_error", r.model_error},
      {"iterations", r.iterations},
      {"converged", r.converged},
      {"apodization_per_cm", r.width_per_cm},
      {"residual_over_noise", r.residual_over_noise},
      {"residual_ends_over_noise", r.residual_ends_over_noise},
      {"residual_middle_over_noise", r.residual_middle_over_noise},
      {"negative_mass_fraction", r.negative_mass},
      {"seed", nullptr},
      {"model_hash", nullptr},
      {"threads", threads},
      {"timings_ms", std::move(timings)}};
  return j;
}

}  // namespace streamdx

// The EPR operators: exact adjoints (the TV solver's convergence depends on them), the line
// shapes' physics, the phantom's closed-form projections, the noise model, and determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/Random.hpp"
#include "stages/epr/CorrelatedNoise.hpp"
#include "stages/epr/EprPhantom.hpp"
#include "stages/epr/EprSimulator.hpp"
#include "stages/epr/JosephProjector.hpp"
#include "stages/epr/LineShapes.hpp"
#include "stages/epr/ProjectionOperator.hpp"
#include "support/EprTestData.hpp"

namespace streamdx {
namespace {

using testing::dot;
using testing::random_vector;

// A small problem with an analytic line shape: a gradient low enough that a pixel (0.47 mm)
// spans about half the line width, as on the phalanx data at 256 pixels.
EprSimulation small_simulation(double snr, double rho, std::uint64_t seed = 3) {
  EprSimulationOptions o;
  o.truth_grid = {64, 3.0};
  o.projections = 40;
  o.samples = 800;
  o.sweep = 320;
  o.gradient = 40;
  o.line.kind = LineShape::Kind::Lorentzian;
  o.line.lorentz_fwhm = 4.0;
  o.snr = snr;
  o.rho = rho;
  o.seed = seed;
  return simulate_epr(o);
}

TEST(JosephProjector, AdjointMatchesForward) {
  const ImageGrid grid{48, 2.0};
  std::vector<double> angles(37);
  for (std::size_t k = 0; k < angles.size(); ++k) {
    angles[k] = (static_cast<double>(k) + 0.5) * std::numbers::pi / 37 - 0.3;
  }
  const JosephProjector r(grid, angles, grid.pixel_cm());
  const auto u = random_vector(grid.n * grid.n, 1);
  const auto v = random_vector(r.angles() * r.bins(), 2);
  std::vector<float> ru(v.size()), rtv(u.size());
  r.forward(u, ru, 2);
  r.adjoint(v, rtv, 2);
  const double lhs = dot(ru, v);
  const double rhs = dot(u, rtv);
  EXPECT_NEAR(lhs, rhs, 1e-5 * std::abs(lhs));
}

TEST(JosephProjector, ProjectsMassAtEveryAngle) {
  // Every projection of an image integrates to its mass (pixel area times the sum).
  const ImageGrid grid{40, 2.0};
  const JosephProjector r(grid, {0.0, 0.4, std::numbers::pi / 4, 1.3, 2.9}, grid.pixel_cm());
  const Phantom disk{"disk", {{0.1, -0.2, 0.5, 0.5, 0, 1.0}}};
  const auto u = rasterise(disk, grid);
  std::vector<float> sino(r.angles() * r.bins());
  r.forward(u, sino, 1);
  double mass = 0;
  for (const float x : u) mass += x;
  mass *= grid.pixel_cm() * grid.pixel_cm();
  for (std::size_t k = 0; k < r.angles(); ++k) {
    double s = 0;
    for (std::size_t b = 0; b < r.bins(); ++b) s += sino[k * r.bins() + b];
    EXPECT_NEAR(s * r.bin_cm(), mass, 1e-3 * mass) << "angle " << k;
  }
}

TEST(ProjectionOperator, AdjointMatchesForwardWithWhitening) {
  const EprSimulation sim = small_simulation(50, 0.6);
  NoiseModel noise = estimate_noise(sim.projections);
  const ProjectionOperator a(sim.projections, sim.reference, sim.b0, ImageGrid{64, 3.0}, noise, 2);
  const auto u = random_vector(a.image_size(), 5);
  const auto y = random_vector(a.data_size(), 6);
  std::vector<float> au(a.data_size()), aty(a.image_size());
  a.forward(u, au);
  a.adjoint(y, aty);
  EXPECT_NEAR(dot(au, y), dot(u, aty), 1e-4 * std::abs(dot(au, y)));
}

TEST(ProjectionOperator, ReproducesAnalyticProjectionsOfTheTruth) {
  // The phalanx geometry (256 pixels over 3 cm, 168 G/cm, 113 angles) with an analytic line as
  // wide as the measured one: A applied to the rasterised truth is within 4 % of the closed-form
  // projections (the pixel model's own error, here 2.9 %); for a wrong B0 or sign it would be 100 %
  // or more.
  EprSimulationOptions o;
  o.phantom = "disks";
  o.line.kind = LineShape::Kind::Lorentzian;
  o.line.lorentz_fwhm = 6.0;  // 3.5 G peak to peak, like the phalanx h
  o.line.modulation = 1.0;
  o.snr = 0;
  const EprSimulation sim = simulate_epr(o);
  const ProjectionOperator a(sim.projections, sim.reference, sim.b0, o.truth_grid,
                             NoiseModel::white(1.0), 2);
  std::vector<float> model(a.data_size());
  a.forward(sim.truth, model);
  const auto data = a.prepare_data(sim.projections.data);
  double err = 0, ref = 0;
  for (std::size_t i = 0; i < model.size(); ++i) {
    err += std::pow(static_cast<double>(model[i]) - data[i], 2);
    ref += std::pow(static_cast<double>(data[i]), 2);
  }
  EXPECT_LT(std::sqrt(err / ref), 0.04);  // 2.9 % here; 1.2 % with the measured h
  EXPECT_GT(std::sqrt(err / ref), 0.0);
}

TEST(LineShapes, SmallModulationIsTheDerivativeOverModulationBroadens) {
  const double step = 0.05;
  const std::size_t n = 2000;
  const double centre = 1000.3;
  LineShape line{LineShape::Kind::Lorentzian, 2.0, 1.0, 0.0};
  const auto d = detected_line(line, n, step, centre);
  // Derivative of a unit-area Lorentzian, HWHM 1: -2x / (pi (x^2 + 1)^2).
  for (const std::size_t l : {900UL, 990UL, 1000UL, 1010UL, 1100UL}) {
    const double x = (static_cast<double>(l) - centre) * step;
    EXPECT_NEAR(d[l], -2 * x / (std::numbers::pi * std::pow(x * x + 1, 2)), 2e-3) << l;
  }
  auto peak_to_peak = [&](const std::vector<float>& v) {
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return std::abs(static_cast<double>(lo - hi)) * step;
  };
  const double pp = peak_to_peak(d);
  EXPECT_NEAR(pp, 2 / std::sqrt(3.0), 0.06);  // Lorentzian: 2 HWHM / sqrt(3)
  line.modulation = 6.0;                      // three line widths: strongly overmodulated
  EXPECT_GT(peak_to_peak(detected_line(line, n, step, centre)), 1.5 * pp);
  // Gaussian and Voigt integrate (as absorption) to unit area too.
  for (const auto kind : {LineShape::Kind::Gaussian, LineShape::Kind::Voigt}) {
    const auto g = detected_line({kind, 1.0, 1.5, 0.2}, n, step, centre);
    double a = 0, area = 0;
    for (const float v : g) {
      a += v * step;
      area += a * step;
    }
    EXPECT_NEAR(area, 1.0, 0.02);
  }
}

TEST(EprPhantom, ClosedFormProjectionsHoldTheMass) {
  const Phantom p = make_phantom("shepp-logan", 3.0);
  double mass = 0;
  for (const Ellipse& e : p.ellipses) mass += e.value * std::numbers::pi * e.a * e.b;
  for (const double theta : {0.0, 0.7, 2.0})
    EXPECT_NEAR(projection_integral(p, theta, -10, 10), mass, 1e-9 * mass);
  const ImageGrid grid{128, 3.0};
  const auto u = rasterise(p, grid);
  double sum = 0;
  for (const float v : u) sum += v;
  EXPECT_NEAR(sum * grid.pixel_cm() * grid.pixel_cm(), mass, 0.01 * mass);
  EXPECT_THROW(make_phantom("cube", 3.0), std::invalid_argument);
}

TEST(CorrelatedNoise, EstimatesSigmaAndCorrelationAndWhitens) {
  for (const double rho : {0.0, 0.8}) {
    const EprSimulation sim = small_simulation(20, rho, 11);
    const NoiseModel noise = estimate_noise(sim.projections);
    EXPECT_NEAR(noise.sigma, sim.noise_sigma, 0.08 * sim.noise_sigma) << rho;
    EXPECT_NEAR(noise.lag1, rho, 0.06) << rho;
    // Whitened pure noise: unit variance, no lag-1 correlation.
    SplitMix64 rng(99);
    std::vector<float> n(20000);
    double x = rng.normal();
    for (auto& v : n) {
      x = rho * x + std::sqrt(1 - rho * rho) * rng.normal();
      v = static_cast<float>(sim.noise_sigma * x);
    }
    std::vector<float> w(n.size());
    whiten(n, w, noise);
    double var = 0, lag = 0;
    for (std::size_t i = 1; i < w.size(); ++i) {
      var += static_cast<double>(w[i]) * w[i];
      lag += static_cast<double>(w[i]) * w[i - 1];
    }
    EXPECT_NEAR(var / static_cast<double>(w.size()), 1.0, 0.1) << rho;
    EXPECT_NEAR(lag / var, 0.0, 0.05) << rho;
  }
}

TEST(EprGeometry, PhalanxCentreAndFieldOfView) {
  // The simulator places an analytic line 24.5 G below the sweep's centre; B0 is found there.
  const EprSimulation sim = small_simulation(0, 0);
  EXPECT_NEAR(reference_centre(sim.reference), sim.b0, 0.2);
}

}  // namespace
}  // namespace streamdx

#include "stages/epr/EprSimulator.hpp"

#include <stdexcept>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/Random.hpp"
#include "stages/epr/LineShapeConvolver.hpp"

namespace streamdx {

namespace {

// The derivative projections whose profile along each projection integrates as
// `integral(k, s0, s1)` over offsets s0 <= s <= s1, sampled on the field axis and convolved with
// the line shape.
template <class Integral>
std::vector<float> projections_of(const ProjectionSet& geometry, const ReferenceSpectrum& ref,
                                  double b0, Integral&& integral) {
  const std::size_t m = geometry.samples();
  const double step = geometry.field_step();
  const LineShapeConvolver conv(m, step,
                                [&](double offset) { return reference_at(ref, b0 + offset); });
  auto work = conv.buffers();
  std::vector<float> out(geometry.projections() * m);
  std::vector<float> q(m);
  for (std::size_t k = 0; k < geometry.projections(); ++k) {
    const double mu = geometry.strength(k);
    for (std::size_t l = 0; l < m; ++l) {
      // Field interval of sample l, as offsets s = (B0 - B) / mu (decreasing in B).
      const double b = geometry.field[l];
      const double s_hi = (b0 - (b - step / 2)) / mu;
      const double s_lo = (b0 - (b + step / 2)) / mu;
      q[l] = static_cast<float>(integral(k, s_lo, s_hi) / step);
    }
    conv.apply(q, std::span<float>(out).subspan(k * m, m), work);
  }
  return out;
}

}  // namespace

std::vector<float> analytic_projections(const Phantom& phantom, const ProjectionSet& geometry,
                                        const ReferenceSpectrum& ref, double b0) {
  return projections_of(geometry, ref, b0, [&](std::size_t k, double s0, double s1) {
    return projection_integral(phantom, geometry.angle(k), s0, s1);
  });
}

std::vector<float> analytic_projections(const std::vector<Ball>& balls,
                                        const ProjectionSet& geometry, const ReferenceSpectrum& ref,
                                        double b0) {
  return projections_of(geometry, ref, b0, [&](std::size_t k, double s0, double s1) {
    const auto& g = geometry.gradients[k];
    const double mu = geometry.strength(k);
    return plane_integral(balls, {g[0] / mu, g[1] / mu, g[2] / mu}, s0, s1);
  });
}

std::vector<std::array<double, 3>> sphere_directions(std::size_t projections, double strength) {
  const auto k = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(projections))));
  std::vector<std::array<double, 3>> out;
  for (std::size_t a = 0; a < k; ++a) {
    const double theta = (static_cast<double>(a) + 0.5) * std::numbers::pi / static_cast<double>(k);
    for (std::size_t b = 0; b < k; ++b) {
      const double phi = (static_cast<double>(b) + 0.5) * std::numbers::pi / static_cast<double>(k);
      out.push_back({strength * std::sin(theta) * std::cos(phi),
                     strength * std::sin(theta) * std::sin(phi), strength * std::cos(theta)});
    }
  }
  return out;
}

EprSimulation simulate_epr(const EprSimulationOptions& o) {
  EprSimulation sim;
  const bool volume = o.dimensions == 3;
  const Phantom phantom = make_phantom(volume ? "disks" : o.phantom, o.truth_grid.fov_cm);
  const std::vector<Ball> balls = make_balls(o.truth_grid.fov_cm);
  if (volume) {
    ImageGrid g = o.truth_grid;
    g.dimensions = 3;
    sim.truth = rasterise(balls, g);
  } else {
    sim.truth = rasterise(phantom, o.truth_grid);
  }

  if (o.measured_reference) {
    sim.reference = *o.measured_reference;
    sim.b0 = reference_centre(sim.reference);
  } else {
    const double step = o.sweep / static_cast<double>(o.samples - 1);
    const double first = o.centre_field - o.sweep / 2;
    sim.b0 = o.centre_field - 24.5;
    for (std::size_t l = 0; l < o.samples; ++l)
      sim.reference.field.push_back(static_cast<float>(first + step * static_cast<double>(l)));
    sim.reference.h = detected_line(o.line, o.samples, step, (sim.b0 - first) / step);
  }
  ProjectionSet& set = sim.projections;
  set.field = sim.reference.field;
  const std::size_t m = set.samples();
  if (volume) {
    const auto directions = sphere_directions(o.projections, o.gradient);
    for (const std::size_t k : acquisition_order(directions.size(), o.order))
      set.gradients.push_back(directions[k]);
    set.data = analytic_projections(balls, set, sim.reference, sim.b0);
  } else {
    for (const std::size_t k : acquisition_order(o.projections, o.order)) {
      const double theta =
          (static_cast<double>(k) + 0.5) * std::numbers::pi / static_cast<double>(o.projections);
      set.gradients.push_back({o.gradient * std::cos(theta), o.gradient * std::sin(theta), 0.0});
    }
    set.data = analytic_projections(phantom, set, sim.reference, sim.b0);
  }

  float peak = 0;
  for (const float v : set.data) peak = std::max(peak, std::abs(v));
  sim.noise_sigma = o.snr > 0 ? static_cast<double>(peak) / o.snr : 0.0;
  SplitMix64 rng(o.seed);
  const double innovation = std::sqrt(1 - o.rho * o.rho);
  for (std::size_t k = 0; k < set.projections(); ++k) {
    const std::span<float> p = std::span<float>(set.data).subspan(k * m, m);
    if (sim.noise_sigma > 0) {
      double n = rng.normal();
      for (std::size_t l = 0; l < m; ++l) {
        if (l > 0) n = o.rho * n + innovation * rng.normal();
        p[l] += static_cast<float>(sim.noise_sigma * n);
      }
    }
    double mean = 0;
    for (const float v : p) mean += v;
    mean /= static_cast<double>(m);
    for (float& v : p) v = static_cast<float>(v - mean);
  }
  return sim;
}

std::vector<std::size_t> acquisition_order(std::size_t projections, const std::string& order) {
  std::vector<std::size_t> out;
  if (order == "sequential") {
    for (std::size_t k = 0; k < projections; ++k) out.push_back(k);
  } else if (order == "interleaved") {
    // Bit-reversed indices over the next power of two, those past the end skipped: each pass
    // halves the angular gaps the one before left.
    std::size_t bits = 0;
    while ((std::size_t{1} << bits) < projections) ++bits;
    for (std::size_t i = 0; i < (std::size_t{1} << bits); ++i) {
      std::size_t r = 0;
      for (std::size_t b = 0; b < bits; ++b) r |= ((i >> b) & 1U) << (bits - 1 - b);
      if (r < projections) out.push_back(r);
    }
  } else {
    throw std::invalid_argument("acquisition order '" + order +
                                "' is not sequential or interleaved");
  }
  return out;
}

}  // namespace streamdx

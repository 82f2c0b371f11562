#include "stages/epr/CorrelatedNoise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace streamdx {

namespace {

// `x` minus its least-squares straight line.
std::vector<double> detrended(std::span<const float> x) {
  const auto n = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto t = static_cast<double>(i);
    sx += t;
    sy += x[i];
    sxx += t * t;
    sxy += t * x[i];
  }
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double intercept = (sy - slope * sx) / n;
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    out[i] = x[i] - (intercept + slope * static_cast<double>(i));
  return out;
}

}  // namespace

Ar1Noise estimate_ar1_noise(const ProjectionSet& set, double edge) {
  const std::size_t m = set.samples();
  const auto tail = static_cast<std::size_t>(edge * static_cast<double>(m));
  if (tail < 8) {
    throw std::runtime_error(
        fmt::format("{}: {} field points leave too few baseline points to estimate the noise",
                    set.source.string(), m));
  }
  double var = 0;
  double lag1 = 0;
  std::size_t count = 0;
  std::size_t pairs = 0;
  for (std::size_t k = 0; k < set.projections(); ++k) {
    const auto p = set.projection(k);
    for (const auto piece : {p.first(tail), p.last(tail)}) {
      const auto d = detrended(piece);
      for (std::size_t i = 0; i < d.size(); ++i) {
        var += d[i] * d[i];
        if (i > 0) {
          lag1 += d[i] * d[i - 1];
          ++pairs;
        }
      }
      count += d.size();
    }
  }
  Ar1Noise out;
  out.samples = count;
  // Two fitted parameters per piece.
  const auto pieces = 2 * set.projections();
  out.sigma = std::sqrt(var / static_cast<double>(count - 2 * pieces));
  const double mean_square = var / static_cast<double>(count);
  out.rho = mean_square > 0 ? std::clamp(lag1 / static_cast<double>(pairs) / mean_square, 0.0, 0.99)
                            : 0.0;
  return out;
}

void whiten_ar1(std::span<const float> in, std::span<float> out, double rho) {
  const auto r = static_cast<float>(rho);
  const auto scale = static_cast<float>(1.0 / std::sqrt(1.0 - rho * rho));
  out[0] = in[0];
  for (std::size_t k = 1; k < in.size(); ++k) out[k] = (in[k] - r * in[k - 1]) * scale;
}

void whiten_ar1_adjoint(std::span<const float> in, std::span<float> out, double rho) {
  const auto r = static_cast<float>(rho);
  const auto scale = static_cast<float>(1.0 / std::sqrt(1.0 - rho * rho));
  const std::size_t n = in.size();
  for (std::size_t k = 0; k + 1 < n; ++k)
    out[k] = (k == 0 ? in[0] : in[k] * scale) - r * scale * in[k + 1];
  out[n - 1] = n == 1 ? in[0] : in[n - 1] * scale;
}

}  // namespace streamdx

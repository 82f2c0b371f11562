#include "stages/epr/EchoStateNetwork.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/Random.hpp"

namespace streamdx {

namespace {

// |largest eigenvalue| of the sparse W, by the growth of ||W^k x|| (power iteration; a complex
// dominant pair makes the direction rotate, not the growth rate).
double spectral_radius(std::size_t n, const std::vector<std::uint32_t>& start,
                       const std::vector<std::uint32_t>& column, const std::vector<float>& weight) {
  std::vector<double> x(n, 1.0 / std::sqrt(static_cast<double>(n)));
  std::vector<double> y(n);
  constexpr int kSteps = 60;
  constexpr int kCount = 20;  // the growth averaged over the last kCount steps
  double log_growth = 0;
  for (int k = 0; k < kSteps; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      double s = 0;
      for (std::uint32_t e = start[i]; e < start[i + 1]; ++e) s += weight[e] * x[column[e]];
      y[i] = s;
    }
    double norm = 0;
    for (const double v : y) norm += v * v;
    norm = std::sqrt(norm);
    if (norm == 0) return 0;
    if (k >= kSteps - kCount) log_growth += std::log(norm);
    for (std::size_t i = 0; i < n; ++i) x[i] = y[i] / norm;
  }
  return std::exp(log_growth / kCount);
}

}  // namespace

EchoStateNetwork::EchoStateNetwork(const ReservoirShape& shape) : shape_(shape) {
  const std::size_t n = shape.units;
  if (n == 0 || shape.density <= 0 || shape.density > 1) {
    throw std::invalid_argument("a reservoir needs units > 0 and a density in (0, 1]");
  }
  SplitMix64 rng(shape.seed);
  row_start_.push_back(0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (rng.uniform() < shape.density) {
        column_.push_back(static_cast<std::uint32_t>(j));
        weight_.push_back(static_cast<float>(2 * rng.uniform() - 1));
      }
    }
    row_start_.push_back(static_cast<std::uint32_t>(column_.size()));
  }
  const double rho = spectral_radius(n, row_start_, column_, weight_);
  if (rho > 0) {
    for (float& w : weight_) w = static_cast<float>(w * shape.radius / rho);
  }
  for (std::size_t i = 0; i < n; ++i) {
    input_weight_.push_back(static_cast<float>(shape.input_scale * (2 * rng.uniform() - 1)));
    bias_.push_back(static_cast<float>(0.2 * (2 * rng.uniform() - 1)));
  }
}

void EchoStateNetwork::run_direction(std::span<const float> input, bool backward,
                                     std::size_t stride, std::size_t offset,
                                     std::vector<float>& out) const {
  const std::size_t n = shape_.units;
  const std::size_t f = features();
  const auto leak = static_cast<float>(shape_.leak);
  std::vector<float> x(n, 0.0F);
  std::vector<float> next(n);
  const std::size_t steps = input.size();
  for (std::size_t k = 0; k < steps; ++k) {
    const std::size_t t = backward ? steps - 1 - k : k;
    const float u = input[t];
    for (std::size_t i = 0; i < n; ++i) {
      float s = bias_[i] + input_weight_[i] * u;
      for (std::uint32_t e = row_start_[i]; e < row_start_[i + 1]; ++e)
        s += weight_[e] * x[column_[e]];
      next[i] = (1 - leak) * x[i] + leak * std::tanh(s);
    }
    std::swap(x, next);
    if (t % stride == 0)
      std::copy(x.begin(), x.end(),
                out.begin() + static_cast<std::ptrdiff_t>((t / stride) * f + offset));
  }
}

std::vector<float> EchoStateNetwork::run(std::span<const float> input, std::size_t stride) const {
  const std::size_t rows = (input.size() + stride - 1) / stride;
  const std::size_t f = features();
  std::vector<float> out(rows * f);
  for (std::size_t r = 0; r < rows; ++r) {
    out[r * f] = 1.0F;
    out[r * f + 1] = input[r * stride];
  }
  run_direction(input, false, stride, 2, out);
  run_direction(input, true, stride, 2 + shape_.units, out);
  return out;
}

}  // namespace streamdx

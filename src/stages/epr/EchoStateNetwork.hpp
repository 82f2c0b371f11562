#pragma once
// EchoStateNetwork: a leaky-integrator reservoir, x' = (1 - a) x + a tanh(W x + w_in u + b), run
// over a sequence in both directions. Its states, with the input and a constant, are the
// features a linear readout maps to the output (ReservoirDeconvolver.hpp); only that readout is
// trained. W is sparse (each entry present with probability `density`), scaled to spectral
// radius `radius`; w_in and b are uniform, scaled by `input_scale` and 0.2.
//
// Everything is drawn from `seed` (core/Random.hpp), so the same hyper-parameters and seed give
// the same reservoir, bit for bit, on any machine: the model file stores those, not W.
#include <cstdint>
#include <span>
#include <vector>

namespace streamdx {

struct ReservoirShape {
  std::size_t units = 100;
  double radius = 0.9;       // spectral radius of W
  double input_scale = 0.5;  // of w_in
  double leak = 0.5;         // a
  double density = 0.1;      // of W's entries
  std::uint64_t seed = 1;
};

class EchoStateNetwork {
 public:
  explicit EchoStateNetwork(const ReservoirShape& shape);

  [[nodiscard]] const ReservoirShape& shape() const noexcept { return shape_; }
  // Features per step: 1, the input, the forward state, the backward state.
  [[nodiscard]] std::size_t features() const noexcept { return 2 * shape_.units + 2; }
  // features() values for each step t of `input` (row-major, steps x features()), for the steps
  // t = 0, stride, 2 stride, ... only (the states are run over every step).
  [[nodiscard]] std::vector<float> run(std::span<const float> input, std::size_t stride = 1) const;

 private:
  void run_direction(std::span<const float> input, bool backward, std::size_t stride,
                     std::size_t offset, std::vector<float>& out) const;

  ReservoirShape shape_;
  // W in compressed rows.
  std::vector<std::uint32_t> row_start_;
  std::vector<std::uint32_t> column_;
  std::vector<float> weight_;
  std::vector<float> input_weight_;
  std::vector<float> bias_;
};

}  // namespace streamdx

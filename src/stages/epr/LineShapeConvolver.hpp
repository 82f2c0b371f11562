#pragma once
// LineShapeConvolver: convolution with the reference line shape on the projections' field grid,
// its adjoint, and Fourier division by it. The kernel is k_m = kernel(m * step) for
// |m| < samples, so a projection of M samples sees the whole line shape from any position; the
// FFT length is at least 2M - 1, so nothing wraps around.
//
//   apply:   p_k = step * sum_l k_(k-l) q_l
//   adjoint: q_l = step * sum_k k_(k-l) p_k
#include <complex>
#include <functional>
#include <span>
#include <vector>

#include "stages/epr/RealFft.hpp"

namespace streamdx {

class LineShapeConvolver {
 public:
  LineShapeConvolver(std::size_t samples, double step, const std::function<double(double)>& kernel);

  [[nodiscard]] std::size_t samples() const noexcept { return samples_; }
  [[nodiscard]] double step() const noexcept { return step_; }
  [[nodiscard]] RealFft::Buffers buffers() const { return fft_.buffers(); }

  void apply(std::span<const float> q, std::span<float> p, RealFft::Buffers& work) const;
  void adjoint(std::span<const float> p, std::span<float> q, RealFft::Buffers& work) const;
  // q such that step * (k * q) = a, divided in the Fourier domain and multiplied by filter[j]
  // at frequency frequency(j); frequencies where the kernel has no energy give 0.
  void deconvolve(std::span<const float> a, std::span<float> q, std::span<const float> filter,
                  RealFft::Buffers& work) const;
  [[nodiscard]] std::size_t frequencies() const noexcept { return fft_.bins(); }
  // Frequency of bin j, cycles per gauss.
  [[nodiscard]] double frequency(std::size_t j) const noexcept {
    return static_cast<double>(j) / (static_cast<double>(fft_.size()) * step_);
  }

 private:
  void multiply(std::span<const float> in, std::span<float> out, bool conjugate,
                RealFft::Buffers& work) const;

  std::size_t samples_;
  double step_;
  RealFft fft_;
  std::vector<std::complex<float>> spectrum_;  // FFT(k) * step / L: apply needs only this
  std::vector<std::complex<float>> inverse_;   // 1 / (FFT(k) * step * L), 0 where FFT(k) ~ 0
};

}  // namespace streamdx

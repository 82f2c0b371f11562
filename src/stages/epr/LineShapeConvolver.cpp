#include "stages/epr/LineShapeConvolver.hpp"

#include <algorithm>
#include <cmath>

namespace streamdx {

LineShapeConvolver::LineShapeConvolver(std::size_t samples, double step,
                                       const std::function<double(double)>& kernel)
    : samples_(samples), step_(step), fft_(RealFft::good_size(2 * samples - 1)) {
  const std::size_t n = fft_.size();
  auto work = fft_.buffers();
  std::fill_n(work.real, n, 0.0F);
  const auto m_max = static_cast<long>(samples) - 1;
  for (long m = -m_max; m <= m_max; ++m) {
    const auto index = static_cast<std::size_t>((m + static_cast<long>(n)) % static_cast<long>(n));
    work.real[index] = static_cast<float>(kernel(static_cast<double>(m) * step));
  }
  fft_.forward(work);
  spectrum_.resize(fft_.bins());
  inverse_.resize(fft_.bins());
  const double scale = step / static_cast<double>(n);
  double peak = 0;
  for (std::size_t j = 0; j < fft_.bins(); ++j)
    peak = std::max(peak, std::abs(std::complex<double>(work.spec[j])));
  for (std::size_t j = 0; j < fft_.bins(); ++j) {
    const auto raw = std::complex<double>(work.spec[j]);
    spectrum_[j] = std::complex<float>(raw * scale);
    // Division where the line shape has (numerically) nothing is pure noise; the caller's
    // filter is meant to cut there already, and this keeps a permissive one from dividing by 0.
    inverse_[j] = std::abs(raw) < 1e-7 * peak
                      ? std::complex<float>(0)
                      : std::complex<float>(1.0 / (raw * step * static_cast<double>(n)));
  }
}

void LineShapeConvolver::multiply(std::span<const float> in, std::span<float> out, bool conjugate,
                                  RealFft::Buffers& work) const {
  const std::size_t n = fft_.size();
  std::copy(in.begin(), in.end(), work.real);
  std::fill(work.real + in.size(), work.real + n, 0.0F);
  fft_.forward(work);
  for (std::size_t j = 0; j < fft_.bins(); ++j) {
    work.spec[j] *= conjugate ? std::conj(spectrum_[j]) : spectrum_[j];
  }
  fft_.inverse(work);
  std::copy_n(work.real, out.size(), out.begin());
}

void LineShapeConvolver::apply(std::span<const float> q, std::span<float> p,
                               RealFft::Buffers& work) const {
  multiply(q, p, false, work);
}

void LineShapeConvolver::adjoint(std::span<const float> p, std::span<float> q,
                                 RealFft::Buffers& work) const {
  multiply(p, q, true, work);
}

void LineShapeConvolver::deconvolve(std::span<const float> a, std::span<float> q,
                                    std::span<const float> filter, RealFft::Buffers& work) const {
  const std::size_t n = fft_.size();
  std::copy(a.begin(), a.end(), work.real);
  std::fill(work.real + a.size(), work.real + n, 0.0F);
  fft_.forward(work);
  for (std::size_t j = 0; j < fft_.bins(); ++j) work.spec[j] *= inverse_[j] * filter[j];
  fft_.inverse(work);
  std::copy_n(work.real, q.size(), q.begin());
}

}  // namespace streamdx

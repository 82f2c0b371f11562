#pragma once
// ToeplitzConvolver: out = K u for an n x n image u and a shift-invariant operator,
// (K u)(x) = sum_y k(x - y) u(y), x - y in [-(n-1), n-1]^2, through the circulant embedding on a
// 2n x 2n grid: one 2D FFT of the zero-padded image, a product with the kernel's spectrum, one
// inverse FFT, the first n x n values kept. This is how A*A of the Fourier-domain EPR model
// (FourierProjectionModel.hpp) is applied: two FFTs a TV iteration instead of a projection and a
// back-projection over every angle.
//
// The 2D transform is done by hand, rows then columns, so that the work skips what is known to
// be zero (the padded rows going in, the rows thrown away coming out) and each column is
// transformed, multiplied and transformed back while it is in cache. Every row or column goes
// through the same single-transform FFTW plan (FFTW_ESTIMATE) whatever the thread count, so the
// result is bit-identical on any number of threads.
#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace streamdx {

class ToeplitzConvolver {
 public:
  // `kernel` holds k on the 2n x 2n grid, row-major, index (j mod 2n, i mod 2n) for the shift
  // (i, j); the entries at shift -n (never used by an n x n product) may be anything.
  ToeplitzConvolver(std::size_t n, std::span<const float> kernel, unsigned threads);
  ~ToeplitzConvolver();
  ToeplitzConvolver(const ToeplitzConvolver&) = delete;
  ToeplitzConvolver& operator=(const ToeplitzConvolver&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  void apply(std::span<const float> u, std::span<float> out) const;

 private:
  struct Plans;
  void rows_forward(std::span<const float> u, std::size_t rows) const;
  void columns(std::span<const std::complex<float>> multiplier) const;
  void rows_inverse(std::span<float> out, std::size_t rows) const;

  std::size_t n_;
  unsigned threads_;
  std::unique_ptr<Plans> plans_;
  // The (2n) x (n + 1) half spectrum, row-major; reused by every apply (so apply is not
  // reentrant: one caller at a time, as the solver is).
  mutable std::vector<std::complex<float>> spectrum_;
  // The kernel's 2D spectrum, column-major ((n + 1) columns of 2n), divided by (2n)^2 so that
  // apply needs no normalisation pass.
  std::vector<std::complex<float>> kernel_spectrum_;
};

}  // namespace streamdx

#pragma once
// FourierProjectionModel: the 2D EPR forward model written in the Fourier domain of each
// projection, where its normal operator A*A is a convolution of the image (ToeplitzConvolver):
// a TV iteration costs two FFTs on a grid twice the image's side, not a projection and a
// back-projection over every angle.
//
// Projection g (direction e, strength mu) of an image u_j sampled at pixel centres x_j (side d,
// s_j = x_j . e), on the DFT frequencies nu_k = k / (M dB) of its sweep (M samples, step dB):
//
//   P_k = H_k  d^2  sum_j u_j exp(2 pi i nu_k mu s_j)
//
// H_k is the spectrum of the line shape k_m = h(B0 + m dB) (as LineShapeConvolver samples it),
// so the line shape enters exactly; nothing is interpolated. The pixels are samples of the
// object (as PyEPRI's NUFFT model has them), not boxes: a pixel value is the object averaged
// over the pixel, and a box factor sinc(xi_x d) sinc(xi_y d) would count that averaging a second
// time (error box^2 - 1 at high frequency, against box - 1). Measured on the phalanx geometry,
// the model error is smaller with samples for both line shapes tried (docs/EPR.md).
// The data term weights bin k by the inverse of the AR noise model's spectrum there, so
// whitening, a filter over the samples, is a diagonal here; DC (the instrument removes each
// projection's mean) and Nyquist are left out. Each bin is two real degrees of freedom.
//
// Then A*A u = sum_l K(x_j - x_l) u_l with K(x) = sum_g sum_k w_k |H_k|^2 d^4 cos(2 pi nu_k mu
// x.e): a sum of ridge functions, evaluated once from a finely sampled table per projection.
// A*p is the same kind of sum.
//
// Data side (prepare). This model is periodic over the sweep; the instrument's is not: what
// the line shape spreads past either end of the sweep wraps around to the other in the model.
// PyEPRI's circular model loses up to 12 % in the lowest bins that way. prepare therefore takes
// an estimate of the image and (1) adds to the data what the periodic model wraps (the part of
// the linear convolution of the estimate's projection outside the sweep, folded back), and
// (2) removes from the data the straight line that best fits the data less the estimate's
// linear-model projection: the instrument's baseline offset and drift, which the model has not.
// Both depend on the estimate only weakly (the wrapped tails are a few percent of the lowest
// bins); the solver refreshes them as the image converges (ToeplitzTvSolver.hpp).
#include <complex>
#include <memory>
#include <span>
#include <vector>

#include "stages/epr/CorrelatedNoise.hpp"
#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/LineShapeConvolver.hpp"
#include "stages/epr/RealFft.hpp"
#include "stages/epr/ToeplitzConvolver.hpp"

namespace streamdx {

// The measured data as the solver sees them: A*p, ||p||^2 (whitened), and its degrees of
// freedom (two per weighted bin, less one per projection for the fitted baseline slope).
struct FourierData {
  std::vector<float> adjoint;
  double norm2 = 0;
  double dof = 0;
};

// ||A x - c p||, from G x = A*A x, A*p and ||p||^2 alone: <x, G x> - 2 c <x, A*p> + c^2 ||p||^2.
// How the solver and the model-error floor measure data-space norms without A itself.
double residual_norm(std::span<const float> x, std::span<const float> gx, double c,
                     const FourierData& data);

class FourierProjectionModel {
 public:
  FourierProjectionModel(const ProjectionSet& geometry, const ReferenceSpectrum& ref, double b0,
                         ImageGrid grid, const NoiseModel& noise, unsigned threads);

  [[nodiscard]] const ImageGrid& grid() const noexcept { return grid_; }
  [[nodiscard]] std::size_t image_size() const noexcept { return grid_.voxels(); }
  [[nodiscard]] unsigned threads() const noexcept { return threads_; }

  // out = A*A u (the Toeplitz product).
  void gram(std::span<const float> u, std::span<float> out) const { gram_->apply(u, out); }
  // The measured projections (geometry's layout), corrected for the model's periodicity and
  // the baseline against `estimate` (empty: neither correction), as the data term needs them.
  [[nodiscard]] FourierData prepare(std::span<const float> measured,
                                    std::span<const float> estimate) const;

  // The operator written out, for checks (O(projections x bins x pixels)): A u as complex
  // whitened bins (projection-major), and A* of such bins.
  [[nodiscard]] std::vector<std::complex<double>> forward_explicit(std::span<const float> u) const;
  [[nodiscard]] std::vector<double> adjoint_explicit(
      std::span<const std::complex<double>> bins) const;
  [[nodiscard]] std::size_t bins() const noexcept { return bins_; }

 private:
  // Re sum_k c_k exp(-2 pi i nu_k mu s) on a grid of s fine enough for cubic interpolation.
  struct RidgeTable {
    std::vector<float> values;  // one period, with 1 value before it and 2 after (wrapped)
    double per_cm = 0;          // table entries per cm of s
  };
  [[nodiscard]] RidgeTable ridge_table(std::span<const std::complex<double>> c,
                                       std::size_t projection) const;
  // out(x_i, y_j) += sum_g table_g(x_i cos + y_j sin), tables in projection order.
  void add_ridges(const std::vector<RidgeTable>& tables, std::span<const double> xs,
                  std::span<const double> ys, std::span<float> out) const;
  // nu_k, cycles per gauss.
  [[nodiscard]] double frequency(std::size_t k) const noexcept {
    return static_cast<double>(k) / (static_cast<double>(samples_) * step_);
  }
  // w_k within projection g's band, else 0.
  [[nodiscard]] double weight(std::size_t g, std::size_t k) const noexcept {
    return k < band_[g] ? weight_[k] : 0.0;
  }
  [[nodiscard]] std::vector<float> kernel_grid() const;
  void correct(std::span<const float> estimate, std::size_t projection, std::span<float> p) const;

  ImageGrid grid_;
  unsigned threads_;
  std::size_t samples_;
  std::size_t bins_;
  double step_;  // gauss
  double first_field_;
  double b0_;
  std::vector<double> mu_, cos_, sin_;
  std::vector<std::complex<double>> line_;            // d^2 dB H_k exp(-2 pi i nu_k B0)
  std::vector<std::size_t> band_;                     // per projection: bins [0, band) used
  std::vector<double> weight_;                        // w_k: 1 / (noise variance of each real part)
  RealFft sweep_fft_;                                 // length M
  RealFft table_fft_;                                 // length M x oversampling
  std::vector<std::complex<float>> periodic_kernel_;  // FFT of k folded onto M samples
  LineShapeConvolver linear_;                         // the non-periodic model, for `correct`
  std::unique_ptr<ToeplitzConvolver> gram_;
};

}  // namespace streamdx

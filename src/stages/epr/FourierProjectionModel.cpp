#include "stages/epr/FourierProjectionModel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>

#include "core/ParallelFor.hpp"
#include "core/SimdClones.hpp"

namespace streamdx {

namespace {

// Table entries per field sample: cubic interpolation of the ridge functions is then exact to
// about 1e-6 relative at the highest frequency the sweep samples.
constexpr std::size_t kOversampling = 16;
constexpr std::size_t kRowsPerTask = 16;
constexpr double kTwoPi = 2 * std::numbers::pi;

// Adds to row[i], for each i, the Catmull-Rom interpolation of a periodic table of `period`
// values at fractional index t = xs[i] * cx + base (any real). `f` holds the period with one
// value before it and two after (its wrap-around), so the four neighbours need no index
// arithmetic. Wrapped by a truncating conversion and a multiply, not floor() and a division:
// this runs for every pixel of every projection, and the AVX2 clone gathers four at a time.
STREAMDX_SIMD_CLONES
void add_ridge_row(const float* f, std::size_t period, const double* xs, std::size_t width,
                   double cx, double base, double* row) {
  const auto n = static_cast<double>(period);
  const double inverse_period = 1.0 / n;
  const auto last = static_cast<std::int32_t>(period);
  for (std::size_t x = 0; x < width; ++x) {
    double t = xs[x] * cx + base;
    t -= n * static_cast<double>(static_cast<std::int32_t>(t * inverse_period));
    t += t < 0 ? n : 0.0;
    auto i = static_cast<std::int32_t>(t);
    const double u = t - static_cast<double>(i);
    i -= i >= last ? last : 0;  // t rounded up to the period itself
    const double fm = f[i];
    const double f0 = f[i + 1];
    const double f1 = f[i + 2];
    const double f2 = f[i + 3];
    row[x] +=
        f0 +
        0.5 * u * (f1 - fm + u * (2 * fm - 5 * f0 + 4 * f1 - f2 + u * (3 * (f0 - f1) + f2 - fm)));
  }
}

}  // namespace

double residual_norm(std::span<const float> x, std::span<const float> gx, double c,
                     const FourierData& data) {
  double xgx = 0;
  double xb = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    xgx += static_cast<double>(x[i]) * gx[i];
    xb += static_cast<double>(x[i]) * data.adjoint[i];
  }
  return std::sqrt(std::max(0.0, xgx - 2 * c * xb + c * c * data.norm2));
}

FourierProjectionModel::FourierProjectionModel(const ProjectionSet& geometry,
                                               const ReferenceSpectrum& ref, double b0,
                                               ImageGrid grid, const NoiseModel& noise,
                                               unsigned threads)
    : grid_(grid),
      threads_(std::max(1U, threads)),
      samples_(geometry.samples()),
      bins_(geometry.samples() / 2 + 1),
      step_(geometry.field_step()),
      first_field_(geometry.field.front()),
      b0_(b0),
      sweep_fft_(geometry.samples()),
      table_fft_(RealFft::good_size(geometry.samples() * kOversampling)),
      linear_(geometry.samples(), geometry.field_step(),
              [&](double offset) { return reference_at(ref, b0 + offset); }) {
  if (grid.dimensions != 2 || geometry.dimensions() != 2) {
    throw std::invalid_argument("the Fourier-domain (Toeplitz) model is 2D");
  }
  for (std::size_t i = 0; i < geometry.projections(); ++i) {
    mu_.push_back(geometry.strength(i));
    cos_.push_back(std::cos(geometry.angle(i)));
    sin_.push_back(std::sin(geometry.angle(i)));
  }
  // The ridge tables are indexed in 32-bit arithmetic, one period per sweep width: far more
  // than the field of view the sweep supports would overflow it (and alias the image anyway).
  const double mu_max = mu_.empty() ? 0.0 : *std::max_element(mu_.begin(), mu_.end());
  const double periods =
      2 * std::numbers::sqrt2 * grid.fov_cm * mu_max / (static_cast<double>(samples_) * step_);
  if (!(periods < 1e6)) {
    throw std::invalid_argument(
        fmt::format("a {} cm field of view spans {:.3g} sweep widths at this gradient", grid.fov_cm,
                    periods / (2 * std::numbers::sqrt2)));
  }
  // H: the line shape as LineShapeConvolver samples it, folded onto the sweep's period.
  const std::size_t m = samples_;
  auto work = sweep_fft_.buffers();
  std::fill_n(work.real, m, 0.0F);
  const auto m_max = static_cast<long>(m) - 1;
  for (long j = -m_max; j <= m_max; ++j) {
    const auto index = static_cast<std::size_t>((j + static_cast<long>(m)) % static_cast<long>(m));
    work.real[index] += static_cast<float>(reference_at(ref, b0 + static_cast<double>(j) * step_));
  }
  sweep_fft_.forward(work);
  periodic_kernel_.assign(work.spec, work.spec + bins_);
  // Weights: the AR model's spectrum, S(f) = s_e^2 / |1 - sum a_i exp(-2 pi i f i)|^2, and
  // E|dB FFT(noise)_k|^2 = dB^2 M S, half of it in each real part.
  const double innovation2 = noise.innovation * noise.innovation;
  const double pixel_area = grid_.pixel_cm() * grid_.pixel_cm();  // a sample's share of the mass
  for (std::size_t k = 0; k < bins_; ++k) {
    const double nu = frequency(k);
    line_.push_back(pixel_area * step_ * std::complex<double>(periodic_kernel_[k]) *
                    std::polar(1.0, -kTwoPi * nu * b0));
    std::complex<double> denominator = 1.0;
    for (std::size_t i = 0; i < noise.ar.size(); ++i) {
      denominator -= noise.ar[i] * std::polar(1.0, -kTwoPi * static_cast<double>(k * (i + 1)) /
                                                       static_cast<double>(m));
    }
    const double spectrum = innovation2 / std::norm(denominator);
    const bool dc_or_nyquist = k == 0 || (m % 2 == 0 && k == m / 2);
    weight_.push_back(dc_or_nyquist || spectrum <= 0
                          ? 0.0
                          : 2.0 / (step_ * step_ * static_cast<double>(m) * spectrum));
  }
  // Each projection's band: the bins whose spatial frequency nu_k mu the pixel grid holds in
  // every direction (|xi| <= 1 / 2d). Past it, a sampled image would alias what the data carry
  // onto low frequencies; a line narrower than about two pixels puts signal there.
  const double nyquist_per_cm = 0.5 / grid_.pixel_cm();
  for (const double mu : mu_) {
    // (A zero gradient, refused when the data are read, would give an unbounded band.)
    const double last =
        mu > 0 ? std::floor(nyquist_per_cm / mu * static_cast<double>(samples_) * step_) : 0.0;
    band_.push_back(
        static_cast<std::size_t>(std::clamp(last + 1, 1.0, static_cast<double>(bins_))));
  }
  gram_ = std::make_unique<ToeplitzConvolver>(grid_.n, kernel_grid(), threads_);
}

FourierProjectionModel::RidgeTable FourierProjectionModel::ridge_table(
    std::span<const std::complex<double>> c, std::size_t projection) const {
  // A c2r transform of X_k = conj(c_k) / 2 gives X_0 + 2 Re sum X_k exp(2 pi i k n / L) =
  // Re sum c_k exp(-2 pi i k n / L), at s_n = n (M dB / mu) / L.
  auto work = table_fft_.buffers();
  std::fill_n(work.spec, table_fft_.bins(), std::complex<float>(0));
  work.spec[0] = static_cast<float>(c[0].real());
  for (std::size_t k = 1; k < bins_; ++k) work.spec[k] = std::complex<float>(std::conj(c[k]) * 0.5);
  table_fft_.inverse(work);
  RidgeTable t;
  const std::size_t period = table_fft_.size();
  t.values.resize(period + 3);
  t.values[0] = work.real[period - 1];
  std::copy_n(work.real, period, t.values.begin() + 1);
  t.values[period + 1] = work.real[0];
  t.values[period + 2] = work.real[1];
  t.per_cm = static_cast<double>(table_fft_.size()) * mu_[projection] /
             (static_cast<double>(samples_) * step_);
  return t;
}

void FourierProjectionModel::add_ridges(const std::vector<RidgeTable>& tables,
                                        std::span<const double> xs, std::span<const double> ys,
                                        std::span<float> out) const {
  const std::size_t width = xs.size();
  const std::size_t period = table_fft_.size();
  const std::size_t tasks = (ys.size() + kRowsPerTask - 1) / kRowsPerTask;
  parallel_for(tasks, threads_, [&](std::size_t task) {
    const std::size_t j0 = task * kRowsPerTask;
    const std::size_t j1 = std::min(ys.size(), j0 + kRowsPerTask);
    std::vector<double> sum((j1 - j0) * width, 0.0);
    for (std::size_t g = 0; g < tables.size(); ++g) {
      const double cx = cos_[g] * tables[g].per_cm;
      const double cy = sin_[g] * tables[g].per_cm;
      for (std::size_t j = j0; j < j1; ++j) {
        double* row = sum.data() + (j - j0) * width;
        add_ridge_row(tables[g].values.data(), period, xs.data(), width, cx, ys[j] * cy, row);
      }
    }
    for (std::size_t j = j0; j < j1; ++j) {
      for (std::size_t i = 0; i < width; ++i) {
        out[j * width + i] += static_cast<float>(sum[(j - j0) * width + i]);
      }
    }
  });
}

// K on the 2n x 2n circulant grid: shifts 0..n-1, then -n..-1, along each axis.
std::vector<float> FourierProjectionModel::kernel_grid() const {
  const std::size_t n = grid_.n;
  std::vector<RidgeTable> tables(mu_.size());
  parallel_for(mu_.size(), threads_, [&](std::size_t g) {
    std::vector<std::complex<double>> c(bins_);
    for (std::size_t k = 0; k < bins_; ++k) {
      c[k] = weight(g, k) * std::norm(line_[k]);
    }
    tables[g] = ridge_table(c, g);
  });
  std::vector<double> shifts(2 * n);
  for (std::size_t i = 0; i < 2 * n; ++i) {
    shifts[i] =
        (static_cast<double>(i) - (i < n ? 0.0 : 2.0 * static_cast<double>(n))) * grid_.pixel_cm();
  }
  std::vector<float> kernel(4 * n * n, 0.0F);
  add_ridges(tables, shifts, shifts, kernel);
  return kernel;
}

// What the periodic model wraps, added; the baseline against the estimate, removed.
void FourierProjectionModel::correct(std::span<const float> estimate, std::size_t projection,
                                     std::span<float> p) const {
  const std::size_t m = samples_;
  const std::size_t n = grid_.n;
  const double d = grid_.pixel_cm();
  const double centre = (static_cast<double>(n) - 1) / 2;
  // The estimate's mass per field sample (linear weights), as the line shape sees it.
  std::vector<double> mass(m, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    const double y = (static_cast<double>(j) - centre) * d;
    for (std::size_t i = 0; i < n; ++i) {
      const double s =
          (static_cast<double>(i) - centre) * d * cos_[projection] + y * sin_[projection];
      const double f = (b0_ - mu_[projection] * s - first_field_) / step_;
      if (!(f >= 0)) continue;
      const auto idx = static_cast<std::size_t>(f);  // floor(f), f being non-negative
      if (idx + 1 >= m) continue;
      const double frac = f - static_cast<double>(idx);
      const double v = static_cast<double>(estimate[j * n + i]) * d * d;
      mass[idx] += v * (1 - frac);
      mass[idx + 1] += v * frac;
    }
  }
  // The linear model over the sweep (LineShapeConvolver multiplies by the step) ...
  std::vector<float> density(m);
  for (std::size_t l = 0; l < m; ++l) density[l] = static_cast<float>(mass[l] / step_);
  std::vector<float> window(m);
  auto conv = linear_.buffers();
  linear_.apply(density, window, conv);
  // ... and the periodic one.
  auto work = sweep_fft_.buffers();
  for (std::size_t l = 0; l < m; ++l) work.real[l] = static_cast<float>(mass[l]);
  sweep_fft_.forward(work);
  for (std::size_t k = 0; k < bins_; ++k) work.spec[k] *= periodic_kernel_[k];
  sweep_fft_.inverse(work);
  std::vector<float> residual(m);
  for (std::size_t l = 0; l < m; ++l) residual[l] = p[l] - window[l];
  std::vector<float> detrended = residual;
  remove_straight_line(detrended);
  const float inverse_m = 1.0F / static_cast<float>(m);
  for (std::size_t l = 0; l < m; ++l) {
    const float baseline = residual[l] - detrended[l];
    const float wrapped = work.real[l] * inverse_m - window[l];
    p[l] += wrapped - baseline;
  }
}

FourierData FourierProjectionModel::prepare(std::span<const float> measured,
                                            std::span<const float> estimate) const {
  const std::size_t projections = mu_.size();
  if (measured.size() != projections * samples_) {
    throw std::invalid_argument("FourierProjectionModel: data of the wrong size");
  }
  std::vector<RidgeTable> tables(projections);
  std::vector<double> norms(projections, 0.0);
  parallel_for(projections, threads_, [&](std::size_t g) {
    std::vector<float> p(measured.begin() + static_cast<std::ptrdiff_t>(g * samples_),
                         measured.begin() + static_cast<std::ptrdiff_t>((g + 1) * samples_));
    if (!estimate.empty()) correct(estimate, g, p);
    auto work = sweep_fft_.buffers();
    std::copy(p.begin(), p.end(), work.real);
    sweep_fft_.forward(work);
    std::vector<std::complex<double>> c(bins_);
    for (std::size_t k = 0; k < bins_; ++k) {
      const double nu = frequency(k);
      const std::complex<double> bin =
          step_ * std::complex<double>(work.spec[k]) * std::polar(1.0, -kTwoPi * nu * first_field_);
      norms[g] += weight(g, k) * std::norm(bin);
      c[k] = weight(g, k) * std::conj(line_[k]) * bin;
    }
    tables[g] = ridge_table(c, g);
  });
  FourierData out;
  for (const double v : norms) out.norm2 += v;
  for (std::size_t g = 0; g < projections; ++g) {
    const auto used =
        std::count_if(weight_.begin(), weight_.begin() + static_cast<std::ptrdiff_t>(band_[g]),
                      [](double w) { return w > 0; });
    out.dof += 2 * static_cast<double>(used) - 1;
  }
  const std::size_t n = grid_.n;
  std::vector<double> coords(n);
  for (std::size_t i = 0; i < n; ++i) {
    coords[i] = (static_cast<double>(i) - (static_cast<double>(n) - 1) / 2) * grid_.pixel_cm();
  }
  out.adjoint.assign(n * n, 0.0F);
  add_ridges(tables, coords, coords, out.adjoint);
  return out;
}

std::vector<std::complex<double>> FourierProjectionModel::forward_explicit(
    std::span<const float> u) const {
  const std::size_t n = grid_.n;
  const double d = grid_.pixel_cm();
  const double centre = (static_cast<double>(n) - 1) / 2;
  std::vector<std::complex<double>> out(mu_.size() * bins_);
  for (std::size_t g = 0; g < mu_.size(); ++g) {
    for (std::size_t k = 0; k < bins_; ++k) {
      const double omega = kTwoPi * frequency(k) * mu_[g];
      std::complex<double> sum = 0;
      for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < n; ++i) {
          const double s = ((static_cast<double>(i) - centre) * cos_[g] +
                            (static_cast<double>(j) - centre) * sin_[g]) *
                           d;
          sum += static_cast<double>(u[j * n + i]) * std::polar(1.0, omega * s);
        }
      }
      out[g * bins_ + k] = std::sqrt(weight(g, k)) * line_[k] * sum;
    }
  }
  return out;
}

std::vector<double> FourierProjectionModel::adjoint_explicit(
    std::span<const std::complex<double>> bins) const {
  const std::size_t n = grid_.n;
  const double d = grid_.pixel_cm();
  const double centre = (static_cast<double>(n) - 1) / 2;
  std::vector<double> out(n * n, 0.0);
  for (std::size_t g = 0; g < mu_.size(); ++g) {
    for (std::size_t k = 0; k < bins_; ++k) {
      const double omega = kTwoPi * frequency(k) * mu_[g];
      const std::complex<double> c =
          std::sqrt(weight(g, k)) * std::conj(line_[k]) * bins[g * bins_ + k];
      for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t i = 0; i < n; ++i) {
          const double s = ((static_cast<double>(i) - centre) * cos_[g] +
                            (static_cast<double>(j) - centre) * sin_[g]) *
                           d;
          out[j * n + i] += (c * std::polar(1.0, -omega * s)).real();
        }
      }
    }
  }
  return out;
}

}  // namespace streamdx

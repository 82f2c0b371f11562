#include "stages/eeg/LfccAnalyzer.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <new>
#include <numbers>
#include <stdexcept>

#include "core/NaturalLog.hpp"
#include "core/SimdClones.hpp"
#include "stages/eeg/LfccParameters.hpp"

namespace streamdx {

namespace {

// FFTW's planner is not thread-safe (only fftw_execute is), and stages are built on many
// threads; every plan is made and destroyed under this lock.
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

// Frequency of FFT bin k.
double bin_hz(std::size_t k) {
  return static_cast<double>(k) * lfcc::kSampleRateHz / static_cast<double>(lfcc::kFftSize);
}

// Edge j of the filter bank, j = 0 .. kFilters + 1.
double edge_hz(std::size_t j) {
  return lfcc::kLowHz + static_cast<double>(j) * (lfcc::kHighHz - lfcc::kLowHz) /
                            static_cast<double>(lfcc::kFilters + 1);
}

// f(x[0]) + ... + f(x[49]) with four interleaved partial sums, added in a fixed order.
template <class F>
[[gnu::always_inline]] inline double sum4(const double* x, F f) {
  static_assert(lfcc::kWindowSamples % 2 == 0);
  double a[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= lfcc::kWindowSamples; i += 4) {
    for (std::size_t k = 0; k < 4; ++k) a[k] += f(x[i + k]);
  }
  for (std::size_t k = 0; i < lfcc::kWindowSamples; ++i, ++k) a[k] += f(x[i]);
  return (a[0] + a[1]) + (a[2] + a[3]);
}

}  // namespace

// The real 64-point DFT of each window is computed as a complex 32-point DFT of its even and
// odd samples packed as z[n] = y[2n] + i y[2n+1], then separated (see analyze()). Measured
// here, FFTW_ESTIMATE plans the direct real transform with a scalar codelet (~140 ns a
// channel) but the complex one with SIMD codelets (~25 ns), and a 64-double row already is 32
// packed complex values, so no copy is needed.
struct LfccAnalyzer::Fft {
  static constexpr std::size_t kHalf = lfcc::kFftSize / 2;
  double* in = nullptr;         // channels x kFftSize; samples past the window stay zero
  fftw_complex* out = nullptr;  // kHalf x channels (bin-major)
  fftw_plan plan = nullptr;

  explicit Fft(std::size_t channels) {
    const std::lock_guard lock(planner_mutex());
    in = fftw_alloc_real(channels * lfcc::kFftSize);
    out = fftw_alloc_complex(channels * kHalf);
    if (in == nullptr || out == nullptr) throw std::bad_alloc();
    std::fill_n(in, channels * lfcc::kFftSize, 0.0);
    int n = static_cast<int>(kHalf);
    // FFTW_ESTIMATE picks the plan without timing anything, so the same build on the same CPU
    // always runs the same arithmetic: a measured plan could differ from run to run, and so
    // could the last bits of the features.
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): FFTW's documented layout
    auto* packed = reinterpret_cast<fftw_complex*>(in);
    // Output bin-major (bin k of channel c at k * channels + c), so that the power spectrum
    // below runs along channels in contiguous, vectorisable loops.
    plan = fftw_plan_many_dft(1, &n, static_cast<int>(channels), packed, nullptr, 1,
                              static_cast<int>(kHalf), out, nullptr, static_cast<int>(channels), 1,
                              FFTW_FORWARD, FFTW_ESTIMATE);
    if (plan == nullptr) {
      release();
      throw std::runtime_error("LFCC: FFTW could not plan the filter-bank FFT");
    }
  }
  ~Fft() {
    const std::lock_guard lock(planner_mutex());
    release();
  }
  Fft(const Fft&) = delete;
  Fft& operator=(const Fft&) = delete;

 private:
  void release() noexcept {
    if (plan != nullptr) fftw_destroy_plan(plan);
    fftw_free(in);
    fftw_free(out);
    plan = nullptr;
    in = nullptr;
    out = nullptr;
  }
};

LfccAnalyzer::LfccAnalyzer(std::size_t channels)
    : channels_(channels), fft_(channels > 0 ? std::make_unique<Fft>(channels) : nullptr) {
  using lfcc::kFilters;
  constexpr double kPi = std::numbers::pi;

  hamming_.resize(lfcc::kWindowSamples);
  double window_power = 0;
  for (std::size_t i = 0; i < lfcc::kWindowSamples; ++i) {
    hamming_[i] = 0.54 - 0.46 * std::cos(2 * kPi * static_cast<double>(i) /
                                         static_cast<double>(lfcc::kWindowSamples - 1));
    window_power += hamming_[i] * hamming_[i];
  }

  first_bin_.resize(kFilters);
  weights_.resize(kFilters);
  for (std::size_t m = 0; m < kFilters; ++m) {
    const double lo = edge_hz(m);
    const double mid = edge_hz(m + 1);
    const double hi = edge_hz(m + 2);
    first_bin_[m] = lfcc::kFftBins;
    for (std::size_t k = 0; k < lfcc::kFftBins; ++k) {
      const double f = bin_hz(k);
      if (f <= lo || f >= hi) continue;
      const double w = f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
      first_bin_[m] = std::min(first_bin_[m], k);
      weights_[m].push_back(w / window_power);
    }
  }

  dct_.resize(lfcc::kCepstra * kFilters);
  const double scale = std::sqrt(2.0 / static_cast<double>(kFilters));
  for (std::size_t i = 1; i <= lfcc::kCepstra; ++i) {
    for (std::size_t m = 0; m < kFilters; ++m) {
      dct_[(i - 1) * kFilters + m] =
          scale * std::cos(kPi * static_cast<double>(i) * (static_cast<double>(m) + 0.5) /
                           static_cast<double>(kFilters));
    }
  }

  twiddle_re_.resize(Fft::kHalf);
  twiddle_im_.resize(Fft::kHalf);
  for (std::size_t k = 0; k < Fft::kHalf; ++k) {
    const double angle = -2 * kPi * static_cast<double>(k) / static_cast<double>(lfcc::kFftSize);
    twiddle_re_[k] = std::cos(angle);
    twiddle_im_[k] = std::sin(angle);
  }
  if (first_bin_.front() == 0 || first_bin_.back() + weights_.back().size() > Fft::kHalf) {
    throw std::logic_error("LFCC: filter bins must lie strictly between 0 and fs/2");
  }
  power_.resize(lfcc::kFftBins * channels);
  bands_.resize(kFilters * channels);
  ceps_.resize(lfcc::kCepstra * channels);
  energy_.resize(channels);
}

LfccAnalyzer::~LfccAnalyzer() = default;
LfccAnalyzer::LfccAnalyzer(LfccAnalyzer&&) noexcept = default;
LfccAnalyzer& LfccAnalyzer::operator=(LfccAnalyzer&&) noexcept = default;

std::span<double> LfccAnalyzer::window(std::size_t c) noexcept {
  return {fft_->in + c * lfcc::kFftSize, lfcc::kWindowSamples};
}

STREAMDX_SIMD_CLONES
void LfccAnalyzer::analyze(std::span<double> absolute) {
  const std::size_t nc = channels_;
  constexpr auto kN = static_cast<double>(lfcc::kWindowSamples);

  // Remove each window's mean (a DC offset would leak into the lowest bands through the
  // window's main lobe), take the energy term, and apply the Hamming window in place. Sums use
  // four accumulators: a single chain of dependent adds would leave the FPU waiting.
  for (std::size_t c = 0; c < nc; ++c) {
    double* x = fft_->in + c * lfcc::kFftSize;
    const double mean = sum4(x, [](double v) { return v; }) / kN;
    for (std::size_t i = 0; i < lfcc::kWindowSamples; ++i) x[i] -= mean;
    energy_[c] = sum4(x, [](double v) { return v * v; }) / kN;
    for (std::size_t i = 0; i < lfcc::kWindowSamples; ++i) x[i] *= hamming_[i];
  }

  fftw_execute(fft_->plan);

  // |X(k)|^2, transposed to [bin][channel]. Only the bins some filter uses are needed. With
  // Z the DFT of the packed z: E(k) = (Z(k) + conj Z(32-k)) / 2 is the DFT of the even samples,
  // O(k) = (Z(k) - conj Z(32-k)) / 2i that of the odd ones, and X(k) = E(k) + w^k O(k) with
  // w = e^{-2 pi i / 64}. Every filter bin lies in 1 .. 31, so 32-k is a valid index.
  const std::size_t last_bin = first_bin_.back() + weights_.back().size();
  for (std::size_t k = first_bin_.front(); k < last_bin; ++k) {
    const fftw_complex* a = fft_->out + k * nc;
    const fftw_complex* b = fft_->out + (Fft::kHalf - k) * nc;
    const double tw_re = twiddle_re_[k];
    const double tw_im = twiddle_im_[k];
    double* power = power_.data() + k * nc;
    for (std::size_t c = 0; c < nc; ++c) {
      const double er = 0.5 * (a[c][0] + b[c][0]);
      const double ei = 0.5 * (a[c][1] - b[c][1]);
      const double orr = 0.5 * (a[c][1] + b[c][1]);
      const double oi = -0.5 * (a[c][0] - b[c][0]);
      const double xr = er + tw_re * orr - tw_im * oi;
      const double xi = ei + tw_re * oi + tw_im * orr;
      power[c] = xr * xr + xi * xi;
    }
  }

  // Band energies, then their logs, [filter][channel].
  for (std::size_t m = 0; m < lfcc::kFilters; ++m) {
    double* band = bands_.data() + m * nc;
    std::fill_n(band, nc, 0.0);
    for (std::size_t j = 0; j < weights_[m].size(); ++j) {
      const double w = weights_[m][j];
      const double* p = power_.data() + (first_bin_[m] + j) * nc;
      for (std::size_t c = 0; c < nc; ++c) band[c] += w * p[c];
    }
  }
  // natural_log rather than std::log: the same values to within an ulp, but vectorised. The
  // floor is a loop of its own: inside the log's loop, GCC branches on it instead.
  const auto floor = [](std::vector<double>& v) {
    for (double& x : v) x = x < lfcc::kEnergyFloor ? lfcc::kEnergyFloor : x;
  };
  floor(bands_);
  floor(energy_);
  const auto& log_table = natural_log_detail::intervals();
  for (double& b : bands_) b = natural_log(b, log_table);
  for (double& e : energy_) e = natural_log(e, log_table);

  // Cepstra [coefficient][channel], then everything written channel-major.
  for (std::size_t i = 0; i < lfcc::kCepstra; ++i) {
    double* cep = ceps_.data() + i * nc;
    std::fill_n(cep, nc, 0.0);
    for (std::size_t m = 0; m < lfcc::kFilters; ++m) {
      const double w = dct_[i * lfcc::kFilters + m];
      const double* band = bands_.data() + m * nc;
      for (std::size_t c = 0; c < nc; ++c) cep[c] += w * band[c];
    }
  }
  for (std::size_t c = 0; c < nc; ++c) {
    double* a = absolute.data() + c * lfcc::kAbsolute;
    a[0] = energy_[c];
    for (std::size_t i = 0; i < lfcc::kCepstra; ++i) a[1 + i] = ceps_[i * nc + c];
  }
}

}  // namespace streamdx

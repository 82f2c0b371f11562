#include "stages/epr/FilteredBackProjection.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/ParallelFor.hpp"
#include "core/SimdClones.hpp"

namespace streamdx {

namespace {

// One pixel row's share of one angle (vectorised; see core/SimdClones.hpp).
STREAMDX_SIMD_CLONES
void backproject_row(const float* __restrict f, float* __restrict row, int first, int last,
                     float t0, float step, float weight) {
  for (int i = first; i < last; ++i) {
    const float t = t0 + static_cast<float>(i) * step;
    const int b = static_cast<int>(t);
    const float fr = t - static_cast<float>(b);
    row[i] += weight * (f[b] + fr * (f[b + 1] - f[b]));
  }
}

}  // namespace

FilteredBackProjection::FilteredBackProjection(ImageGrid grid, std::vector<double> angles_rad,
                                               std::size_t bins, double bin_cm)
    : grid_(grid),
      angles_(std::move(angles_rad)),
      bins_(bins),
      bin_cm_(bin_cm),
      fft_(RealFft::good_size(2 * bins)) {
  const std::size_t n = fft_.size();
  auto work = fft_.buffers();
  std::fill_n(work.real, n, 0.0F);
  const double d2 = bin_cm * bin_cm;
  work.real[0] = static_cast<float>(1.0 / (4 * d2));
  for (std::size_t m = 1; m < bins; m += 2) {
    const double v = -1.0 / (std::numbers::pi * std::numbers::pi * static_cast<double>(m * m) * d2);
    work.real[m] = static_cast<float>(v);
    work.real[n - m] = static_cast<float>(v);
  }
  fft_.forward(work);
  const double scale = bin_cm / static_cast<double>(n);
  for (std::size_t j = 0; j < fft_.bins(); ++j)
    ramp_.emplace_back(std::complex<double>(work.spec[j]) * scale);
}

void FilteredBackProjection::filter(std::span<float> row) const {
  auto work = fft_.buffers();
  std::copy_n(row.data(), bins_, work.real);
  std::fill(work.real + bins_, work.real + fft_.size(), 0.0F);
  fft_.forward(work);
  for (std::size_t j = 0; j < fft_.bins(); ++j) work.spec[j] *= ramp_[j];
  fft_.inverse(work);
  std::copy_n(work.real, bins_, row.data());
}

// Where pixel row j of the image meets one angle's bins: t0, the bin of the row's first pixel, and
// the pixels [first, last) that fall inside [0, bins - 1), found by solving, then trimmed, so the
// back-projection loop itself has no branch and vectorises.
struct FilteredBackProjection::RowSpan {
  float t0;
  float step;
  int first;
  int last;
};

FilteredBackProjection::RowSpan FilteredBackProjection::row_span(std::size_t j, double cosine,
                                                                 double sine) const {
  const std::size_t n = grid_.n;
  const double pixel = grid_.pixel_cm();
  const double c = (static_cast<double>(n) - 1) / 2;
  const double centre = static_cast<double>(bins_ - 1) / 2;
  const double y = (static_cast<double>(j) - c) * pixel;
  const auto t0 = static_cast<float>((-c * pixel * cosine + y * sine) / bin_cm_ + centre);
  const auto st = static_cast<float>(pixel * cosine / bin_cm_);
  const auto top = static_cast<float>(bins_ - 1);
  auto inside = [&](long i) {
    const float t = t0 + static_cast<float>(i) * st;
    return t >= 0.0F && t < top;
  };
  long first = 0;
  long last = static_cast<long>(n);
  if (st > 0) {
    first = std::max(0L, static_cast<long>(std::ceil(-t0 / st)) - 1);
    last = std::min(last, static_cast<long>(std::ceil((top - t0) / st)) + 1);
  } else if (st < 0) {
    first = std::max(0L, static_cast<long>(std::floor((top - t0) / st)) - 1);
    last = std::min(last, static_cast<long>(std::floor(-t0 / st)) + 2);
  }
  while (first < last && !inside(first)) ++first;
  while (last > first && !inside(last - 1)) --last;
  return {t0, st, static_cast<int>(first), static_cast<int>(last)};
}

void FilteredBackProjection::add_backprojection(std::span<const float> filtered, double angle_rad,
                                                float weight, std::span<float> image,
                                                unsigned threads) const {
  const double cosine = std::cos(angle_rad);
  const double sine = std::sin(angle_rad);
  const std::size_t n = grid_.n;
  parallel_for(n, threads, [&](std::size_t j) {
    const RowSpan s = row_span(j, cosine, sine);
    backproject_row(filtered.data(), image.data() + j * n, s.first, s.last, s.t0, s.step, weight);
  });
}

void FilteredBackProjection::reconstruct(std::span<const float> sinogram, std::span<float> image,
                                         unsigned threads) const {
  const std::size_t angles = angles_.size();
  std::vector<float> filtered(sinogram.data(), sinogram.data() + angles * bins_);
  constexpr std::size_t kChunks = 8;
  parallel_for(kChunks, threads, [&](std::size_t chunk) {
    for (std::size_t k = chunk; k < angles; k += kChunks)
      filter({filtered.data() + k * bins_, bins_});
  });

  const std::size_t n = grid_.n;
  const auto weight = static_cast<float>(std::numbers::pi / static_cast<double>(angles));
  std::vector<double> cosines(angles);
  std::vector<double> sines(angles);
  for (std::size_t k = 0; k < angles; ++k) {
    cosines[k] = std::cos(angles_[k]);
    sines[k] = std::sin(angles_[k]);
  }
  // Each pixel row sums its angles in order: deterministic on any threads.
  parallel_for(n, threads, [&](std::size_t j) {
    float* row = image.data() + j * n;
    std::fill_n(row, n, 0.0F);
    for (std::size_t k = 0; k < angles; ++k) {
      const RowSpan s = row_span(j, cosines[k], sines[k]);
      backproject_row(filtered.data() + k * bins_, row, s.first, s.last, s.t0, s.step, weight);
    }
  });
}

}  // namespace streamdx

#include "stages/epr/JosephProjector.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "core/ParallelFor.hpp"
#include "core/SimdClones.hpp"

namespace streamdx {

// Padded rows: each image row (or column) is stored with a zero on both sides, n + 2 values, so
// an interpolation that straddles the edge needs no branch. Padded coordinate zeta = index + 1.
//
// For rays stepped by rows (|cos| >= |sin|), row j has y_j = (j - c) * pixel and the ray of bin b
// meets it at x = (s_b - y_j sin) / cos, i.e. zeta = offset + b * kappa + j * slope with
//   kappa = bin / (pixel cos), offset = (-centre * bin + c * pixel * sin) / (pixel cos) + c + 1,
//   slope = -sin / cos.
// Rays stepped by columns swap the roles of cos and sin and read the transposed image.

namespace {

struct Span {
  std::size_t first = 0, last = 0;  // bins [first, last)
};

// Bins whose zeta lies in [0, n + 1): both taps inside the padded row.
Span valid_bins(float zeta0, float kappa, std::size_t bins, std::size_t n) {
  const double hi = static_cast<double>(n + 1);
  double lo_b = 0;
  double hi_b = 0;
  if (kappa > 0) {
    lo_b = std::ceil((0.0 - zeta0) / kappa);
    hi_b = std::ceil((hi - zeta0) / kappa);
  } else {
    lo_b = std::floor((hi - zeta0) / kappa) + 1;
    hi_b = std::floor((0.0 - zeta0) / kappa) + 1;
  }
  auto clamp = [&](double v) {
    return static_cast<std::size_t>(std::clamp(v, 0.0, static_cast<double>(bins)));
  };
  Span s{clamp(lo_b), clamp(hi_b)};
  // Float rounding can put an end bin a hair outside; trim it rather than read past the row.
  auto inside = [&](std::size_t b) {
    const float z = zeta0 + static_cast<float>(b) * kappa;
    return z >= 0.0F && z < static_cast<float>(n + 1) && static_cast<std::size_t>(z) + 1 <= n + 1;
  };
  while (s.first < s.last && !inside(s.first)) ++s.first;
  while (s.last > s.first && !inside(s.last - 1)) --s.last;
  return s;
}

// The inner loops, on one padded row (vectorised; see core/SimdClones.hpp).

STREAMDX_SIMD_CLONES
void forward_row(const float* __restrict row, float* __restrict out, int first, int last,
                 float zeta0, float kappa, float weight) {
  for (int b = first; b < last; ++b) {
    const float z = zeta0 + static_cast<float>(b) * kappa;
    const int i0 = static_cast<int>(z);  // 32-bit: a 64-bit unsigned conversion is far slower
    const float f = z - static_cast<float>(i0);
    out[b] += weight * (row[i0] + f * (row[i0 + 1] - row[i0]));
  }
}

// The adjoint, by pixel. Pixel p takes bin b's value with weight 1 - |z_b - p| where that is
// positive (z_b: where bin b's ray crosses the row, in pixels): the same weights the forward
// pass gives, read the other way. Rays advance at least one pixel per bin, so only the two bins
// around t = (p - zeta0) / kappa can reach a pixel. A gather like this vectorises; the
// bin-by-bin scatter it replaces could not, and each bin waited on the previous bin's store.
// `padded` holds the projection with two zeros on each side (index b + 2).
STREAMDX_SIMD_CLONES
void adjoint_row(const float* __restrict padded, float* __restrict row, int n, int bins,
                 float zeta0, float kappa, float weight) {
  const float inverse = 1.0F / kappa;
  for (int p = 1; p <= n; ++p) {
    const float pf = static_cast<float>(p);
    const float t = (pf - zeta0) * inverse;
    // floor(t) for t > -8192 without a libm call, kept to the padded range.
    const int b = std::clamp(static_cast<int>(t + 8192.0F) - 8192, -1, bins);
    const float z0 = zeta0 + static_cast<float>(b) * kappa;
    const float z1 = zeta0 + static_cast<float>(b + 1) * kappa;
    const float w0 = std::max(0.0F, 1.0F - std::abs(z0 - pf));
    const float w1 = std::max(0.0F, 1.0F - std::abs(z1 - pf));
    row[p] += weight * (w0 * padded[b + 2] + w1 * padded[b + 3]);
  }
}

}  // namespace

std::size_t JosephProjector::bins_for(const ImageGrid& grid, double bin_cm) {
  const double half_diagonal =
      (static_cast<double>(grid.n) / 2 + 1) * grid.pixel_cm() * std::numbers::sqrt2;
  return 2 * static_cast<std::size_t>(std::ceil(half_diagonal / bin_cm)) + 1;
}

JosephProjector::JosephProjector(ImageGrid grid, std::vector<double> angles_rad, double bin_cm,
                                 std::size_t bins)
    : grid_(grid), angles_(std::move(angles_rad)), bin_cm_(bin_cm) {
  const double pixel = grid_.pixel_cm();
  if (!(bin_cm_ >= pixel * (1 - 1e-9))) {
    throw std::invalid_argument("JosephProjector: bins must be at least a pixel wide");
  }
  bins_ = std::max(bins, bins_for(grid_, bin_cm_));
  const double c = (static_cast<double>(grid_.n) - 1) / 2;
  for (const double t : angles_) {
    const double cs = std::cos(t);
    const double sn = std::sin(t);
    const bool by_rows = std::abs(cs) >= std::abs(sn);
    const double d = by_rows ? cs : sn;  // divides: the coordinate interpolated along
    const double a = by_rows ? sn : cs;  // the stepping coordinate's coefficient
    Ray r{};
    r.by_rows = by_rows;
    r.weight = static_cast<float>(pixel / std::abs(d));
    r.kappa = static_cast<float>(bin_cm_ / (pixel * d));
    r.offset = static_cast<float>((-centre() * bin_cm_ + c * pixel * a) / (pixel * d) + c + 1);
    r.slope = static_cast<float>(-a / d);
    rays_.push_back(r);
  }
}

void JosephProjector::forward(std::span<const float> image, std::span<float> sinogram,
                              unsigned threads) const {
  const std::size_t n = grid_.n;
  const std::size_t w = n + 2;
  std::vector<float> rows(n * w, 0.0F);
  std::vector<float> cols(n * w, 0.0F);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      rows[j * w + i + 1] = image[j * n + i];
      cols[i * w + j + 1] = image[j * n + i];
    }
  }
  parallel_for(kChunks, threads, [&](std::size_t chunk) {
    for (std::size_t k = chunk; k < angles(); k += kChunks) {
      const Ray& r = rays_[k];
      const float* src = r.by_rows ? rows.data() : cols.data();
      float* out = sinogram.data() + k * bins_;
      std::fill_n(out, bins_, 0.0F);
      for (std::size_t j = 0; j < n; ++j) {
        const float zeta0 = r.offset + static_cast<float>(j) * r.slope;
        const Span s = valid_bins(zeta0, r.kappa, bins_, n);
        forward_row(src + j * w, out, static_cast<int>(s.first), static_cast<int>(s.last), zeta0,
                    r.kappa, r.weight);
      }
    }
  });
}

void JosephProjector::adjoint(std::span<const float> sinogram, std::span<float> image,
                              unsigned threads) const {
  const std::size_t n = grid_.n;
  const std::size_t w = n + 2;
  std::vector<std::vector<float>> rows(kChunks);
  std::vector<std::vector<float>> cols(kChunks);
  parallel_for(kChunks, threads, [&](std::size_t chunk) {
    rows[chunk].assign(n * w, 0.0F);
    cols[chunk].assign(n * w, 0.0F);
    std::vector<float> padded(bins_ + 4, 0.0F);
    for (std::size_t k = chunk; k < angles(); k += kChunks) {
      const Ray& r = rays_[k];
      float* dst = r.by_rows ? rows[chunk].data() : cols[chunk].data();
      std::copy_n(sinogram.data() + k * bins_, bins_, padded.begin() + 2);
      for (std::size_t j = 0; j < n; ++j) {
        const float zeta0 = r.offset + static_cast<float>(j) * r.slope;
        adjoint_row(padded.data(), dst + j * w, static_cast<int>(n), static_cast<int>(bins_), zeta0,
                    r.kappa, r.weight);
      }
    }
  });
  // Sum the chunks in a fixed order (contiguous, split by rows across threads), then add the
  // column-stepped part through a tiled transpose.
  parallel_for(n, threads, [&](std::size_t j) {
    for (std::size_t c = 1; c < kChunks; ++c) {
      float* __restrict a = rows[0].data() + j * w;
      float* __restrict b = cols[0].data() + j * w;
      const float* __restrict ra = rows[c].data() + j * w;
      const float* __restrict rb = cols[c].data() + j * w;
      for (std::size_t i = 0; i < w; ++i) {
        a[i] += ra[i];
        b[i] += rb[i];
      }
    }
  });
  constexpr std::size_t kTile = 32;
  const std::size_t tiles = (n + kTile - 1) / kTile;
  parallel_for(tiles, threads, [&](std::size_t tj) {
    for (std::size_t ti = 0; ti < tiles; ++ti) {
      for (std::size_t j = tj * kTile; j < std::min(n, (tj + 1) * kTile); ++j) {
        for (std::size_t i = ti * kTile; i < std::min(n, (ti + 1) * kTile); ++i) {
          image[j * n + i] = rows[0][j * w + i + 1] + cols[0][i * w + j + 1];
        }
      }
    }
  });
}

}  // namespace streamdx

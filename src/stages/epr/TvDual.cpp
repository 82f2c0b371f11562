#include "stages/epr/TvDual.hpp"

#include <algorithm>
#include <cmath>

#include "core/ParallelFor.hpp"

namespace streamdx {

namespace {

// Forward differences with a zero difference past the last row/column (Neumann).
void gradient(std::span<const float> u, std::size_t n, std::span<float> gx, std::span<float> gy) {
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t p = j * n + i;
      gx[p] = i + 1 < n ? u[p + 1] - u[p] : 0.0F;
      gy[p] = j + 1 < n ? u[p + n] - u[p] : 0.0F;
    }
  }
}

// -div = gradient^T.
void gradient_adjoint(std::span<const float> gx, std::span<const float> gy, std::size_t n,
                      std::span<float> out) {
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t p = j * n + i;
      float v = 0.0F;
      if (i + 1 < n) v -= gx[p];
      if (i > 0) v += gx[p - 1];
      if (j + 1 < n) v -= gy[p];
      if (j > 0) v += gy[p - n];
      out[p] = v;
    }
  }
}

// 3D: forward differences along x, y and z (Neumann), and their adjoint.
void gradient3(std::span<const float> u, std::size_t n, std::span<float> gx, std::span<float> gy,
               std::span<float> gz) {
  const std::size_t plane = n * n;
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t p = k * plane + j * n + i;
        gx[p] = i + 1 < n ? u[p + 1] - u[p] : 0.0F;
        gy[p] = j + 1 < n ? u[p + n] - u[p] : 0.0F;
        gz[p] = k + 1 < n ? u[p + plane] - u[p] : 0.0F;
      }
    }
  }
}

void gradient3_adjoint(std::span<const float> gx, std::span<const float> gy,
                       std::span<const float> gz, std::size_t n, std::span<float> out) {
  const std::size_t plane = n * n;
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t p = k * plane + j * n + i;
        float v = 0.0F;
        if (i + 1 < n) v -= gx[p];
        if (i > 0) v += gx[p - 1];
        if (j + 1 < n) v -= gy[p];
        if (j > 0) v += gy[p - n];
        if (k + 1 < n) v -= gz[p];
        if (k > 0) v += gz[p - plane];
        out[p] = v;
      }
    }
  }
}

}  // namespace

// 2D keeps its own loops (its results are pinned by the golden tests).
TvDual::TvDual(const ImageGrid& grid, unsigned threads)
    : n_(grid.n), dims_(grid.dimensions), threads_(threads) {
  const std::size_t voxels = grid.voxels();
  for (std::size_t d = 0; d < dims_; ++d) {
    g_[d].assign(voxels, 0.0F);
    y_[d].assign(voxels, 0.0F);
  }
}

void TvDual::step(std::span<const float> ubar, float sigma, std::span<float> out) {
  const std::size_t rows = dims_ == 3 ? n_ * n_ : n_;
  if (dims_ == 3) {
    gradient3(ubar, n_, g_[0], g_[1], g_[2]);
  } else {
    gradient(ubar, n_, g_[0], g_[1]);
  }
  parallel_for(rows, threads_, [&](std::size_t r) {
    for (std::size_t p = r * n_; p < (r + 1) * n_; ++p) {
      const float vx = y_[0][p] + sigma * g_[0][p];
      const float vy = y_[1][p] + sigma * g_[1][p];
      const float vz = dims_ == 3 ? y_[2][p] + sigma * g_[2][p] : 0.0F;
      const float m = std::max(1.0F, std::sqrt(vx * vx + vy * vy + vz * vz));
      y_[0][p] = vx / m;
      y_[1][p] = vy / m;
      if (dims_ == 3) y_[2][p] = vz / m;
    }
  });
  if (dims_ == 3) {
    gradient3_adjoint(y_[0], y_[1], y_[2], n_, out);
  } else {
    gradient_adjoint(y_[0], y_[1], n_, out);
  }
}

}  // namespace streamdx

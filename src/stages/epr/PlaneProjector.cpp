#include "stages/epr/PlaneProjector.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/ParallelFor.hpp"

namespace streamdx {

namespace {

constexpr std::size_t kChunks = 8;
constexpr double kSameAzimuth = 1e-9;  // radians

}  // namespace

PlaneProjector::PlaneProjector(ImageGrid grid, const std::vector<std::array<double, 3>>& directions)
    : grid_(grid) {
  if (grid_.dimensions != 3) throw std::invalid_argument("PlaneProjector: a 3D grid");
  const std::size_t n = grid_.n;
  const double pixel = grid_.pixel_cm();
  // Group the directions by azimuth; each group keeps its polar angles in order.
  std::vector<double> azimuths;
  std::vector<std::vector<double>> alphas;
  for (const auto& g : directions) {
    const double r = std::hypot(g[0], g[1]);
    const double phi = r > 0 ? std::atan2(g[1], g[0]) : 0.0;
    std::size_t k = 0;
    while (k < azimuths.size() && std::abs(azimuths[k] - phi) > kSameAzimuth) ++k;
    if (k == azimuths.size()) {
      azimuths.push_back(phi);
      alphas.emplace_back();
    }
    // s = t sin(theta) + z cos(theta): a line at angle alpha in the (t, z) plane.
    alphas[k].push_back(std::atan2(g[2], r));
    group_of_.push_back(k);
    index_in_group_.push_back(alphas[k].size() - 1);
  }
  const ImageGrid slice{n, grid_.fov_cm, 2};
  std::size_t slice_bins = JosephProjector::bins_for(slice, pixel);
  if ((slice_bins - n) % 2 != 0) ++slice_bins;  // slices sit on whole plane rows
  slices_ = std::make_unique<JosephProjector>(slice, azimuths, pixel, slice_bins);
  side_ = slices_->bins();
  z_offset_ = (side_ - n) / 2;
  const ImageGrid plane{side_, pixel * static_cast<double>(side_), 2};
  for (auto& a : alphas) planes_.push_back(std::make_unique<JosephProjector>(plane, a, pixel));
  bins_ = planes_.front()->bins();
}

void PlaneProjector::forward(std::span<const float> volume, std::span<float> sinogram,
                             unsigned threads) const {
  const std::size_t n = grid_.n;
  const std::size_t groups = planes_.size();
  const std::size_t m = side_;
  // 1. Each slice along every azimuth, written straight into the (t, z) planes.
  std::vector<float> planes(groups * m * m, 0.0F);
  parallel_for(kChunks, threads, [&](std::size_t chunk) {
    std::vector<float> sino(groups * m);
    for (std::size_t z = chunk; z < n; z += kChunks) {
      slices_->forward(volume.subspan(z * n * n, n * n), sino, 1);
      for (std::size_t g = 0; g < groups; ++g) {
        std::copy_n(sino.data() + g * m, m, planes.data() + (g * m + z + z_offset_) * m);
      }
    }
  });
  // 2. Each plane along its directions' polar angles.
  std::vector<std::vector<float>> out(groups);
  parallel_for(kChunks, threads, [&](std::size_t chunk) {
    for (std::size_t g = chunk; g < groups; g += kChunks) {
      out[g].resize(planes_[g]->angles() * bins_);
      planes_[g]->forward(std::span<const float>(planes).subspan(g * m * m, m * m), out[g], 1);
    }
  });
  for (std::size_t k = 0; k < group_of_.size(); ++k) {
    std::copy_n(out[group_of_[k]].data() + index_in_group_[k] * bins_, bins_,
                sinogram.data() + k * bins_);
  }
}

void PlaneProjector::adjoint(std::span<const float> sinogram, std::span<float> volume,
                             unsigned threads) const {
  const std::size_t n = grid_.n;
  const std::size_t groups = planes_.size();
  const std::size_t m = side_;
  std::vector<std::vector<float>> in(groups);
  for (std::size_t g = 0; g < groups; ++g) in[g].resize(planes_[g]->angles() * bins_);
  for (std::size_t k = 0; k < group_of_.size(); ++k) {
    std::copy_n(sinogram.data() + k * bins_, bins_,
                in[group_of_[k]].data() + index_in_group_[k] * bins_);
  }
  std::vector<float> planes(groups * m * m);
  parallel_for(kChunks, threads, [&](std::size_t chunk) {
    for (std::size_t g = chunk; g < groups; g += kChunks) {
      planes_[g]->adjoint(in[g], std::span<float>(planes).subspan(g * m * m, m * m), 1);
    }
  });
  // The planes' rows outside the volume are the zero padding: their adjoint is to drop them.
  parallel_for(kChunks, threads, [&](std::size_t chunk) {
    std::vector<float> sino(groups * m);
    for (std::size_t z = chunk; z < n; z += kChunks) {
      for (std::size_t g = 0; g < groups; ++g) {
        std::copy_n(planes.data() + (g * m + z + z_offset_) * m, m, sino.data() + g * m);
      }
      slices_->adjoint(sino, volume.subspan(z * n * n, n * n), 1);
    }
  });
}

std::unique_ptr<RadonProjector> make_projector(const ProjectionSet& geometry,
                                               const ImageGrid& grid) {
  if (grid.dimensions == 3) return std::make_unique<PlaneProjector>(grid, geometry.gradients);
  return std::make_unique<JosephProjector>(grid, geometry.angles(), grid.pixel_cm());
}

}  // namespace streamdx

#include "stages/epr/ProjectionDeconvolution.hpp"

#include <cmath>
#include <numbers>

#include "stages/epr/EprAcquisition.hpp"

namespace streamdx {

namespace {

// The geometry the grid and the deconvolution are set up from: the field axis, and the first
// projection's gradient standing for the acquisition's strength.
ProjectionSet first_geometry(const wire::EprHeader& header, const wire::EprProjection& first) {
  return projections_from(header, {first});
}

ImageGrid live_grid(const wire::EprHeader& header, const ProjectionSet& geometry,
                    const ReferenceSpectrum& ref, const EprReconstructionOptions& options) {
  const double b0 = reference_centre(ref);
  check_reference_fits(geometry, ref, b0);
  const std::size_t dims = header.dimensions == 3 ? 3 : 2;
  // The first projection may lie in the plane of a 3D acquisition: the header says which.
  double fov = supported_fov_cm(geometry, ref);
  if (dims == 3 && geometry.dimensions() == 2) fov *= std::numbers::sqrt2 / std::sqrt(3.0);
  return ImageGrid{dims == 3 ? options.size_3d : options.size, options.fov_cm.value_or(fov), dims};
}

// 3D rows are resampled onto the bins of a 2D grid with the same pixel whose diagonal covers
// the volume's.
ImageGrid bins_grid(const ImageGrid& grid) {
  if (grid.dimensions == 2) return grid;
  const auto n2 =
      static_cast<std::size_t>(std::ceil(static_cast<double>(grid.n) * std::sqrt(1.5))) + 1;
  return ImageGrid{n2, grid.pixel_cm() * static_cast<double>(n2), 2};
}

}  // namespace

double projection_angle(const wire::EprProjection& p) {
  return std::atan2(p.gradient_g_per_cm[1], p.gradient_g_per_cm[0]);
}

ProjectionDeconvolution::ProjectionDeconvolution(const wire::EprHeader& header,
                                                 ReferenceSpectrum reference,
                                                 const wire::EprProjection& first,
                                                 const EprReconstructionOptions& options)
    : header_(header),
      reference_(std::move(reference)),
      grid_(live_grid(header, first_geometry(header, first), reference_, options)),
      bins_grid_(bins_grid(grid_)),
      fourier_(first_geometry(header, first), reference_, reference_centre(reference_), bins_grid_,
               1),
      width_per_cm_(options.width_per_cm.value_or(fourier_.default_width())) {}

void ProjectionDeconvolution::deconvolve(const wire::EprProjection& p, std::span<float> row) const {
  wire::check_projection(header_, p);
  fourier_.deconvolve(p.values, gradient_strength(p.gradient_g_per_cm), width_per_cm_, row);
  if (grid_.dimensions == 2) {
    fourier_.back_projection().filter(row);
    return;
  }
  // -1/(4 pi^2) d^2/ds^2, by central differences (the ends, outside the volume, are 0).
  const double bin = grid_.pixel_cm();
  const double k = -1.0 / (4 * std::numbers::pi * std::numbers::pi * bin * bin);
  std::vector<float> r(row.begin(), row.end());
  row[0] = 0.0F;
  row[row.size() - 1] = 0.0F;
  for (std::size_t b = 1; b + 1 < row.size(); ++b)
    row[b] = static_cast<float>(k * (static_cast<double>(r[b - 1]) - 2.0 * r[b] + r[b + 1]));
}

double ProjectionDeconvolution::add_backprojection(std::span<const float> row,
                                                   const wire::EprProjection& p,
                                                   std::span<float> image_sum) const {
  if (grid_.dimensions == 2) {
    fourier_.back_projection().add_backprojection(row, projection_angle(p), 1.0F, image_sum, 1);
    return 1.0;
  }
  const auto& g = p.gradient_g_per_cm;
  const double norm = std::hypot(g[0], g[1], g[2]);
  const double sin_theta = std::hypot(g[0], g[1]) / norm;
  const std::size_t n = grid_.n;
  const double c = (static_cast<double>(n) - 1) / 2;
  // Bins are a pixel wide, so s / bin is the position in pixels.
  const double centre = static_cast<double>(row.size() - 1) / 2;
  const auto w = static_cast<float>(sin_theta);
  // s = x . g/|g| in bins: t0 at voxel (0, j, k), stepping `dx` bins per voxel along x.
  const auto dx = static_cast<float>(g[0] / norm);
  for (std::size_t kz = 0; kz < n; ++kz) {
    for (std::size_t jy = 0; jy < n; ++jy) {
      const double y = (static_cast<double>(jy) - c);
      const double z = (static_cast<double>(kz) - c);
      const auto t0 = static_cast<float>((-c * g[0] + y * g[1] + z * g[2]) / norm + centre);
      float* out = image_sum.data() + (kz * n + jy) * n;
      for (std::size_t i = 0; i < n; ++i) {
        const float t = t0 + dx * static_cast<float>(i);
        const auto b = static_cast<std::size_t>(t);
        const float f = t - static_cast<float>(b);
        out[i] += w * (row[b] + f * (row[b + 1] - row[b]));
      }
    }
  }
  return sin_theta;
}

double ProjectionDeconvolution::normalisation(double total_weight) const {
  if (total_weight <= 0) return 0.0;
  // 2D: pi / count (Ram-Lak over a half-turn); 3D: the half-sphere's 2 pi over the weights.
  return (grid_.dimensions == 3 ? 2 : 1) * std::numbers::pi / total_weight;
}

}  // namespace streamdx

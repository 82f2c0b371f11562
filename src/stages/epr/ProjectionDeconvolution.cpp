#include "stages/epr/ProjectionDeconvolution.hpp"

#include <cmath>

#include "stages/epr/EprAcquisition.hpp"

namespace streamdx {

namespace {

// The geometry the grid and the deconvolution are set up from: the field axis, and the first
// projection's gradient standing for the acquisition's strength.
ProjectionSet first_geometry(const wire::EprHeader& header, const wire::EprProjection& first) {
  return projections_from(header, {first});
}

ImageGrid live_grid(const ProjectionSet& geometry, const ReferenceSpectrum& ref,
                    const EprReconstructionOptions& options) {
  const double b0 = reference_centre(ref);
  check_reference_fits(geometry, ref, b0);
  return ImageGrid{options.size, options.fov_cm.value_or(supported_fov_cm(geometry, ref))};
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
      grid_(live_grid(first_geometry(header, first), reference_, options)),
      fourier_(first_geometry(header, first), reference_, reference_centre(reference_), grid_, 1),
      width_per_cm_(options.width_per_cm.value_or(fourier_.default_width())) {}

void ProjectionDeconvolution::deconvolve(const wire::EprProjection& p, std::span<float> row) const {
  wire::check_projection(header_, p);
  const double mu = std::hypot(p.gradient_g_per_cm[0], p.gradient_g_per_cm[1]);
  fourier_.deconvolve(p.values, mu, width_per_cm_, row);
  fourier_.back_projection().filter(row);
}

void ProjectionDeconvolution::add_backprojection(std::span<const float> row, double angle_rad,
                                                 std::span<float> image_sum) const {
  fourier_.back_projection().add_backprojection(row, angle_rad, 1.0F, image_sum, 1);
}

}  // namespace streamdx

#pragma once
// ProjectionDeconvolution: the live pipeline's deconvolution stage. Each projection, the moment
// it arrives, becomes one ramp-filtered row on the image's projection bins: integrated to
// absorption, divided by the reference's spectrum under the Fourier method's apodization,
// resampled onto the bins and filtered (FourierReconstructor, FilteredBackProjection). Adding the
// rows' back-projections is then the Fourier image of what has arrived.
//
// The grid and the apodization width are fixed by the header and the first projection (the
// acquisition's gradient strength), so every row of one acquisition lands on the same bins.
#include <span>
#include <vector>

#include "io/EprWireMessages.hpp"
#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/EprReconstruction.hpp"
#include "stages/epr/FourierReconstructor.hpp"

namespace streamdx {

class ProjectionDeconvolution {
 public:
  // Throws one line for a header the reconstruction cannot read (3D, a reference outside the
  // sweep). `options`: the size, field of view and apodization width, as epr reconstruct reads
  // them.
  // `reference`: the header's, named as the user knows it (a file, or the stream's source).
  ProjectionDeconvolution(const wire::EprHeader& header, ReferenceSpectrum reference,
                          const wire::EprProjection& first,
                          const EprReconstructionOptions& options);

  // `p` (checked against the header first) as a filtered row of bins() values.
  void deconvolve(const wire::EprProjection& p, std::span<float> row) const;
  // Adds the filtered row of a projection at `angle_rad` into `image_sum` (unweighted).
  void add_backprojection(std::span<const float> row, double angle_rad,
                          std::span<float> image_sum) const;

  [[nodiscard]] std::size_t bins() const noexcept { return fourier_.bins(); }
  [[nodiscard]] const ImageGrid& grid() const noexcept { return grid_; }
  [[nodiscard]] const ReferenceSpectrum& reference() const noexcept { return reference_; }
  [[nodiscard]] const wire::EprHeader& header() const noexcept { return header_; }
  [[nodiscard]] double width_per_cm() const noexcept { return width_per_cm_; }

 private:
  wire::EprHeader header_;
  ReferenceSpectrum reference_;
  ImageGrid grid_;
  FourierReconstructor fourier_;
  double width_per_cm_;
};

// The gradient's angle in the image plane, radians.
double projection_angle(const wire::EprProjection& p);

}  // namespace streamdx

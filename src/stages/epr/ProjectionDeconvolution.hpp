#pragma once
// ProjectionDeconvolution: the live pipeline's deconvolution stage. Each projection, the moment
// it arrives, becomes one filtered row on the image's projection bins: integrated to
// absorption, divided by the reference's spectrum under the Fourier method's apodization,
// resampled onto the bins (FourierReconstructor) and filtered for back-projection. In 2D the
// filter is the ramp (FilteredBackProjection), and the rows' back-projections add up to the
// Fourier image of what has arrived. In 3D it is the second derivative of the inverse plane
// Radon transform, u = -1/(4 pi^2) times the back-projection over the half-sphere of R''; each
// direction weighs sin(theta), its share of the sphere on a theta-phi grid (fusillo's), an
// approximation for other layouts. This 3D image is the live preview; the reconstruction proper
// is TV's.
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
  // Adds the filtered row of projection `p` into `image_sum`, times its quadrature weight, which
  // it returns (2D: 1; 3D: sin of the polar angle, the solid angle a theta-phi grid gives it).
  double add_backprojection(std::span<const float> row, const wire::EprProjection& p,
                            std::span<float> image_sum) const;
  // What the sum is multiplied by to be the image, given the weights added so far.
  [[nodiscard]] double normalisation(double total_weight) const;

  [[nodiscard]] std::size_t bins() const noexcept { return fourier_.bins(); }
  [[nodiscard]] const ImageGrid& grid() const noexcept { return grid_; }
  [[nodiscard]] const ReferenceSpectrum& reference() const noexcept { return reference_; }
  [[nodiscard]] const wire::EprHeader& header() const noexcept { return header_; }
  [[nodiscard]] double width_per_cm() const noexcept { return width_per_cm_; }

 private:
  wire::EprHeader header_;
  ReferenceSpectrum reference_;
  ImageGrid grid_;
  ImageGrid bins_grid_;  // the 2D grid whose bins the rows are on (3D: covering the volume)
  FourierReconstructor fourier_;
  double width_per_cm_;
};

// The gradient's angle in the image plane, radians.
double projection_angle(const wire::EprProjection& p);

}  // namespace streamdx

#pragma once
// ProjectionOperator: A, the map from an image to the measured derivative projections, and its
// adjoint. For each projection g (angle theta, strength mu):
//
//   r = R_g u                      Radon transform along g's direction: line integrals of an
//                                  image (JosephProjector, 2D) or plane integrals of a volume
//                                  (PlaneProjector, 3D)
//   q_l = r((B0 - B_l) / mu) / mu  onto the measured field axis, linear interpolation
//   p = step * (k * q)             convolution with the reference line shape (LineShapeConvolver)
//   p -= baseline(p)               each projection's least-squares straight line: the instrument
//                                  removes the mean and its baseline drifts, neither modelled
//   w = W p                        whitening to unit-variance noise (CorrelatedNoise.hpp)
//
// Measured data go through the same last two steps (prepare_data), so the data term compares
// like with like, ignores baseline offsets and drifts, and its residual is white noise of unit
// variance.
#include <span>
#include <vector>

#include <memory>
#include "stages/epr/CorrelatedNoise.hpp"
#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/LineShapeConvolver.hpp"
#include "stages/epr/RadonProjector.hpp"

namespace streamdx {

class ProjectionOperator {
 public:
  ProjectionOperator(const ProjectionSet& geometry, const ReferenceSpectrum& ref, double b0,
                     ImageGrid grid, NoiseModel noise, unsigned threads);

  [[nodiscard]] std::size_t image_size() const noexcept { return grid_.voxels(); }
  [[nodiscard]] std::size_t data_size() const noexcept { return projections_ * samples_; }
  [[nodiscard]] const ImageGrid& grid() const noexcept { return grid_; }
  [[nodiscard]] const RadonProjector& projector() const noexcept { return *radon_; }
  [[nodiscard]] const LineShapeConvolver& convolver() const noexcept { return conv_; }
  [[nodiscard]] double b0() const noexcept { return b0_; }
  [[nodiscard]] unsigned threads() const noexcept { return threads_; }

  void forward(std::span<const float> image, std::span<float> data) const;
  void adjoint(std::span<const float> data, std::span<float> image) const;
  // Baseline removal and whitening of measured projections.
  [[nodiscard]] std::vector<float> prepare_data(std::span<const float> measured) const;

  // Where field sample l of projection k falls on the projector's bins, and the weight 1/mu.
  struct Tap {
    std::uint32_t bin;  // interpolate between bin and bin + 1
    float frac;
  };

 private:
  static constexpr std::size_t kChunks = 8;
  void finish(std::span<float> p, std::span<float> scratch) const;
  void finish_adjoint(std::span<const float> w, std::span<float> p, std::span<float> scratch) const;

  ImageGrid grid_;
  std::size_t projections_;
  std::size_t samples_;
  double b0_;
  NoiseModel noise_;
  unsigned threads_;
  std::unique_ptr<RadonProjector> radon_;
  LineShapeConvolver conv_;
  std::vector<Tap> taps_;          // projections x samples; frac < 0 marks "outside"
  std::vector<float> inverse_mu_;  // per projection
};

}  // namespace streamdx

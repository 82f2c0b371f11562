// The 3D Radon transform (PlaneProjector) against closed-form plane integrals of balls, its
// adjoint, its thread-independence, and TV in 3D on a simulated volume with a known truth.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numbers>

#include "core/Random.hpp"
#include "stages/epr/EprBallPhantom.hpp"
#include "stages/epr/EprReconstruction.hpp"
#include "stages/epr/EprSimulator.hpp"
#include "stages/epr/ImageQuality.hpp"
#include "stages/epr/PlaneProjector.hpp"
#include "support/EprTestData.hpp"

namespace streamdx {
namespace {

using testing::dot;
using testing::random_vector;

constexpr ImageGrid kVolume{33, 3.0, 3};

// k x k directions on a theta-phi grid, as fusillo's 31 x 31, at `strength` G/cm.
std::vector<std::array<double, 3>> directions(std::size_t k, double strength) {
  return sphere_directions(k * k, strength);
}

TEST(PlaneProjector, MatchesTheBallsPlaneIntegrals) {
  const auto dirs = directions(7, 1.0);
  const PlaneProjector radon(kVolume, dirs);
  const auto balls = make_balls(kVolume.fov_cm);
  std::vector<float> sino(radon.angles() * radon.bins());
  radon.forward(rasterise(balls, kVolume), sino, 2);
  const double bin = radon.bin_cm();
  double err = 0;
  double norm = 0;
  for (std::size_t k = 0; k < dirs.size(); ++k) {
    for (std::size_t b = 0; b < radon.bins(); ++b) {
      const double s = (static_cast<double>(b) - radon.centre()) * bin;
      // The bin's mean of the plane integral, per cm of offset: what the projector samples.
      const double exact = plane_integral(balls, dirs[k], s - bin / 2, s + bin / 2) / bin;
      err += std::pow(sino[k * radon.bins() + b] - exact, 2);
      norm += exact * exact;
    }
  }
  EXPECT_LT(std::sqrt(err / norm), 0.03);
}

TEST(PlaneProjector, TheAdjointIsTheTransposeOnAnyThreads) {
  const auto dirs = directions(6, 1.0);
  const PlaneProjector radon(kVolume, dirs);
  const auto u = random_vector(kVolume.voxels(), 3);
  const auto v = random_vector(radon.angles() * radon.bins(), 4);
  std::vector<float> au(v.size()), atv(u.size()), au1(v.size()), atv1(u.size());
  radon.forward(u, au, 2);
  radon.adjoint(v, atv, 2);
  const double lhs = dot(au, v);
  EXPECT_NEAR(lhs, dot(u, atv), 1e-5 * std::abs(lhs));
  radon.forward(u, au1, 1);
  radon.adjoint(v, atv1, 1);
  EXPECT_EQ(std::memcmp(au.data(), au1.data(), 4 * au.size()), 0);
  EXPECT_EQ(std::memcmp(atv.data(), atv1.data(), 4 * atv.size()), 0);
}

TEST(PlaneProjector, TvRecoversASimulatedVolumeNonNegatively) {
  // The field axis and a Voigt line shape from the 2D simulator; 3D directions and balls here.
  EprSimulationOptions o;
  o.projections = 2;
  o.samples = 1000;
  o.sweep = 160;
  o.gradient = 14;
  o.line.kind = LineShape::Kind::Voigt;
  o.line.lorentz_fwhm = 1.0;
  o.line.gauss_fwhm = 0.6;
  o.snr = 0;
  const EprSimulation base = simulate_epr(o);
  ProjectionSet set;
  set.field = base.projections.field;
  set.gradients = directions(15, 14.0);
  const auto balls = make_balls(kVolume.fov_cm);
  set.data = analytic_projections(balls, set, base.reference, base.b0);
  float peak = 0;
  for (const float v : set.data) peak = std::max(peak, std::abs(v));
  SplitMix64 rng(11);
  for (float& v : set.data) v += static_cast<float>(peak / 50.0 * rng.normal());  // SNR 50

  EprReconstructionOptions options;
  options.size_3d = kVolume.n;
  options.fov_cm = kVolume.fov_cm;
  options.threads = 2;
  options.tv.max_iterations = 150;
  const EprReconstruction r = reconstruct_epr(set, base.reference, options);
  ASSERT_EQ(r.grid.dimensions, 3U);
  ASSERT_EQ(r.image.size(), kVolume.voxels());
  EXPECT_EQ(r.negative_mass, 0.0);
  const double error = nrmse(r.image, rasterise(balls, kVolume));
  EXPECT_LT(error, 0.15) << "NRMSE " << error;  // 0.095 when written
  RecordProperty("nrmse", std::to_string(error));
}

}  // namespace
}  // namespace streamdx

#pragma once
// EprSimulator: projections of a phantom as a 2D EPR imager would record them, with a ground
// truth to measure reconstructions against (the real data have none).
//
// Each field sample holds the exact integral of the phantom's projection over the sample's
// field interval (EprPhantom.hpp), convolved with the line shape, so the projections are
// analytic up to the field sampling (0.36 G, a fifth of a 256-pixel reconstruction's pixel on
// the phalanx geometry): the reconstruction's own model error shows instead of hiding behind the
// simulator's. Noise is Gaussian, white or AR(1), at SNR = peak |projection| / noise std, then
// each projection's mean is removed, as the instrument does.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stages/epr/EprBallPhantom.hpp"
#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/EprPhantom.hpp"
#include "stages/epr/LineShapes.hpp"

namespace streamdx {

struct EprSimulationOptions {
  std::string phantom = "disks";
  ImageGrid truth_grid{256, 3.0};  // the ground truth's grid
  std::size_t projections = 113;   // angles (k + 1/2) * 180 / projections degrees
  // The order the angles are acquired in: "sequential" (0 to 180 degrees) or "interleaved"
  // (bit-reversed, so every prefix covers the half-circle evenly): what a live image looks like
  // part-way depends on it (docs/EPR.md, "Live").
  std::string order = "sequential";
  // 3: a volume of balls (EprBallPhantom.hpp, `phantom` is ignored) seen along k x k directions
  // on a theta-phi grid, k the square root of `projections` rounded, as fusillo's 31 x 31.
  std::size_t dimensions = 2;
  double gradient = 168.0;  // G/cm
  std::size_t samples = 2000;
  double sweep = 719.4401;       // gauss
  double centre_field = 3428.2;  // gauss, the sweep's centre
  // The measured reference spectrum to use as h (its axis becomes the field axis); when absent,
  // an analytic line centred 24.5 G below the sweep's centre, as on the phalanx data.
  std::optional<ReferenceSpectrum> measured_reference;
  LineShape line;
  double snr = 50;  // <= 0: no noise
  double rho = 0;   // AR(1) correlation of the noise
  std::uint64_t seed = 1;
};

struct EprSimulation {
  ProjectionSet projections;
  ReferenceSpectrum reference;
  std::vector<float> truth;
  double b0 = 0;
  double noise_sigma = 0;
};

EprSimulation simulate_epr(const EprSimulationOptions& options);

// k x k gradient directions at `strength` G/cm on a theta-phi grid over the half-sphere (theta
// and phi at (i + 1/2) 180 / k degrees), k the square root of `projections` rounded: fusillo's
// layout.
std::vector<std::array<double, 3>> sphere_directions(std::size_t projections, double strength);

// The angle indices 0 .. projections-1 in acquisition `order` (see EprSimulationOptions).
std::vector<std::size_t> acquisition_order(std::size_t projections, const std::string& order);

// The noise-free derivative projections of `phantom` on `geometry`'s field axis and gradients:
// exact integrals over each field sample, convolved with `ref` centred on b0.
std::vector<float> analytic_projections(const Phantom& phantom, const ProjectionSet& geometry,
                                        const ReferenceSpectrum& ref, double b0);
// The same for a 3D object of balls (plane integrals along each gradient's direction).
std::vector<float> analytic_projections(const std::vector<Ball>& balls,
                                        const ProjectionSet& geometry, const ReferenceSpectrum& ref,
                                        double b0);

}  // namespace streamdx

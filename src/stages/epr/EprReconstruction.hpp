#pragma once
// One EPR reconstruction from loaded projections and reference, by either method, with every
// figure the outputs and the comparison report: B0, the noise model, lambda, the residual, the
// negative mass before any clipping, and timings.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/Json.hpp"
#include "stages/epr/CorrelatedNoise.hpp"
#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/TvReconstructor.hpp"

namespace streamdx {

struct EprReconstructionOptions {
  std::string method = "tv";  // or "fourier"
  // tv in 2D: "toeplitz" (FourierProjectionModel: A*A as a convolution) or "projector"
  // (ProjectionOperator: Joseph's projector each iteration). 3D always uses the projector.
  std::string tv_operator = "toeplitz";
  std::filesystem::path reservoir_model;  // reservoir: the trained model file
  std::size_t size = 256;                 // pixels per side of a 2D image
  std::size_t size_3d = 65;               // voxels per side of a 3D volume
  std::optional<double> fov_cm;           // default: what the sweep supports (supported_fov_cm)
  std::optional<double> width_per_cm;     // fourier: apodization (default: the resolution rule)
  unsigned threads = 0;                   // 0: every core
  TvOptions tv;                           // tv.max_iterations: 2D
  unsigned max_iterations_3d = 300;       // each 3D iteration costs about 40 2D ones
  // The operator's relative model error, the floor under the noise in the residual target;
  // default: measured on this geometry (OperatorModelError.hpp).
  std::optional<double> model_error;
};

struct EprReconstruction {
  std::string method;
  std::string tv_operator;  // tv: the operator that solved it
  std::string model_file;   // reservoir: the model, and its card's validation error
  double model_validation_error = 0;
  std::vector<float> image;
  ImageGrid grid;
  double b0 = 0;
  NoiseModel noise;
  double width_per_cm = 0;  // fourier
  double epsilon = 0;       // tv: the residual target (whitened)
  double model_error = 0;   // tv: the operator's relative model error used for the target
  double lambda = 0;        // tv
  unsigned iterations = 0;
  bool converged = false;
  // Whitened residual ||W(A u - p)|| per sqrt(sample), in units of the noise: 1 is the floor.
  double residual_over_noise = 0;
  double residual_ends_over_noise = 0;       // the same over the ends of the sweeps (no signal)
  double residual_middle_over_noise = 0;     // and over the rest
  double negative_mass = 0;                  // before any clipping
  std::vector<double> residual_history;      // tv: residual / epsilon per iteration
  std::vector<double> projection_residuals;  // per projection, in noise units
  std::map<std::string, double> timings_ms;
};

// `start`, for tv: the image to warm-start from (a live re-run starts from the last one);
// default: the Fourier baseline, clipped at zero.
EprReconstruction reconstruct_epr(const ProjectionSet& set, const ReferenceSpectrum& ref,
                                  const EprReconstructionOptions& options,
                                  std::optional<std::vector<float>> start = std::nullopt);

// Residual figures of `image` against `set` (fills residual_over_noise and projection_residuals).
void measure_residual(const ProjectionSet& set, const ReferenceSpectrum& ref, EprReconstruction& r,
                      unsigned threads);

unsigned resolve_threads(unsigned requested);

// image.json: what the image is (grid, units, layout) and every figure of `r`, with the inputs
// named as given and the thread count used.
json::Json reconstruction_metadata(const EprReconstruction& r, const std::string& projections,
                                   const std::string& reference, unsigned threads);

}  // namespace streamdx

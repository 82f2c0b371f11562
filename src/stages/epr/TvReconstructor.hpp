#pragma once
// TvReconstructor: the default reconstruction (--method tv). It solves
//
//     minimise TV(u)  subject to  ||A u - p|| <= epsilon,  u >= 0
//
// (A and p whitened, ProjectionOperator.hpp), which is the penalised problem
// min 1/2 ||A u - p||^2 + lambda TV(u), u >= 0, at the lambda the discrepancy principle picks:
// the one whose residual equals the noise, epsilon. Solving the constrained form finds that
// lambda in one run instead of a search over many, and reports it from the dual variable
// (lambda = epsilon / ||y_data|| at the optimum). TV is isotropic, on pixel differences.
//
// Solver: Chambolle-Pock primal-dual with the positivity as the primal prox (so u >= 0 at every
// iterate, by construction, not by clipping the output), diagonal step preconditioning between
// the data and TV blocks, warm-started from the Fourier baseline clipped at zero.
// Stop: the relative change of u below `tolerance` with the residual within 1 % of epsilon, or
// max_iterations.
#include <functional>
#include <span>
#include <vector>

#include "stages/epr/ProjectionOperator.hpp"

namespace streamdx {

struct TvOptions {
  unsigned max_iterations = 2000;
  // The image's relative change per iteration. At 2e-5 the automatic-lambda images have settled:
  // halving it moves their NRMSE by under 4 % (docs/EPR.md).
  double tolerance = 2e-5;
  // Primal step relative to the image's scale (the solver's speed, not the regularisation).
  double step_scale = 0.01;
  // ||A|| when already known (0: estimated by power iteration, 40 applications of A or A^T).
  double operator_norm = 0;
};

struct TvResult {
  std::vector<float> image;
  double lambda = 0;
  double residual = 0;  // ||A u - p|| (whitened) at the end
  double epsilon = 0;
  unsigned iterations = 0;
  bool converged = false;
  double operator_norm = 0;
  std::vector<double> residual_history;  // residual / epsilon per iteration
};

// The discrepancy principle's residual target for whitened data (unit-variance noise): one per
// degree of freedom (samples less two per projection, whose straight baseline is removed), with a
// model-error floor: epsilon^2 = dof * (1 + (model_error * rms(data))^2). Without the floor, a
// high-SNR problem would be asked to fit its data closer than the operator itself is accurate,
// and would fit noise (docs/EPR.md). model_error is measured, by operator_model_error.
double discrepancy_target(std::span<const float> whitened_data, std::size_t projections,
                          double model_error);

// ||A||, by power iteration on A^T A.
double operator_norm(const ProjectionOperator& a, unsigned iterations = 20);

TvResult reconstruct_tv(const ProjectionOperator& a, std::span<const float> data,
                        std::vector<float> start, double epsilon, const TvOptions& options,
                        const std::function<void(unsigned, double)>& progress = {});

}  // namespace streamdx

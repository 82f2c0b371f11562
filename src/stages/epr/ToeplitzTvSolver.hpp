#pragma once
// ToeplitzTvSolver: the TV reconstruction of TvReconstructor.hpp (the same constrained problem,
// the same Chambolle-Pock iteration, steps, start and stopping rule) for an operator known only
// through its normal operator G = A*A (FourierProjectionModel's Toeplitz product) and A*p.
//
// Chambolle-Pock's data dual lives in data space, but every iterate of it is A w - beta p for
// an image w and a scalar beta (it starts at 0 and each step is y <- (1 - s)(y + sigma (A ubar
// - p))), so the solver carries (w, beta, G w) instead, and every data-space norm it needs
// comes from ||A x - c p||^2 = <x, G x> - 2 c <x, A*p> + c^2 ||p||^2. One G product an
// iteration: A u_k is tracked as G u_k = (G ubar + G u_(k-1)) / 2, and G w updated linearly.
// The iterates are those of the explicit solver run with A, up to rounding.
//
// The data depend weakly on the image (FourierProjectionModel::prepare: the wrapped tails and
// the baseline are estimated from it), so they are refreshed from the current image at
// iterations 0, 50 and 150; epsilon follows them.
#include <functional>
#include <span>
#include <vector>

#include "stages/epr/FourierProjectionModel.hpp"
#include "stages/epr/TvReconstructor.hpp"

namespace streamdx {

// epsilon from ||p||^2 and the degrees of freedom: epsilon^2 = dof (1 + (e rms)^2), rms^2 =
// ||p||^2 / dof, e the model error (TvReconstructor.hpp's rule, in these terms).
double discrepancy_target(const FourierData& data, double model_error);

// ||A||, by power iteration on G.
double operator_norm(const FourierProjectionModel& a, unsigned iterations = 20);

TvResult reconstruct_tv(const FourierProjectionModel& a, std::span<const float> measured,
                        std::vector<float> start, double model_error, const TvOptions& options,
                        const std::function<void(unsigned, double)>& progress = {});

}  // namespace streamdx

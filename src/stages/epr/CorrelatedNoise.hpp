#pragma once
// Noise in measured EPR projections is not white: the lock-in's time constant correlates
// neighbouring field points (lag-1 autocorrelation about 0.8 on the phalanx data). It is modelled
// as a stationary AR(1) process, n_k = rho n_(k-1) + e_k, with variance sigma^2, and estimated
// from the ends of each projection's sweep, where there is no signal.
//
// whiten_ar1 maps such noise to white noise of variance sigma^2:
//   w_0 = y_0,  w_k = (y_k - rho y_(k-1)) / sqrt(1 - rho^2).
#include <span>

#include "stages/epr/EprGeometry.hpp"

namespace streamdx {

struct Ar1Noise {
  double sigma = 0;         // standard deviation of the noise
  double rho = 0;           // lag-1 autocorrelation
  std::size_t samples = 0;  // baseline samples the estimate used
};

// From the first and last `edge` fraction of every projection, each end's straight-line trend
// removed. Throws when the ends hold too few samples to estimate anything.
Ar1Noise estimate_ar1_noise(const ProjectionSet& set, double edge = 0.08);

void whiten_ar1(std::span<const float> in, std::span<float> out, double rho);
void whiten_ar1_adjoint(std::span<const float> in, std::span<float> out, double rho);

}  // namespace streamdx

#pragma once
// Noise in measured EPR projections is not white: the lock-in's filtering correlates
// neighbouring field points (lag-1 autocorrelation about 0.44 on the phalanx data, and none
// beyond: a moving-average shape that an AR(1) model whitens badly, leaving more noise at some
// frequencies than others). A residual-based choice of lambda then fits noise in the frequencies
// it underestimates, which shows as speckle. So the noise is modelled as a stationary AR(p)
// process, n_k = sum_i a_i n_(k-i) + e_k with p = 8 (enough for a moving average of this
// strength: its AR expansion decays as 0.64^k), fitted by Yule-Walker (Levinson-Durbin) on the
// autocorrelation pooled over the ends of every projection's sweep, where there is no signal.
//
// whiten maps such noise to white noise of unit variance:
//   w_k = (y_k - sum_(i=1..min(k,p)) a_i y_(k-i)) / sigma_e.
#include <span>
#include <vector>

#include "stages/epr/EprGeometry.hpp"

namespace streamdx {

struct NoiseModel {
  double sigma = 0;         // standard deviation of the noise
  double lag1 = 0;          // its lag-1 autocorrelation (reported; the model uses all of `ar`)
  std::vector<double> ar;   // a_1 .. a_p
  double innovation = 1;    // sigma_e: the std of the white part
  std::size_t samples = 0;  // baseline samples the estimate used

  // White noise of standard deviation `sigma`.
  static NoiseModel white(double sigma);
};

// From the first and last `edge` fraction of every projection, each end's straight-line trend
// removed. Throws when the ends hold too few samples to estimate anything.
NoiseModel estimate_noise(const ProjectionSet& set, std::size_t order = 8, double edge = 0.08);

void whiten(std::span<const float> in, std::span<float> out, const NoiseModel& noise);
void whiten_adjoint(std::span<const float> in, std::span<float> out, const NoiseModel& noise);

}  // namespace streamdx

#include "stages/epr/OperatorModelError.hpp"

#include <algorithm>
#include <cmath>

#include "stages/epr/EprSimulator.hpp"

namespace streamdx {

double operator_model_error(const ProjectionOperator& a, const ProjectionSet& geometry,
                            const ReferenceSpectrum& ref) {
  std::vector<float> exact;
  std::vector<float> model(a.data_size());
  if (a.grid().dimensions == 3) {
    const std::vector<Ball> balls = make_balls(a.grid().fov_cm);
    exact = a.prepare_data(analytic_projections(balls, geometry, ref, a.b0()));
    a.forward(rasterise(balls, a.grid()), model);
  } else {
    const Phantom phantom = make_phantom("ellipses", a.grid().fov_cm);
    exact = a.prepare_data(analytic_projections(phantom, geometry, ref, a.b0()));
    a.forward(rasterise(phantom, a.grid()), model);
  }
  double err = 0;
  double norm = 0;
  for (std::size_t i = 0; i < model.size(); ++i) {
    err += std::pow(static_cast<double>(model[i]) - exact[i], 2);
    norm += std::pow(static_cast<double>(exact[i]), 2);
  }
  return norm > 0 ? std::sqrt(err / norm) : 0.0;
}

double operator_model_error(const FourierProjectionModel& a, const ProjectionSet& geometry,
                            const ReferenceSpectrum& ref, double b0) {
  const Phantom phantom = make_phantom("ellipses", a.grid().fov_cm);
  const std::vector<float> u = rasterise(phantom, a.grid());
  const FourierData data = a.prepare(analytic_projections(phantom, geometry, ref, b0), u);
  std::vector<float> gu(u.size());
  a.gram(u, gu);
  return data.norm2 > 0 ? residual_norm(u, gu, 1.0, data) / std::sqrt(data.norm2) : 0.0;
}

}  // namespace streamdx

#pragma once
// How far the discretised operator A is from the physics it models, on this very geometry: A
// applied to a rasterised test object against that object's closed-form projections (the
// simulator's), both baseline-removed and whitened, as a fraction of the projections' norm.
// The pixel model's error grows as pixels grow against the line width over the gradient, from
// a fraction of a percent to several; the TV solver's residual target takes it as a floor.
//
// The test object is the simulator's "ellipses" phantom: overlapping smooth-edged shapes of
// several sizes, neither of the phantoms the quality figures are measured on.
#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/FourierProjectionModel.hpp"
#include "stages/epr/ProjectionOperator.hpp"

namespace streamdx {

double operator_model_error(const ProjectionOperator& a, const ProjectionSet& geometry,
                            const ReferenceSpectrum& ref);
// The same for the Fourier-domain model, from its normal operator: ||A u - p||^2 =
// <u, A*A u> - 2 <u, A*p> + ||p||^2, the data prepared against the rasterised object itself.
double operator_model_error(const FourierProjectionModel& a, const ProjectionSet& geometry,
                            const ReferenceSpectrum& ref, double b0);

}  // namespace streamdx

#include "stages/epr/EprComparison.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "core/Json.hpp"
#include "stages/epr/FourierReconstructor.hpp"
#include "stages/epr/ImageQuality.hpp"

namespace streamdx {

EprComparison compare_with_truth(const ProjectionSet& set, const ReferenceSpectrum& ref,
                                 const std::vector<float>& truth, double fov_cm, unsigned threads) {
  EprComparison c;
  c.n = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(truth.size()))));
  if (c.n * c.n != truth.size()) throw std::runtime_error("the truth is not a square image");
  c.fov_cm = fov_cm;
  threads = resolve_threads(threads);
  const FourierReconstructor fourier(set, ref, reference_centre(ref), ImageGrid{c.n, fov_cm},
                                     threads);
  // Oracle: the apodization width (cycles/cm) that minimises the error against the truth, on a
  // log grid from 1 to 60, separately for the raw and the clipped image.
  c.fourier_nrmse = c.clipped_nrmse = 1e30;
  for (int i = 0; i <= 40; ++i) {
    const double w = std::pow(60.0, i / 40.0);
    auto img = fourier.reconstruct(set, w);
    const double e = nrmse(img, truth);
    const double ec = nrmse(clipped_at_zero(img), truth);
    if (e < c.fourier_nrmse) {
      c.fourier_nrmse = e;
      c.fourier_width_per_cm = w;
      c.fourier_negative_mass = negative_mass_fraction(img);
      c.fourier_image = std::move(img);
    }
    if (ec < c.clipped_nrmse) {
      c.clipped_nrmse = ec;
      c.clipped_width_per_cm = w;
    }
  }
  EprReconstructionOptions o;
  o.fov_cm = fov_cm;
  o.size = c.n;
  o.threads = threads;
  c.tv = reconstruct_epr(set, ref, o);
  c.tv_nrmse = nrmse(c.tv.image, truth);
  return c;
}

std::string comparison_json(const EprComparison& c, const std::string& projections) {
  return fmt::format(
      "{{\"projections\": {}, \"fourier_oracle\": {{\"nrmse\": {}, \"width_per_cm\": {}, "
      "\"negative_mass_fraction\": {}}}, "
      "\"fourier_oracle_clipped\": {{\"nrmse\": {}, \"width_per_cm\": {}}}, "
      "\"tv\": {{\"nrmse\": {}, \"lambda\": {}, \"iterations\": {}, \"negative_mass_fraction\": "
      "{}, \"residual_over_noise\": {}, "
      "\"ms\": {}}}, \"tv_over_oracle\": {}, \"tv_over_clipped_oracle\": {}}}\n",
      json::quote(projections), json::number(c.fourier_nrmse), json::number(c.fourier_width_per_cm),
      json::number(c.fourier_negative_mass), json::number(c.clipped_nrmse),
      json::number(c.clipped_width_per_cm), json::number(c.tv_nrmse), json::number(c.tv.lambda),
      c.tv.iterations, json::number(c.tv.negative_mass), json::number(c.tv.residual_over_noise),
      json::number(c.tv.timings_ms.at("total")), json::number(c.tv_nrmse / c.fourier_nrmse),
      json::number(c.tv_nrmse / c.clipped_nrmse));
}

}  // namespace streamdx

#include "stages/epr/EprComparison.hpp"

#include <cmath>
#include <stdexcept>

#include "core/Json.hpp"
#include "stages/epr/FourierReconstructor.hpp"
#include "stages/epr/ImageQuality.hpp"

namespace streamdx {

namespace {

// 3D: TV only (there is no Fourier baseline in 3D); SSIM is the mean over the z slices.
EprComparison compare_volume(const ProjectionSet& set, const ReferenceSpectrum& ref,
                             const std::vector<float>& truth, EprComparison c, unsigned threads) {
  c.n = static_cast<std::size_t>(std::lround(std::cbrt(static_cast<double>(truth.size()))));
  if (c.n * c.n * c.n != truth.size()) throw std::runtime_error("the truth is not a cubic volume");
  EprReconstructionOptions o;
  o.fov_cm = c.fov_cm;
  o.size_3d = c.n;
  o.threads = threads;
  c.tv = reconstruct_epr(set, ref, o);
  c.tv_nrmse = nrmse(c.tv.image, truth);
  const std::size_t plane = c.n * c.n;
  double sum = 0;
  for (std::size_t k = 0; k < c.n; ++k) {
    sum += ssim(std::span<const float>(c.tv.image).subspan(k * plane, plane),
                std::span<const float>(truth).subspan(k * plane, plane), c.n);
  }
  c.tv_ssim = sum / static_cast<double>(c.n);
  c.dimensions = 3;
  return c;
}

}  // namespace

EprComparison compare_with_truth(const ProjectionSet& set, const ReferenceSpectrum& ref,
                                 const std::vector<float>& truth, double fov_cm, unsigned threads,
                                 const std::string& tv_operator) {
  EprComparison c;
  c.fov_cm = fov_cm;
  c.projections = set.projections();
  threads = resolve_threads(threads);
  if (set.dimensions() == 3) return compare_volume(set, ref, truth, c, threads);
  c.n = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(truth.size()))));
  if (c.n * c.n != truth.size()) throw std::runtime_error("the truth is not a square image");
  const double b0 = reference_centre(ref);
  check_reference_fits(set, ref, b0);
  const FourierReconstructor fourier(set, ref, b0, ImageGrid{c.n, fov_cm}, threads);
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
  o.tv_operator = tv_operator;
  o.size = c.n;
  o.threads = threads;
  c.tv = reconstruct_epr(set, ref, o);
  c.tv_nrmse = nrmse(c.tv.image, truth);
  c.tv_ssim = ssim(c.tv.image, truth, c.n);
  c.fourier_ssim = ssim(c.fourier_image, truth, c.n);
  return c;
}

std::string comparison_json(const EprComparison& c, const std::string& projections) {
  if (c.dimensions == 3) {
    return json::text({{"projections", projections},
                       {"projections_used", c.projections},
                       {"dimensions", 3},
                       {"tv",
                        {{"nrmse", c.tv_nrmse},
                         {"ssim_mean_over_z_slices", c.tv_ssim},
                         {"lambda", c.tv.lambda},
                         {"iterations", c.tv.iterations},
                         {"negative_mass_fraction", c.tv.negative_mass},
                         {"residual_over_noise", c.tv.residual_over_noise},
                         {"ms", c.tv.timings_ms.at("total")}}}});
  }
  const json::Json j = {{"projections", projections},
                        {"projections_used", c.projections},
                        {"fourier_oracle",
                         {{"nrmse", c.fourier_nrmse},
                          {"ssim", c.fourier_ssim},
                          {"width_per_cm", c.fourier_width_per_cm},
                          {"negative_mass_fraction", c.fourier_negative_mass}}},
                        {"fourier_oracle_clipped",
                         {{"nrmse", c.clipped_nrmse}, {"width_per_cm", c.clipped_width_per_cm}}},
                        {"tv",
                         {{"nrmse", c.tv_nrmse},
                          {"ssim", c.tv_ssim},
                          {"lambda", c.tv.lambda},
                          {"iterations", c.tv.iterations},
                          {"negative_mass_fraction", c.tv.negative_mass},
                          {"residual_over_noise", c.tv.residual_over_noise},
                          {"ms", c.tv.timings_ms.at("total")}}},
                        {"tv_over_oracle", c.tv_nrmse / c.fourier_nrmse},
                        {"tv_over_clipped_oracle", c.tv_nrmse / c.clipped_nrmse}};
  return json::text(j);
}

}  // namespace streamdx

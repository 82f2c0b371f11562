#include "stages/epr/FourierReconstructor.hpp"

#include <cmath>
#include <map>

#include "core/ParallelFor.hpp"
#include "stages/epr/JosephProjector.hpp"

namespace streamdx {

namespace {

ReferenceSpectrum absorption_of(const ReferenceSpectrum& ref) {
  ReferenceSpectrum a = ref;
  a.h = integrate_to_absorption(ref.h, ref.field_step());
  return a;
}

}  // namespace

FourierReconstructor::FourierReconstructor(const ProjectionSet& geometry,
                                           const ReferenceSpectrum& ref, double b0, ImageGrid grid,
                                           unsigned threads)
    : grid_(grid),
      field0_(geometry.field.front()),
      samples_(geometry.samples()),
      field_step_(geometry.field_step()),
      b0_(b0),
      threads_(std::max(1U, threads)),
      bins_(JosephProjector::bins_for(grid, grid.pixel_cm())),
      bin_cm_(grid.pixel_cm()),
      absorption_(
          geometry.samples(), geometry.field_step(),
          [a = absorption_of(ref), b0](double offset) { return reference_at(a, b0 + offset); }),
      fbp_(grid, geometry.angles(), bins_, bin_cm_) {
  double mu_max = 0;
  for (std::size_t k = 0; k < geometry.projections(); ++k) {
    mu_.push_back(geometry.strength(k));
    mu_max = std::max(mu_max, mu_.back());
  }
  default_width_ = mu_max / (3 * peak_to_peak_width(ref));
}

std::vector<float> FourierReconstructor::apodization(double mu, double w_per_cm) const {
  std::vector<float> f(absorption_.frequencies());
  for (std::size_t j = 0; j < f.size(); ++j) {
    const double x = absorption_.frequency(j) * mu / w_per_cm;  // cycles/G -> cycles/cm
    f[j] = static_cast<float>(std::exp(-0.5 * x * x));
  }
  return f;
}

void FourierReconstructor::deconvolve(std::span<const float> projection, double mu,
                                      std::span<const float> filter, RealFft::Buffers& work,
                                      std::span<float> row) const {
  const std::size_t m = samples_;
  const auto a = integrate_to_absorption(projection, field_step_);
  std::vector<float> q(m);
  absorption_.deconvolve(a, q, filter, work);
  resample(q, mu, row);
}

void FourierReconstructor::resample(std::span<const float> q, double mu,
                                    std::span<float> row) const {
  const std::size_t m = samples_;
  const double centre = static_cast<double>(bins_ - 1) / 2;
  for (std::size_t b = 0; b < bins_; ++b) {
    const double s = (static_cast<double>(b) - centre) * bin_cm_;
    const double t = (b0_ - mu * s - field0_) / field_step_;
    float v = 0.0F;
    if (t >= 0 && t < static_cast<double>(m - 1)) {
      const auto l = static_cast<std::size_t>(t);
      const auto f = static_cast<float>(t - static_cast<double>(l));
      v = q[l] + f * (q[l + 1] - q[l]);
    }
    row[b] = static_cast<float>(mu) * v;
  }
}

void FourierReconstructor::deconvolve(std::span<const float> projection, double mu_g_per_cm,
                                      double w_per_cm, std::span<float> row) const {
  auto work = absorption_.buffers();
  deconvolve(projection, mu_g_per_cm, apodization(mu_g_per_cm, w_per_cm), work, row);
}

std::vector<float> FourierReconstructor::reconstruct(const ProjectionSet& data,
                                                     double w_per_cm) const {
  std::vector<float> sino(data.projections() * bins_);
  constexpr std::size_t kChunks = 8;
  // The apodization for each distinct gradient strength (usually one), computed once.
  std::map<double, std::vector<float>> filters;
  for (const double mu : mu_) {
    if (!filters.contains(mu)) filters[mu] = apodization(mu, w_per_cm);
  }
  parallel_for(kChunks, threads_, [&](std::size_t chunk) {
    auto work = absorption_.buffers();
    for (std::size_t k = chunk; k < data.projections(); k += kChunks) {
      deconvolve(data.projection(k), mu_[k], filters.at(mu_[k]), work,
                 {sino.data() + k * bins_, bins_});
    }
  });
  std::vector<float> image(grid_.n * grid_.n);
  fbp_.reconstruct(sino, image, threads_);
  return image;
}

}  // namespace streamdx

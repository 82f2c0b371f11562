#include "stages/epr/ProjectionOperator.hpp"

#include <algorithm>
#include <cmath>

#include "core/ParallelFor.hpp"
#include "stages/epr/CorrelatedNoise.hpp"

namespace streamdx {

namespace {

std::vector<double> angles_of(const ProjectionSet& set) {
  std::vector<double> out;
  for (const auto& g : set.gradients) out.push_back(std::atan2(g[1], g[0]));
  return out;
}

}  // namespace

ProjectionOperator::ProjectionOperator(const ProjectionSet& geometry, const ReferenceSpectrum& ref,
                                       double b0, ImageGrid grid, NoiseModel noise,
                                       unsigned threads)
    : grid_(grid),
      projections_(geometry.projections()),
      samples_(geometry.samples()),
      b0_(b0),
      noise_(std::move(noise)),
      threads_(std::max(1U, threads)),
      radon_(grid, angles_of(geometry), grid.pixel_cm()),
      conv_(geometry.samples(), geometry.field_step(),
            [&](double offset) { return reference_at(ref, b0 + offset); }) {
  taps_.resize(projections_ * samples_);
  for (std::size_t k = 0; k < projections_; ++k) {
    const double mu = std::hypot(geometry.gradients[k][0], geometry.gradients[k][1]);
    inverse_mu_.push_back(static_cast<float>(1.0 / mu));
    for (std::size_t l = 0; l < samples_; ++l) {
      const double s = (b0_ - geometry.field[l]) / mu;
      const double t = s / radon_.bin_cm() + radon_.centre();
      Tap tap{0, -1.0F};
      if (t >= 0 && t < static_cast<double>(radon_.bins() - 1)) {
        const auto b = static_cast<std::uint32_t>(t);
        tap = {b, static_cast<float>(t - b)};
      }
      taps_[k * samples_ + l] = tap;
    }
  }
}

namespace {

// Removes the least-squares straight line: an orthogonal projection, so it is its own adjoint.
void remove_baseline(std::span<float> p) {
  const std::size_t n = p.size();
  const double centre = (static_cast<double>(n) - 1) / 2;
  double mean = 0;
  double slope = 0;
  double spread = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) - centre;
    mean += p[i];
    slope += t * p[i];
    spread += t * t;
  }
  mean /= static_cast<double>(n);
  slope /= spread;
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = static_cast<float>(p[i] - mean - slope * (static_cast<double>(i) - centre));
  }
}

}  // namespace

void ProjectionOperator::finish(std::span<float> p, std::span<float> scratch) const {
  remove_baseline(p);
  std::copy(p.begin(), p.end(), scratch.begin());
  whiten(scratch, p, noise_);
}

void ProjectionOperator::finish_adjoint(std::span<const float> w, std::span<float> p,
                                        std::span<float> scratch) const {
  whiten_adjoint(w, scratch, noise_);
  remove_baseline(scratch);
  std::copy(scratch.begin(), scratch.end(), p.begin());
}

void ProjectionOperator::forward(std::span<const float> image, std::span<float> data) const {
  std::vector<float> sino(projections_ * radon_.bins());
  radon_.forward(image, sino, threads_);
  parallel_for(kChunks, threads_, [&](std::size_t chunk) {
    auto work = conv_.buffers();
    std::vector<float> q(samples_);
    std::vector<float> scratch(samples_);
    for (std::size_t k = chunk; k < projections_; k += kChunks) {
      const float* r = sino.data() + k * radon_.bins();
      const Tap* taps = taps_.data() + k * samples_;
      for (std::size_t l = 0; l < samples_; ++l) {
        const Tap t = taps[l];
        q[l] = t.frac < 0 ? 0.0F : inverse_mu_[k] * (r[t.bin] + t.frac * (r[t.bin + 1] - r[t.bin]));
      }
      const std::span<float> p = data.subspan(k * samples_, samples_);
      conv_.apply(q, p, work);
      finish(p, scratch);
    }
  });
}

void ProjectionOperator::adjoint(std::span<const float> data, std::span<float> image) const {
  std::vector<float> sino(projections_ * radon_.bins());
  parallel_for(kChunks, threads_, [&](std::size_t chunk) {
    auto work = conv_.buffers();
    std::vector<float> p(samples_);
    std::vector<float> q(samples_);
    std::vector<float> scratch(samples_);
    for (std::size_t k = chunk; k < projections_; k += kChunks) {
      finish_adjoint(data.subspan(k * samples_, samples_), p, scratch);
      conv_.adjoint(p, q, work);
      float* r = sino.data() + k * radon_.bins();
      std::fill_n(r, radon_.bins(), 0.0F);
      const Tap* taps = taps_.data() + k * samples_;
      for (std::size_t l = 0; l < samples_; ++l) {
        const Tap t = taps[l];
        if (t.frac < 0) continue;
        const float v = inverse_mu_[k] * q[l];
        r[t.bin] += v - t.frac * v;
        r[t.bin + 1] += t.frac * v;
      }
    }
  });
  radon_.adjoint(sino, image, threads_);
}

std::vector<float> ProjectionOperator::prepare_data(std::span<const float> measured) const {
  std::vector<float> out(measured.begin(), measured.end());
  std::vector<float> scratch(samples_);
  for (std::size_t k = 0; k < projections_; ++k)
    finish(std::span<float>(out).subspan(k * samples_, samples_), scratch);
  return out;
}

}  // namespace streamdx

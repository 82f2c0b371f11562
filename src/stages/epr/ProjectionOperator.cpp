#include "stages/epr/ProjectionOperator.hpp"

#include <algorithm>
#include <cmath>

#include "core/ParallelFor.hpp"
#include "stages/epr/CorrelatedNoise.hpp"

namespace streamdx {

ProjectionOperator::ProjectionOperator(const ProjectionSet& geometry, const ReferenceSpectrum& ref,
                                       double b0, ImageGrid grid, NoiseModel noise,
                                       unsigned threads)
    : grid_(grid),
      projections_(geometry.projections()),
      samples_(geometry.samples()),
      b0_(b0),
      noise_(std::move(noise)),
      threads_(std::max(1U, threads)),
      radon_(make_projector(geometry, grid)),
      conv_(geometry.samples(), geometry.field_step(),
            [&](double offset) { return reference_at(ref, b0 + offset); }) {
  taps_.resize(projections_ * samples_);
  for (std::size_t k = 0; k < projections_; ++k) {
    const double mu = geometry.strength(k);
    inverse_mu_.push_back(static_cast<float>(1.0 / mu));
    for (std::size_t l = 0; l < samples_; ++l) {
      const double s = (b0_ - geometry.field[l]) / mu;
      const double t = s / radon_->bin_cm() + radon_->centre();
      Tap tap{0, -1.0F};
      if (t >= 0 && t < static_cast<double>(radon_->bins() - 1)) {
        const auto b = static_cast<std::uint32_t>(t);
        tap = {b, static_cast<float>(t - b)};
      }
      taps_[k * samples_ + l] = tap;
    }
  }
}

void ProjectionOperator::finish(std::span<float> p, std::span<float> scratch) const {
  remove_straight_line(p);
  std::copy(p.begin(), p.end(), scratch.begin());
  whiten(scratch, p, noise_);
}

void ProjectionOperator::finish_adjoint(std::span<const float> w, std::span<float> p,
                                        std::span<float> scratch) const {
  whiten_adjoint(w, scratch, noise_);
  remove_straight_line(scratch);
  std::copy(scratch.begin(), scratch.end(), p.begin());
}

void ProjectionOperator::forward(std::span<const float> image, std::span<float> data) const {
  std::vector<float> sino(projections_ * radon_->bins());
  radon_->forward(image, sino, threads_);
  parallel_for(kChunks, threads_, [&](std::size_t chunk) {
    auto work = conv_.buffers();
    std::vector<float> q(samples_);
    std::vector<float> scratch(samples_);
    for (std::size_t k = chunk; k < projections_; k += kChunks) {
      const float* r = sino.data() + k * radon_->bins();
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
  std::vector<float> sino(projections_ * radon_->bins());
  parallel_for(kChunks, threads_, [&](std::size_t chunk) {
    auto work = conv_.buffers();
    std::vector<float> p(samples_);
    std::vector<float> q(samples_);
    std::vector<float> scratch(samples_);
    for (std::size_t k = chunk; k < projections_; k += kChunks) {
      finish_adjoint(data.subspan(k * samples_, samples_), p, scratch);
      conv_.adjoint(p, q, work);
      float* r = sino.data() + k * radon_->bins();
      std::fill_n(r, radon_->bins(), 0.0F);
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
  radon_->adjoint(sino, image, threads_);
}

std::vector<float> ProjectionOperator::prepare_data(std::span<const float> measured) const {
  std::vector<float> out(measured.begin(), measured.end());
  std::vector<float> scratch(samples_);
  for (std::size_t k = 0; k < projections_; ++k)
    finish(std::span<float>(out).subspan(k * samples_, samples_), scratch);
  return out;
}

}  // namespace streamdx

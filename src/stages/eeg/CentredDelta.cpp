#include "stages/eeg/CentredDelta.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/SimdClones.hpp"

namespace streamdx {

CentredDelta::CentredDelta(std::size_t reach, std::size_t width) : reach_(reach), width_(width) {
  if (reach == 0) throw std::invalid_argument("CentredDelta: the reach must be positive");
  double sum = 0;
  for (std::size_t k = 1; k <= reach; ++k) sum += static_cast<double>(k * k);
  denominator_ = 2 * sum;
  ring_.resize((2 * reach + 1) * width);
  delta_.resize(width);
}

double* CentredDelta::slot(std::size_t j) noexcept {
  return ring_.data() + (j % (2 * reach_ + 1)) * width_;
}

std::span<double> CentredDelta::next_row() noexcept {
  // Before the first row, rows -reach .. -1 come first: row 0 is stored at slot `reach`.
  return {slot(pushed_ == 0 ? reach_ : stored_), width_};
}

// Defined before its callers: clang accepts a multiversioned (SIMD clones) function only if
// nothing in this file used it first.
STREAMDX_SIMD_CLONES
void CentredDelta::compute() {
  // The newest stored row is x(j + reach); the centre is `reach` rows back.
  const std::size_t centre = stored_ - 1 - reach_;
  centre_ = {slot(centre), width_};
  std::fill(delta_.begin(), delta_.end(), 0.0);
  double* d = delta_.data();
  for (std::size_t k = 1; k <= reach_; ++k) {
    const double* ahead = slot(centre + k);
    const double* behind = slot(centre - k);
    const auto weight = static_cast<double>(k);
    for (std::size_t i = 0; i < width_; ++i) d[i] += weight * (ahead[i] - behind[i]);
  }
  const double scale = 1.0 / denominator_;  // a multiply: division would cost more than the rest
  for (std::size_t i = 0; i < width_; ++i) d[i] *= scale;
  ++emitted_;
}

bool CentredDelta::push() {
  if (pushed_ == 0) {
    const double* first = slot(reach_);
    for (std::size_t k = 0; k < reach_; ++k) std::copy_n(first, width_, slot(k));
    stored_ = reach_;
  }
  ++stored_;
  ++pushed_;
  if (stored_ < 2 * reach_ + 1) return false;  // the window is not full yet
  compute();
  return true;
}

bool CentredDelta::drain() {
  while (emitted_ < pushed_) {
    std::copy_n(slot(stored_ - 1), width_, slot(stored_));  // the last row, as the future
    ++stored_;
    if (stored_ < 2 * reach_ + 1) continue;  // fewer rows than the reach: still filling
    compute();
    return true;
  }
  return false;
}

}  // namespace streamdx

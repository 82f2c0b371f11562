#include "stages/epr/RealFft.hpp"

#include <fftw3.h>

#include <mutex>
#include <new>
#include <utility>

namespace streamdx {

std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

struct RealFft::Plans {
  fftwf_plan forward = nullptr;
  fftwf_plan inverse = nullptr;
};

RealFft::Buffers::Buffers(Buffers&& o) noexcept
    : real(std::exchange(o.real, nullptr)), spec(std::exchange(o.spec, nullptr)) {}

RealFft::Buffers& RealFft::Buffers::operator=(Buffers&& o) noexcept {
  std::swap(real, o.real);
  std::swap(spec, o.spec);
  return *this;
}

RealFft::Buffers::~Buffers() {
  fftwf_free(real);
  fftwf_free(spec);
}

RealFft::RealFft(std::size_t n) : n_(n), plans_(std::make_unique<Plans>()) {
  Buffers b = buffers();
  const std::lock_guard lock(fftw_planner_mutex());
  const int len = static_cast<int>(n);
  plans_->forward =
      fftwf_plan_dft_r2c_1d(len, b.real, reinterpret_cast<fftwf_complex*>(b.spec), FFTW_ESTIMATE);
  plans_->inverse =
      fftwf_plan_dft_c2r_1d(len, reinterpret_cast<fftwf_complex*>(b.spec), b.real, FFTW_ESTIMATE);
  if (plans_->forward == nullptr || plans_->inverse == nullptr) throw std::bad_alloc();
}

RealFft::~RealFft() {
  const std::lock_guard lock(fftw_planner_mutex());
  fftwf_destroy_plan(plans_->forward);
  fftwf_destroy_plan(plans_->inverse);
}

RealFft::Buffers RealFft::buffers() const {
  Buffers b;
  b.real = fftwf_alloc_real(n_);
  b.spec = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(bins()));
  if (b.real == nullptr || b.spec == nullptr) throw std::bad_alloc();
  return b;
}

void RealFft::forward(Buffers& b) const {
  fftwf_execute_dft_r2c(plans_->forward, b.real, reinterpret_cast<fftwf_complex*>(b.spec));
}

void RealFft::inverse(Buffers& b) const {
  fftwf_execute_dft_c2r(plans_->inverse, reinterpret_cast<fftwf_complex*>(b.spec), b.real);
}

std::size_t RealFft::good_size(std::size_t n) {
  for (std::size_t m = n;; ++m) {
    std::size_t r = m;
    for (const std::size_t p : {2U, 3U, 5U}) {
      while (r % p == 0) r /= p;
    }
    if (r == 1) return m;
  }
}

}  // namespace streamdx

#pragma once
// RealFft: one length's real-to-complex and complex-to-real FFTW (float) plans, made once and
// shared by every thread. Each thread brings its own Buffers (FFTW-aligned), since a plan may
// run on many threads at once but only on arrays aligned like the ones it was planned with.
// Plans use FFTW_ESTIMATE: the same plan every run, so results are bit-identical run to run.
#include <complex>
#include <cstddef>
#include <memory>
#include <mutex>

namespace streamdx {

// FFTW's planner is not thread-safe (execution is): every plan is made under this lock.
std::mutex& fftw_planner_mutex();

class RealFft {
 public:
  struct Buffers {
    float* real = nullptr;                // size() values
    std::complex<float>* spec = nullptr;  // bins() values
    Buffers() = default;
    Buffers(const Buffers&) = delete;
    Buffers& operator=(const Buffers&) = delete;
    Buffers(Buffers&& o) noexcept;
    Buffers& operator=(Buffers&& o) noexcept;
    ~Buffers();
  };

  explicit RealFft(std::size_t n);
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  [[nodiscard]] std::size_t bins() const noexcept { return n_ / 2 + 1; }
  [[nodiscard]] Buffers buffers() const;

  void forward(Buffers& b) const;  // b.real -> b.spec
  void inverse(Buffers& b) const;  // b.spec -> b.real, unnormalised (times size())

  // The smallest length >= n whose only prime factors are 2, 3 and 5 (fast for FFTW).
  static std::size_t good_size(std::size_t n);

 private:
  struct Plans;
  std::size_t n_;
  std::unique_ptr<Plans> plans_;
};

}  // namespace streamdx

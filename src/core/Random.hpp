#pragma once
// Deterministic random numbers: the same seed gives the same sequence on every compiler and
// platform (std::normal_distribution does not promise that, so it is not used anywhere).
#include <cmath>
#include <cstdint>
#include <numbers>

namespace streamdx {

// splitmix64: a tiny, well-mixed generator; also used to derive independent per-channel seeds.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) noexcept : state_(seed) {}

  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in (0, 1]: never 0, so log() is safe.
  double uniform() noexcept {
    return (static_cast<double>(next() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
  }
  // Standard normal by Box-Muller, one value per call (the pair's sine half is discarded so the
  // sequence does not depend on how calls interleave).
  double normal() noexcept {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::uint64_t state_;
};

}  // namespace streamdx

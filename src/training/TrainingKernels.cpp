#include "training/TrainingKernels.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace streamdx {

namespace {

// Sets `name` unless the user already has; returns its value either way. Called on the main
// thread before LibTorch (and its threads) exist, so the environment is not being read
// concurrently.
std::string pin(const char* name, const char* value) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): see above
  if (const char* set = std::getenv(name); set != nullptr && *set != '\0') return set;
  ::setenv(name, value, 0);  // NOLINT(concurrency-mt-unsafe): see above
  return value;
}

bool cpu_has_avx2_and_fma() {
#if defined(__x86_64__) && defined(__GNUC__)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

}  // namespace

std::string pin_training_cpu_kernels() {
  if (!cpu_has_avx2_and_fma()) {
    return "as the CPU chose (no AVX2: not pinned, weights may differ from an AVX2 machine's)";
  }
  const std::string blas = pin("OPENBLAS_CORETYPE", "Haswell");
  const std::string aten = pin("ATEN_CPU_CAPABILITY", "avx2");
  return fmt::format("OpenBLAS {}, ATen {}", blas, aten);
}

}  // namespace streamdx

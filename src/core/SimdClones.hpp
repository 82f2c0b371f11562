#pragma once
// STREAMDX_SIMD_CLONES: builds a hot loop for AVX2 as well as the baseline, chosen at load time
// (GCC/Clang target_clones, x86-64 only). AVX2 without FMA: both clones do the same float
// operations in the same order, so results do not depend on the CPU.
#if defined(__x86_64__) && defined(__GNUC__)
#define STREAMDX_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define STREAMDX_SIMD_CLONES
#endif

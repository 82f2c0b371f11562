#pragma once
// STREAMDX_SIMD_CLONES: builds a hot loop for AVX2 as well as the baseline, chosen at load time
// (GCC/Clang target_clones, x86-64 only). STREAMDX_WIDE_SIMD_CLONES adds an AVX-512 build, for
// the loops where it measured faster (the native LSTM's; LFCC's double-precision loops were
// not). The build never contracts a multiply and an add into a fused one
// (cmake/Arithmetic.cmake), so every clone does the same float operations in the same order and
// results do not depend on the CPU.
//
// Not under ThreadSanitizer: the clones' resolvers run while the program is being relocated,
// before TSan's runtime exists, and crash there (scripts/sanitize.sh thread).
#if defined(__SANITIZE_THREAD__)
#define STREAMDX_NO_SIMD_CLONES 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define STREAMDX_NO_SIMD_CLONES 1
#endif
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(STREAMDX_NO_SIMD_CLONES)
#define STREAMDX_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#define STREAMDX_WIDE_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define STREAMDX_SIMD_CLONES
#define STREAMDX_WIDE_SIMD_CLONES
#endif

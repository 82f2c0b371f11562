# Floating-point policy: results must not depend on the CPU. Hot loops are built for AVX-512,
# AVX2 and the baseline (src/core/SimdClones.hpp) and chosen at run time; where a clone's
# instruction set has fused multiply-add, GCC would otherwise contract a * b + c into one
# rounding instead of two, and that clone's results would differ in the last bits.
add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-ffp-contract=off>)

#pragma once
// Pins the CPU kernels that OpenBLAS and LibTorch choose when they load, for `streamdx train`.
//
// Why: both pick their kernels by CPU model, and kernels for different vector widths add in
// different orders. The committed model's weights came out bit-identical run to run on one
// machine but differed in their last bits on an AVX-512 machine (same losses to six digits, same
// test metrics). With OpenBLAS's Haswell kernels and ATen's AVX2 ones, every AVX2 CPU trains the
// same weights. Call before LibTorch is loaded (torch_backend()); a variable the user has set
// is left alone.
#include <string>

namespace streamdx {

// Returns what was chosen, for the model card: e.g. "OpenBLAS Haswell, ATen avx2".
std::string pin_training_cpu_kernels();

}  // namespace streamdx

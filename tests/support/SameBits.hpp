#pragma once
// Bit-for-bit equality of float arrays, for determinism checks (== would also call -0 and +0
// equal, and never a NaN equal to itself).
#include <bit>
#include <cstdint>
#include <span>

namespace streamdx::testing {

inline bool same_bits(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::bit_cast<std::uint32_t>(a[i]) != std::bit_cast<std::uint32_t>(b[i])) return false;
  }
  return true;
}

}  // namespace streamdx::testing

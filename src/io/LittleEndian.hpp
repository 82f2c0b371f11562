#pragma once
// Little-endian scalars in byte buffers, for the wire formats (WireFormat.hpp, the decoder
// service's protocol). The formats are little-endian and so is every host built for; the
// static_assert makes a big-endian port add swapping here, in one place.
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace streamdx::le {

static_assert(std::endian::native == std::endian::little,
              "the wire formats are little-endian; add byte swapping for this host");

// Appends `v`'s bytes to `out`.
template <class T>
void put(std::vector<std::uint8_t>& out, T v) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}

// The T at `offset`; the caller has checked that the bytes are there.
template <class T>
T get(std::span<const std::uint8_t> bytes, std::size_t offset) {
  T v;
  std::memcpy(&v, bytes.data() + offset, sizeof(T));
  return v;
}

// Appends the floats' bytes to `out`.
inline void put_floats(std::vector<std::uint8_t>& out, std::span<const float> values) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(values.data());
  out.insert(out.end(), p, p + sizeof(float) * values.size());
}

// The `n` floats at `offset`; the caller has checked that the bytes are there.
inline std::vector<float> get_floats(std::span<const std::uint8_t> bytes, std::size_t offset,
                                     std::size_t n) {
  std::vector<float> v(n);
  if (n > 0) std::memcpy(v.data(), bytes.data() + offset, n * sizeof(float));
  return v;
}

}  // namespace streamdx::le

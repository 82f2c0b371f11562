#pragma once
// The 16-byte prefix every wire message starts with (docs/PROTOCOL.md): magic, version, kind,
// body length, reserved. Shared by the EEG frame messages and the EPR acquisition messages.
#include <cstdint>
#include <vector>

#include "io/LittleEndian.hpp"

namespace streamdx::wire::detail {

inline void put_prefix(std::vector<std::uint8_t>& out, std::uint32_t magic, std::uint16_t version,
                       std::uint16_t kind, std::size_t body_bytes) {
  le::put<std::uint32_t>(out, magic);
  le::put<std::uint16_t>(out, version);
  le::put<std::uint16_t>(out, kind);
  le::put<std::uint32_t>(out, static_cast<std::uint32_t>(body_bytes));
  le::put<std::uint32_t>(out, 0);
}

}  // namespace streamdx::wire::detail

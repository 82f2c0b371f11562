#pragma once
// A synthetic raw sample stream (docs/ACQUISITION.md) for tests: 19 referential electrodes at
// 256 Hz (TCP 22 after the montage), float32, a deterministic mix of sines and noise.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace streamdx::testing {

inline std::filesystem::path write_raw_recording(const std::filesystem::path& dir,
                                                 int seconds = 12) {
  std::filesystem::path raw = dir / "rec.raw";
  std::ofstream out(raw, std::ios::binary);
  const std::vector<std::string> electrodes{"FP1", "FP2", "F3", "F4", "C3", "C4", "P3",
                                            "P4",  "O1",  "O2", "F7", "F8", "T3", "T4",
                                            "T5",  "T6",  "A1", "A2", "CZ"};
  out << "streamdx-raw 1; rate=256; type=float32; channels=";
  for (std::size_t i = 0; i < electrodes.size(); ++i) out << (i ? "," : "") << electrodes[i];
  out << "\n";
  std::uint64_t state = 12345;
  for (int s = 0; s < 256 * seconds; ++s) {
    for (std::size_t c = 0; c < electrodes.size(); ++c) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const double noise = static_cast<double>(state >> 40) / 16777216.0 - 0.5;
      const auto v =
          static_cast<float>(40.0 * std::sin(0.05 * s * static_cast<double>(c + 1)) + 30.0 * noise);
      out.write(reinterpret_cast<const char*>(&v), sizeof v);
    }
  }
  return raw;
}

}  // namespace streamdx::testing

// Replay driver for fuzz targets in builds without libFuzzer. Feeds every seed, then a fixed
// number of deterministic mutations of each (bit flips, byte changes, truncations, insertions,
// duplications), so every ctest run exercises the parser on hostile input reproducibly.
//   replay [ITERATIONS] [--dump-seeds DIR]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "FuzzTarget.hpp"
#include "core/Random.hpp"

namespace {

std::vector<std::uint8_t> mutate(std::vector<std::uint8_t> in, streamdx::SplitMix64& rng) {
  const int edits = 1 + static_cast<int>(rng.next() % 4);
  for (int e = 0; e < edits; ++e) {
    const std::size_t at = in.empty() ? 0 : rng.next() % in.size();
    switch (rng.next() % 5) {
      case 0:
        if (!in.empty()) in[at] ^= static_cast<std::uint8_t>(1U << (rng.next() % 8));
        break;
      case 1:
        if (!in.empty()) in[at] = static_cast<std::uint8_t>(rng.next());
        break;
      case 2: in.resize(at); break;
      case 3:
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(at),
                  static_cast<std::uint8_t>(rng.next()));
        break;
      default: {
        const std::size_t n = std::min<std::size_t>(in.size() - at, 1 + rng.next() % 32);
        std::vector<std::uint8_t> chunk(in.begin() + static_cast<std::ptrdiff_t>(at),
                                        in.begin() + static_cast<std::ptrdiff_t>(at + n));
        in.insert(in.end(), chunk.begin(), chunk.end());
      }
    }
  }
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = 20000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--dump-seeds" && i + 1 < argc) {
      const std::filesystem::path dir = argv[++i];
      std::filesystem::create_directories(dir);
      int n = 0;
      for (const auto& seed : fuzz_seeds()) {
        std::ofstream(dir / ("seed-" + std::to_string(n++)), std::ios::binary)
            .write(reinterpret_cast<const char*>(seed.data()),
                   static_cast<std::streamsize>(seed.size()));
      }
      return 0;
    }
    iterations = std::strtol(argv[i], nullptr, 10);
  }
  streamdx::SplitMix64 rng(20261123);
  long runs = 0;
  for (const auto& seed : fuzz_seeds()) {
    LLVMFuzzerTestOneInput(seed.data(), seed.size());
    for (long i = 0; i < iterations; ++i, ++runs) {
      const auto input = mutate(seed, rng);
      LLVMFuzzerTestOneInput(input.data(), input.size());
    }
  }
  std::printf("replayed %ld mutated inputs without a crash\n", runs);
  return 0;
}

// Fuzzes the HYP reader (the viewer's replay input): any text must parse or fail with an error
// naming the line, never crash.
#include <string_view>

#include "FuzzTarget.hpp"
#include "io/DetectionFiles.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)streamdx::parse_hyp(std::string_view(reinterpret_cast<const char*>(data), size),
                              "fuzz.hyp");
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  const std::string_view text =
      "# streamdx hyp v1: one line per 1 s epoch\n# model seizure-lstm.pt sha256 52\n"
      "start stop label confidence\n0.0000 1.0000 bckg 0.9726\n1.0000 2.0000 seiz 0.8796\n";
  return {std::vector<std::uint8_t>(text.begin(), text.end())};
}

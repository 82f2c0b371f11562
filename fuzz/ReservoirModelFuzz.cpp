// Fuzzes the EPR reservoir model reader (stages/epr/ReservoirDeconvolver.hpp): any text either
// gives a model within its bounds or one error, never a crash or a huge allocation.
#include <string>
#include <string_view>

#include "FuzzTarget.hpp"
#include "stages/epr/ReservoirDeconvolver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto m = streamdx::parse_reservoir_model(text, "fuzz.json");
    if (m.readout.size() != 2 * m.shape.units + 2) __builtin_trap();
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  auto seed = [](std::string_view s) { return std::vector<std::uint8_t>(s.begin(), s.end()); };
  return {seed(R"({"format":"streamdx-epr-reservoir","version":1,"reservoir":{"units":1,)"
               R"("spectral_radius":0.9,"input_scale":0.5,"leak":0.5,"density":0.1,"seed":3},)"
               R"("ridge":1e-6,"readout":[0.1,0.2,0.3,0.4],"card":{}})"),
          seed(R"({"format":"streamdx-epr-reservoir","reservoir":{"units":-5}})")};
}

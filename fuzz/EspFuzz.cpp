// Fuzzes the ESP/WinEPR reader: the input is a .par's text, a NUL, then the .spc bytes.
#include <algorithm>
#include <string_view>

#include "FuzzTarget.hpp"
#include "io/EspFile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [text, spc] = split_at_nul(data, size);
  try {
    (void)streamdx::parse_esp(text, spc, "/nonexistent/fuzz.par");
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  const std::vector<std::uint8_t> values = {0, 37, 74, 111, 148, 185, 222, 3};
  return {two_part_seed("DOS  Format\r\nANZ 2\r\nGST 3400\r\nGSI 10\r\n", values),
          two_part_seed("JSS 0\nGST 3463\nGSI 50\nRES 2\n", values)};
}

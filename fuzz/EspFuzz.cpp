// Fuzzes the ESP/WinEPR reader: the input is a .par's text, a NUL, then the .spc bytes.
#include <algorithm>
#include <string_view>

#include "FuzzTarget.hpp"
#include "io/EspFile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto* end = data + size;
  const auto* split = std::find(data, end, std::uint8_t{0});
  const std::string_view text(reinterpret_cast<const char*>(data),
                              static_cast<std::size_t>(split - data));
  const std::span<const std::uint8_t> spc(split == end ? end : split + 1, end);
  try {
    (void)streamdx::parse_esp(text, spc, "/nonexistent/fuzz.par");
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  std::vector<std::vector<std::uint8_t>> seeds;
  for (const std::string_view par :
       {std::string_view("DOS  Format\r\nANZ 2\r\nGST 3400\r\nGSI 10\r\n"),
        std::string_view("JSS 0\nGST 3463\nGSI 50\nRES 2\n")}) {
    std::vector<std::uint8_t> s(par.begin(), par.end());
    s.push_back(0);
    for (int i = 0; i < 8; ++i) s.push_back(static_cast<std::uint8_t>(i * 37));
    seeds.push_back(std::move(s));
  }
  return seeds;
}

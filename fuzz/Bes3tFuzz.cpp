// Fuzzes the BES3T reader: the input is a descriptor's text, a NUL, then the .DTA bytes. Any
// input must parse or fail with an error naming a key or size, never crash or allocate by
// trusting a corrupt header (ASan's allocation limit catches the latter).
#include <algorithm>
#include <string>
#include <string_view>

#include "FuzzTarget.hpp"
#include "io/Bes3tFile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto* end = data + size;
  const auto* split = std::find(data, end, std::uint8_t{0});
  const std::string_view text(reinterpret_cast<const char*>(data),
                              static_cast<std::size_t>(split - data));
  const std::span<const std::uint8_t> dta(split == end ? end : split + 1, end);
  try {
    (void)streamdx::parse_bes3t(text, dta, "/nonexistent/fuzz.DSC");
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  std::vector<std::vector<std::uint8_t>> seeds;
  auto add = [&](std::string_view dsc, std::vector<std::uint8_t> dta) {
    std::vector<std::uint8_t> s(dsc.begin(), dsc.end());
    s.push_back(0);
    s.insert(s.end(), dta.begin(), dta.end());
    seeds.push_back(std::move(s));
  };
  add("#DESC\nBSEQ\tBIG\nIKKF\tREAL\nIRFMT\tD\nXTYP\tIDX\nYTYP\tNODATA\nZTYP\tNODATA\nXPTS\t2\nXMIN"
      "\t3400\nXWID\t10\n",
      {0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18, 0xbf, 0xf0, 0, 0, 0, 0, 0, 0});
  add("BSEQ\tLIT\nIKKF\tCPLX,REAL\nIRFMT\tS,"
      "I\nXTYP\tIDX\nYTYP\tIDX\nXPTS\t1\nYPTS\t2\nXMIN\t0\nXWID\t1\nYMIN\t0\nYWID\t1\n",
      std::vector<std::uint8_t>(16, 7));
  return seeds;
}

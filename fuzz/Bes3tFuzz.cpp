// Fuzzes the BES3T reader: the input is a descriptor's text, a NUL, then the .DTA bytes. Any
// input must parse or fail with an error naming a key or size, never crash or allocate by
// trusting a corrupt header (ASan's allocation limit catches the latter).
#include <algorithm>
#include <string>
#include <string_view>

#include "FuzzTarget.hpp"
#include "io/Bes3tFile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [text, dta] = split_at_nul(data, size);
  try {
    (void)streamdx::parse_bes3t(text, dta, "/nonexistent/fuzz.DSC");
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  return {
      two_part_seed(
          "#DESC\nBSEQ\tBIG\nIKKF\tREAL\nIRFMT\tD\nXTYP\tIDX\nYTYP\tNODATA\nZTYP\tNODATA\n"
          "XPTS\t2\nXMIN\t3400\nXWID\t10\n",
          {0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18, 0xbf, 0xf0, 0, 0, 0, 0, 0, 0}),
      two_part_seed(
          "BSEQ\tLIT\nIKKF\tCPLX,REAL\nIRFMT\tS,I\nXTYP\tIDX\nYTYP\tIDX\nXPTS\t1\nYPTS\t2\n"
          "XMIN\t0\nXWID\t1\nYMIN\t0\nYWID\t1\n",
          std::vector<std::uint8_t>(16, 7)),
  };
}

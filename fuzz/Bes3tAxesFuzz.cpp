// Fuzzes the BES3T reader with its non-uniform axis files (.XGF, .YGF): the input is the
// descriptor's text, a NUL, the .DTA bytes, a NUL, then the bytes written as both axis files
// beside the descriptor (a temporary folder: the reader finds them by name). Any input must
// parse or fail with an error naming the file and the key or size, never crash.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "FuzzTarget.hpp"
#include "io/Bes3tFile.hpp"

namespace {

const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("streamdx-fuzz-axes-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [text, rest] = split_at_nul(data, size);
  const auto [dta_text, axis] = split_at_nul(rest.data(), rest.size());
  const std::span<const std::uint8_t> dta(reinterpret_cast<const std::uint8_t*>(dta_text.data()),
                                          dta_text.size());
  for (const char* ext : {"fuzz.XGF", "fuzz.YGF"}) {
    std::ofstream out(scratch_dir() / ext, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(axis.data()),
              static_cast<std::streamsize>(axis.size()));
  }
  try {
    (void)streamdx::parse_bes3t(text, dta, scratch_dir() / "fuzz.DSC");
  } catch (const std::exception&) {
  }
  return 0;
}

std::vector<std::vector<std::uint8_t>> fuzz_seeds() {
  // Two x points on an IGD axis (XGF: two float64 big-endian), two y points on an IGD axis.
  const std::string dsc =
      "BSEQ\tBIG\nIKKF\tREAL\nIRFMT\tD\nXTYP\tIGD\nXFMT\tD\nYTYP\tIGD\nYFMT\tD\nZTYP\tNODATA\n"
      "XPTS\t2\nYPTS\t2\nXMIN\t3400\nXWID\t10\nYMIN\t0\nYWID\t1\n";
  std::vector<std::uint8_t> s(dsc.begin(), dsc.end());
  s.push_back(0);
  for (int i = 0; i < 32; ++i) s.push_back(static_cast<std::uint8_t>(i == 0 ? 0x40 : 1));
  s.push_back(0);
  const std::uint8_t axis[16] = {0x40, 0xaa, 0x90, 0, 0, 0, 0, 0, 0x40, 0xaa, 0xa4, 0, 0, 0, 0, 0};
  s.insert(s.end(), axis, axis + 16);
  return {s};
}

#pragma once
// Whole files as bytes, for tests that compare outputs or write inputs.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace streamdx::testing {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

}  // namespace streamdx::testing

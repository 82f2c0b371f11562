#pragma once
// A whole file as bytes, for tests that compare outputs.
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

}  // namespace streamdx::testing

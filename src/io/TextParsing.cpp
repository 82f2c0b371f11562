#include "io/TextParsing.hpp"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace streamdx {

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error(fmt::format("{}: cannot open", path.string()));
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

double parse_number(std::string_view s, std::string_view path, std::size_t line) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    throw std::runtime_error(fmt::format("{}:{}: '{}' is not a number", path, line, s));
  }
  return v;
}

}  // namespace streamdx

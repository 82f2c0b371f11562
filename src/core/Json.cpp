#include "core/Json.hpp"
#include "core/FileErrors.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace streamdx::json {

std::string text(const Json& value) {
  return value.dump(2, ' ', false, nlohmann::detail::error_handler_t::replace) + "\n";
}

std::string line(const Json& value) {
  return value.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

Json parse(std::string_view text, std::string_view origin) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw std::runtime_error(fmt::format("{}: not valid JSON: {}", origin, e.what()));
  }
}

Json read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(cannot_open(path));
  std::stringstream s;
  s << in.rdbuf();
  return parse(s.str(), path.string());
}

double rounded(double v, int decimals) {
  if (!std::isfinite(v)) return v;
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

}  // namespace streamdx::json

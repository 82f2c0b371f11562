#include "io/EprDataset.hpp"

#include <charconv>
#include <cstdlib>

namespace streamdx {

std::optional<double> EprDataset::number(const std::string& key) const {
  const auto it = parameters.find(key);
  if (it == parameters.end()) return std::nullopt;
  const std::string& s = it->second;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return std::nullopt;
  return v;
}

std::vector<double> linear_axis(double first, double width, std::size_t n) {
  std::vector<double> v(n, first);
  for (std::size_t i = 1; i < n; ++i) {
    v[i] = first + width * static_cast<double>(i) / static_cast<double>(n - 1);
  }
  return v;
}

}  // namespace streamdx

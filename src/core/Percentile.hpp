#pragma once
// percentile(v, q): numpy's default percentile (linear between the closest ranks), q in [0, 1];
// 0 for no values. Scores (latencies to detection) and the service's metrics use it.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace streamdx {

inline double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  const double at = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(at));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (at - static_cast<double>(lo));
}

}  // namespace streamdx

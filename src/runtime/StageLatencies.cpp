#include "runtime/StageLatencies.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/Json.hpp"

namespace streamdx {

void StageLatencies::record(const Frame& frame) {
  const auto stamps = frame.stage_stamps();
  for (std::size_t i = 1; i < stamps.size(); ++i) {
    ms_[fmt::format("{}>{}", stamps[i - 1].stage(), stamps[i].stage())].add(
        static_cast<double>(stamps[i].t_ns - stamps[i - 1].t_ns) * 1e-6);
  }
  if (stamps.size() > 1) {
    ms_["end_to_end"].add(static_cast<double>(stamps.back().t_ns - stamps.front().t_ns) * 1e-6);
  }
}

void StageLatencies::Series::add(double v) {
  ++count;
  max = count == 1 ? v : std::max(max, v);
  if (kept.size() < kKept) {
    kept.push_back(v);
    return;
  }
  // Algorithm R: the count-th value replaces a kept one with probability kKept / count.
  random = random * 6364136223846793005ULL + 1442695040888963407ULL;
  const std::uint64_t j = (random >> 11) % count;
  if (j < kKept) kept[j] = v;
}

std::map<std::string, std::vector<double>> StageLatencies::samples() const {
  std::map<std::string, std::vector<double>> out;
  for (const auto& [name, series] : ms_) out[name] = series.kept;
  return out;
}

std::map<std::string, StageLatencies::Summary> StageLatencies::summaries() const {
  std::map<std::string, Summary> out;
  for (const auto& [name, series] : ms_) {
    if (series.kept.empty()) continue;
    std::vector<double> v = series.kept;
    std::sort(v.begin(), v.end());
    const auto pct = [&](double q) {
      return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
    };
    out[name] = Summary{series.count, pct(0.5), pct(0.99), pct(0.999), series.max};
  }
  return out;
}

json::Json StageLatencies::json() const {
  json::Json out = json::Json::object();
  for (const auto& [name, s] : summaries()) {
    out[name] = {{"p50_ms", json::rounded(s.p50_ms, 3)},
                 {"p99_ms", json::rounded(s.p99_ms, 3)},
                 {"p999_ms", json::rounded(s.p999_ms, 3)},
                 {"max_ms", json::rounded(s.max_ms, 3)},
                 {"count", s.count}};
  }
  return out;
}

}  // namespace streamdx

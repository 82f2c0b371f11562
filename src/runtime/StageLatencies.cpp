#include "runtime/StageLatencies.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/Json.hpp"

namespace streamdx {

void StageLatencies::record(const Frame& frame) {
  const auto stamps = frame.stage_stamps();
  for (std::size_t i = 1; i < stamps.size(); ++i) {
    ms_[fmt::format("{}>{}", stamps[i - 1].stage(), stamps[i].stage())].push_back(
        static_cast<double>(stamps[i].t_ns - stamps[i - 1].t_ns) * 1e-6);
  }
  if (stamps.size() > 1) {
    ms_["end_to_end"].push_back(static_cast<double>(stamps.back().t_ns - stamps.front().t_ns) *
                                1e-6);
  }
}

std::map<std::string, StageLatencies::Summary> StageLatencies::summaries() const {
  std::map<std::string, Summary> out;
  for (const auto& [name, values] : ms_) {
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    const auto pct = [&](double q) {
      return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
    };
    out[name] = Summary{v.size(), pct(0.5), pct(0.99), pct(0.999), v.back()};
  }
  return out;
}

std::string StageLatencies::json() const {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, s] : summaries()) {
    out += fmt::format(
        "{}{}: {{\"p50_ms\": {:.3f}, \"p99_ms\": {:.3f}, \"p999_ms\": {:.3f}, \"max_ms\": {:.3f}}}",
        first ? "" : ", ", json::quote(name), s.p50_ms, s.p99_ms, s.p999_ms, s.max_ms);
    first = false;
  }
  return out + "}";
}

}  // namespace streamdx

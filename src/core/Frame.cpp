#include "core/Frame.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include <algorithm>

namespace streamdx {

void Frame::stamp(std::string_view stage, MonoNs t_ns) noexcept {
  if (stamp_count >= kMaxStamps) {
    stamps_overflowed = true;
    return;
  }
  StageStamp& s = stamps[stamp_count++];
  s.name.fill('\0');
  const std::size_t n = std::min(stage.size(), StageStamp::kNameCapacity);
  std::copy_n(stage.data(), n, s.name.data());
  s.t_ns = t_ns;
}

void require_finite_samples(const Frame& frame, std::span<const std::string> labels,
                            std::string_view where) {
  const std::size_t n = frame.shape.samples_per_channel;
  for (std::size_t c = 0; c < frame.shape.channels; ++c) {
    for (std::size_t i = 0; i < n; ++i) {
      const float v = frame.samples[c * n + i];
      if (std::isfinite(v)) continue;
      const std::string label = c < labels.size() ? labels[c] : fmt::format("{}", c + 1);
      const double t =
          static_cast<double>(frame.first_sample_ns) / 1e9 +
          (frame.sample_rate_hz > 0 ? static_cast<double>(i) / frame.sample_rate_hz : 0.0);
      throw std::runtime_error(
          fmt::format("{}: frame {} has a non-finite sample ({}) in channel {} at {:.3f} s", where,
                      frame.sequence, v, label, t));
    }
  }
}

}  // namespace streamdx

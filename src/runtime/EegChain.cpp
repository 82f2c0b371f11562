#include "runtime/EegChain.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace streamdx {

PostprocessSettings postprocess_settings(const Config& config) {
  auto positive = [&](std::string_view key) {
    const std::int64_t v = config.get_int(key);
    if (v < 1) throw std::invalid_argument(fmt::format("{} = {}: must be at least 1", key, v));
    return static_cast<std::size_t>(v);
  };
  // Probabilities: outside [0, 1] a threshold silently flags every epoch or none.
  auto probability = [&](std::string_view key) {
    const double v = config.get_double(key);
    if (!(v >= 0.0 && v <= 1.0)) {
      throw std::invalid_argument(fmt::format("{} = {}: must be between 0 and 1", key, v));
    }
    return v;
  };
  PostprocessSettings s;
  s.smoothing_epochs = positive("postprocess.smoothing_s");
  s.threshold = probability("postprocess.threshold");
  s.min_channels = positive("postprocess.min_channels");
  s.min_confidence = probability("postprocess.min_confidence");
  s.min_duration_epochs = positive("postprocess.min_duration_s");
  return s;
}

}  // namespace streamdx

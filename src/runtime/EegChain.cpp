#include "runtime/EegChain.hpp"

namespace streamdx {

PostprocessSettings postprocess_settings(const Config& config) {
  // The catalogue's limits were checked when the values were loaded (core/Settings.hpp).
  PostprocessSettings s;
  s.smoothing_epochs = static_cast<std::size_t>(config.get_int("postprocess.smoothing_s"));
  s.threshold = config.get_double("postprocess.threshold");
  s.min_channels = static_cast<std::size_t>(config.get_int("postprocess.min_channels"));
  s.min_confidence = config.get_double("postprocess.min_confidence");
  s.min_duration_epochs = static_cast<std::size_t>(config.get_int("postprocess.min_duration_s"));
  return s;
}

}  // namespace streamdx

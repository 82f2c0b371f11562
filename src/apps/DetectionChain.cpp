#include "apps/DetectionChain.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "stages/decoder/EpochEncoder.hpp"
#include "stages/decoder/SeizureDecoder.hpp"
#include "stages/eeg/LfccExtractor.hpp"

namespace streamdx {

PostprocessSettings postprocess_settings(const Config& config) {
  auto positive = [&](std::string_view key) {
    const std::int64_t v = config.get_int(key);
    if (v < 1) throw std::invalid_argument(fmt::format("{} = {}: must be at least 1", key, v));
    return static_cast<std::size_t>(v);
  };
  PostprocessSettings s;
  s.smoothing_epochs = positive("postprocess.smoothing_s");
  s.threshold = config.get_double("postprocess.threshold");
  s.min_channels = positive("postprocess.min_channels");
  s.min_confidence = config.get_double("postprocess.min_confidence");
  s.min_duration_epochs = positive("postprocess.min_duration_s");
  return s;
}

void add_model_stages(Pipeline& pipeline, const std::shared_ptr<SeizureModel>& model) {
  pipeline.transform(LfccExtractor{});
  pipeline.transform(EpochEncoder(model));
  pipeline.transform(SeizureDecoder(model));
}

void add_detection_stages(Pipeline& pipeline, const std::shared_ptr<SeizureModel>& model,
                          const PostprocessSettings& settings) {
  add_model_stages(pipeline, model);
  pipeline.transform(Postprocessor(settings));
}

}  // namespace streamdx

#pragma once
// The detection stages that follow a source in `run` and `bench`: LFCC features, the seizure
// model, the postprocessor. One definition, so what is benchmarked is what runs.
#include <memory>

#include "core/Config.hpp"
#include "core/Pipeline.hpp"
#include "stages/decoder/TorchBackend.hpp"
#include "stages/eeg/Postprocessor.hpp"

namespace streamdx {

// The [postprocess] section, checked.
PostprocessSettings postprocess_settings(const Config& config);

// Adds LfccExtractor -> EpochEncoder -> SeizureDecoder (kModelStages nodes): per-channel
// posteriors every second.
inline constexpr std::size_t kModelStages = 3;
void add_model_stages(Pipeline& pipeline, const std::shared_ptr<SeizureModel>& model);

// The model stages, then the Postprocessor (kDetectionStages nodes): one decision a second.
inline constexpr std::size_t kDetectionStages = kModelStages + 1;
void add_detection_stages(Pipeline& pipeline, const std::shared_ptr<SeizureModel>& model,
                          const PostprocessSettings& settings);

}  // namespace streamdx

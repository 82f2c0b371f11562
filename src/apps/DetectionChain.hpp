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

// Adds LfccExtractor -> SeizureDecoder -> Postprocessor (three nodes).
void add_detection_stages(Pipeline& pipeline, std::shared_ptr<SeizureModel> model,
                          const PostprocessSettings& settings);

}  // namespace streamdx

#pragma once
// Runs one labelled recording through the same stages as `streamdx run`, on one thread, to
// collect what training and evaluation need: the model's input windows (acquisition + LFCC +
// EpochWindows), or the decoder's posteriors (+ the decoder stage itself).
#include <memory>
#include <vector>

#include "apps/EegCorpus.hpp"
#include "core/Config.hpp"
#include "stages/decoder/TorchBackend.hpp"

namespace streamdx {

// The settings a recording is read with: Bonn text is 173.61 Hz and has no montage.
Config reading_config(const LabelledRecording& r, const Config& config);

// Appends every epoch's channel-windows of `r`, labelled, to `out`.
void append_training_windows(const LabelledRecording& r, const Config& config, TrainingSet& out);

// P(seiz) of every channel for every epoch of `r`: [epoch][channel].
std::vector<std::vector<float>> decode_recording(const LabelledRecording& r, const Config& config,
                                                 const std::shared_ptr<SeizureModel>& model);

}  // namespace streamdx

#pragma once
// Runs one labelled recording through the same stages as `streamdx run`, on one thread, to
// collect what training and evaluation need: the model's input windows (acquisition + LFCC +
// EpochWindows), or the decoder's posteriors (+ the decoder stage itself).
#include <array>
#include <memory>
#include <span>
#include <vector>

#include "core/Config.hpp"
#include "stages/decoder/SeizureModel.hpp"
#include "stages/decoder/TrainingTypes.hpp"
#include "training/EegCorpus.hpp"

namespace streamdx {

// The settings a recording is read with: Bonn text is 173.61 Hz and has no montage.
Config reading_config(const LabelledRecording& r, const Config& config);

// Appends every epoch's channel-windows of `r`, labelled, to `out`: for `phases` > 1, also
// with the 1 s epoch grid shifted by 1 .. phases-1 frames (0.1 s steps). Once for each speed in
// `stretches`: a speed s != 1 reads the recording with every rhythm s times faster
// (TimeStretchedSource.hpp); labels keep to the original recording time.
inline constexpr std::array<double, 1> kOriginalSpeed{1.0};
// `background_relative`: the windows' log energies relative to each channel's own background, as
// the encoder stage makes them for a "background" model (BackgroundLevel.hpp), computed over the
// whole recording from its first frame whatever the phase.
struct WindowOptions {
  std::size_t phases = 1;
  std::span<const double> stretches = kOriginalSpeed;
  bool background_relative = false;
};
void append_training_windows(const LabelledRecording& r, const Config& config, TrainingSet& out,
                             const WindowOptions& options = {});

// P(seiz) of every channel for every epoch of `r`: [epoch][channel].
std::vector<std::vector<float>> decode_recording(const LabelledRecording& r, const Config& config,
                                                 const std::shared_ptr<SeizureModel>& model);

}  // namespace streamdx

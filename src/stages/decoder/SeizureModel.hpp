#pragma once
// SeizureModel: channel-windows in, posteriors out, split where a streaming decoder can reuse
// work. A window is 7 one-second epochs, and every epoch belongs to 7 consecutive windows, so
// whatever a model computes from one epoch of one channel alone (its "encoding") is computed
// once, when the epoch completes, and kept (EpochWindows); each second the model then decodes
// the windows from the kept encodings.
//
// forward() is exactly encode-then-decode, so a whole-window call and the streaming path give
// the same bits. The TorchScript model's encoding is the raw features themselves; the native
// LSTM's is the epoch's input projection (NativeLstmModel.hpp).
#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "stages/decoder/DecoderShape.hpp"

namespace streamdx {

class SeizureModel {
 public:
  virtual ~SeizureModel() = default;

  // Values per encoded epoch of one channel.
  [[nodiscard]] virtual std::size_t encoding_size() const = 0;
  // `epochs`: count x kInputs raw LFCC features (one epoch of one channel each);
  // `encodings`: count x encoding_size().
  virtual void encode_epochs(std::span<const float> epochs, std::size_t count,
                             std::span<float> encodings) = 0;
  // `encodings`: batch x kSteps x encoding_size(), oldest epoch first;
  // `posteriors`: batch x 2, P(seiz) then P(bckg). The model normalises its own input.
  virtual void decode_windows(std::span<const float> encodings, std::size_t batch,
                              std::span<float> posteriors) = 0;

  // The same, with the encodings left where they lie: window b's step t is the encoding_size()
  // values at steps[t] + b * window_stride. A stream's windows share their epochs, so a ring of
  // epochs (EpochWindows) is read in place instead of copied into 7 steps per window. This
  // default gathers and calls decode_windows(); the native model reads in place.
  using StepPointers = std::array<const float*, decoder::kSteps>;
  virtual void decode_steps(const StepPointers& steps, std::size_t window_stride, std::size_t batch,
                            std::span<float> posteriors) {
    gathered_.resize(batch * decoder::kSteps * encoding_size());
    gather_windows(steps, window_stride, batch, encoding_size(), gathered_);
    decode_windows(gathered_, batch, posteriors);
  }

  // Copies `batch` windows laid out as decode_steps() reads them (`size` values a step) into
  // `out`, batch x kSteps x size, the layout decode_windows() takes.
  static void gather_windows(const StepPointers& steps, std::size_t window_stride,
                             std::size_t batch, std::size_t size, std::span<float> out) {
    for (std::size_t b = 0; b < batch; ++b) {
      for (std::size_t t = 0; t < decoder::kSteps; ++t) {
        const float* from = steps[t] + b * window_stride;
        std::copy(from, from + size, out.data() + (b * decoder::kSteps + t) * size);
      }
    }
  }

  // The model reads each channel's log energy relative to the channel's own background
  // (BackgroundLevel.hpp, the "background" normalisation): the encoder stage makes its input so.
  // The loader sets it from the model file.
  [[nodiscard]] bool background_relative() const noexcept { return background_relative_; }
  void set_background_relative(bool on) noexcept { background_relative_ = on; }

  [[nodiscard]] virtual std::string device() const = 0;  // "cpu" or "cuda:0"
  [[nodiscard]] virtual std::string engine() const = 0;  // "native" or "torchscript"

  // Whole windows: batch x kSteps x kInputs raw features.
  void forward(std::span<const float> windows, std::size_t batch, std::span<float> posteriors) {
    forward_encodings_.resize(batch * decoder::kSteps * encoding_size());
    encode_epochs(windows, batch * decoder::kSteps, forward_encodings_);
    decode_windows(forward_encodings_, batch, posteriors);
  }

 private:
  std::vector<float> forward_encodings_;  // kept, so that repeated calls do not allocate
  std::vector<float> gathered_;           // decode_steps()' copy, likewise
  bool background_relative_ = false;
};

}  // namespace streamdx

#pragma once
// EpochWindows: turns the stream of LFCC feature frames (channels x 26 every 0.1 s) into the
// model's input: for every channel, the last 7 one-second epochs, oldest first.
//
// An epoch completes with its 10th frame; the window then ends with that epoch. Before 7 epochs
// have arrived, the missing older epochs repeat the first one (edge replication, as in the
// feature deltas), so a decision exists from the first second on; training sees windows built
// the same way. A partial epoch at the end of a stream makes no window.
//
// Each epoch is kept either as raw features (kInputs values a channel: training windows) or as
// the model's encoding of it, computed once when it completes (SeizureModel.hpp), here or by the
// encoder stage upstream (push_encoded).
#include <cstddef>
#include <span>
#include <vector>

#include "stages/decoder/EpochAssembler.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx {

class EpochWindows {
 public:
  // Raw features: windows() holds channels x kSteps x kInputs values.
  explicit EpochWindows(std::size_t channels = 0);
  // Encoded: windows() holds channels x kSteps x model.encoding_size() values, for
  // model.decode_windows(). The model must outlive this object.
  EpochWindows(std::size_t channels, SeizureModel& model);
  // Encodings arriving whole (push_encoded), step_size values a channel.
  static EpochWindows of_encodings(std::size_t channels, std::size_t step_size);

  // One feature frame, channel-major (channels x 26). True when it completed an epoch:
  // windows() then holds every channel's window, channel by channel.
  bool push(std::span<const float> frame);
  // One epoch already encoded, channel-major (channels x step_size()): always completes a window.
  void push_encoded(std::span<const float> encodings);

  // Every channel's newest window, channel by channel (channels x kSteps x step_size()), copied
  // out of the ring on first use after a push.
  [[nodiscard]] std::span<const float> windows() const;
  // The same windows in place: step t of channel c's window is the step_size() values at
  // steps()[t] + c * step_size() (SeizureModel::decode_steps), no copy.
  [[nodiscard]] SeizureModel::StepPointers steps() const noexcept;
  // Appends every channel's newest window to `out` (channels x kSteps x step_size() values, the
  // layout decode_windows() takes): how a batched decoder gathers a stream.
  void append_windows(std::vector<float>& out) const;
  [[nodiscard]] std::size_t channels() const noexcept { return channels_; }
  [[nodiscard]] std::size_t epochs() const noexcept { return epochs_; }  // completed so far
  [[nodiscard]] std::size_t step_size() const noexcept { return step_size_; }

 private:
  EpochWindows(std::size_t channels, std::size_t step_size, SeizureModel* model);
  std::span<float> next_slot();  // the ring slot of the epoch now arriving

  std::size_t channels_;
  SeizureModel* model_ = nullptr;  // null: raw features (or encodings pushed whole)
  std::size_t step_size_;
  EpochAssembler assembler_;
  std::vector<float> ring_;  // kSteps epoch slots of channels x step_size_
  std::size_t epochs_ = 0;
  mutable std::vector<float> windows_;  // built by windows() when stale
  mutable bool windows_stale_ = true;
};

}  // namespace streamdx

#pragma once
// SeizureDecoder: the model stage. LFCC feature frames in (channels x 26 every 0.1 s); every
// second, one output frame of class posteriors (channels x 2: P(seiz), P(bckg)) for the epoch
// that just ended, each channel classified on its own from its last 7 s (EpochWindows).
//
// Each epoch is encoded by the model once, when it completes, and all channels' windows are then
// decoded in one batch (SeizureModel.hpp). The model is loaded, checked and
// warmed up when the stage is made (TorchBackend::load_model), so a bad model file fails at
// start and no first-call latency reaches a decision. The output frame carries the header of
// the epoch's first input frame (delay_frames() = 9).
#include <memory>
#include <span>
#include <string_view>

#include "core/Stage.hpp"
#include "stages/decoder/EpochWindows.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx {

class SeizureDecoder {
 public:
  static constexpr std::string_view kName = "decoder";

  explicit SeizureDecoder(std::shared_ptr<SeizureModel> model);

  StreamInfo configure(const StreamInfo& in);
  bool process(std::span<const float> in, std::span<float> out);
  [[nodiscard]] std::size_t delay_frames() const noexcept { return decoder::kFramesPerEpoch - 1; }
  bool flush(std::span<float> /*out*/) { return false; }  // a partial epoch makes no decision

 private:
  std::shared_ptr<SeizureModel> model_;
  EpochWindows windows_;
};

}  // namespace streamdx

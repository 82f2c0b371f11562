#pragma once
// SeizureDecoder: the second half of the model stage. The encoder stage's frames in (channels x
// model.encoding_size() every second, EpochEncoder.hpp); one output frame of class posteriors
// per input (channels x 2: P(seiz), P(bckg)) for the epoch that just ended, each channel
// classified on its own from its last 7 s (EpochWindows), all channels' windows decoded in one
// batch (SeizureModel.hpp).
//
// The model is loaded, checked and warmed up before the stages are made (load_seizure_model), so
// a bad model file fails at start and no first-call latency reaches a decision.
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

 private:
  std::shared_ptr<SeizureModel> model_;
  EpochWindows windows_;
};

}  // namespace streamdx

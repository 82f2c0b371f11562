#pragma once
// EpochEncoder: the first half of the model stage. LFCC feature frames in (channels x 26 every
// 0.1 s); every second, one frame of the completed epoch's encodings out (channels x
// model.encoding_size(), SeizureModel.hpp), which SeizureDecoder turns into posteriors.
//
// Why a stage of its own: an epoch's encoding does not depend on the window it ends up in, so
// it can run on another thread than the recurrence; as one stage, the model was the pipeline's
// longest stage by far. The output frame carries the header of the epoch's first input frame
// (delay_frames() = 9), as the decoder's did before.
//
// A model that reads the log energy relative to the channel's own background (the "background"
// normalisation) gets it here: each frame goes through this stream's BackgroundLevel first.
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/Stage.hpp"
#include "stages/decoder/BackgroundLevel.hpp"
#include "stages/decoder/EpochAssembler.hpp"
#include "stages/decoder/SeizureModel.hpp"
#include "stages/decoder/StateCheckpoints.hpp"

namespace streamdx {

class EpochEncoder {
 public:
  static constexpr std::string_view kName = "encoder";

  // `checkpoints`, when given, receives the background level's state digest at the frames it
  // names (StateCheckpoints.hpp).
  explicit EpochEncoder(std::shared_ptr<SeizureModel> model,
                        std::shared_ptr<StateCheckpoints> checkpoints = nullptr);

  StreamInfo configure(const StreamInfo& in);
  bool process(std::span<const float> in, std::span<float> out);
  [[nodiscard]] std::size_t delay_frames() const noexcept { return decoder::kFramesPerEpoch - 1; }
  bool flush(std::span<float> /*out*/) { return false; }  // a partial epoch makes no decision

 private:
  std::shared_ptr<SeizureModel> model_;
  EpochAssembler assembler_;
  BackgroundLevel background_;   // used when model_->background_relative()
  std::vector<float> relative_;  // the frame with its energies made relative
  std::shared_ptr<StateCheckpoints> checkpoints_;
  std::uint64_t frames_in_ = 0;
};

}  // namespace streamdx

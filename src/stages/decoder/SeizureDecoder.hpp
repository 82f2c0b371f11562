#pragma once
// SeizureDecoder: the second half of the model stage. The encoder stage's frames in (channels x
// model.encoding_size() every second, EpochEncoder.hpp); one output frame of class posteriors
// per input (channels x 2: P(seiz), P(bckg)) for the epoch that just ended, each channel
// classified on its own from its last 7 s (EpochWindows), all channels' windows decoded in one
// batch (SeizureModel.hpp).
//
// Many streams share one forward pass through gather() and scatter() (core/BatchedStage.hpp):
// process() reads this stream's windows in place; the batch copies every gathered stream's
// windows side by side and decodes them together, with the same bits per window.
//
// The model is loaded, checked and warmed up before the stages are made (load_seizure_model), so
// a bad model file fails at start and no first-call latency reaches a decision.
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "core/Stage.hpp"
#include "stages/decoder/EpochWindows.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx {

// The windows of every stream gathered in one round, decoded by one model call.
struct DecodeBatch {
  SeizureModel* model = nullptr;  // every member's: one model instance, used by one thread
  std::vector<float> windows;     // rows x kSteps x encoding_size()
  std::vector<float> posteriors;  // rows x 2, after run()
  std::size_t rows = 0;

  void run();
  void clear() {
    windows.clear();
    rows = 0;
  }
};

// Copies the posteriors of the rows from `slot` on into `out` (a batched decoder's scatter()).
void copy_posteriors(std::span<const float> posteriors, std::size_t slot, std::span<float> out);

class SeizureDecoder {
 public:
  static constexpr std::string_view kName = "decoder";
  using Batch = DecodeBatch;

  explicit SeizureDecoder(std::shared_ptr<SeizureModel> model);

  StreamInfo configure(const StreamInfo& in);
  bool process(std::span<const float> in, std::span<float> out);

  std::optional<std::size_t> gather(std::span<const float> in, DecodeBatch& batch);
  void scatter(const DecodeBatch& batch, std::size_t slot, std::span<float> out) const;
  [[nodiscard]] const void* batch_key() const noexcept { return model_.get(); }

 private:
  std::shared_ptr<SeizureModel> model_;
  EpochWindows windows_;
};

}  // namespace streamdx

#include "stages/decoder/EpochEncoder.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "stages/eeg/LfccParameters.hpp"

namespace streamdx {

// DecoderShape.hpp repeats these so that the LibTorch plugin needs no feature headers.
static_assert(decoder::kFeatures == lfcc::kFeatures, "the model's input is the LFCC vector");
static_assert(decoder::kFramesPerEpoch * lfcc::kFrameSamples ==
                  static_cast<std::size_t>(lfcc::kSampleRateHz),
              "an epoch is 1 s of frames");

EpochEncoder::EpochEncoder(std::shared_ptr<SeizureModel> model,
                           std::shared_ptr<StateCheckpoints> checkpoints)
    : model_(std::move(model)), checkpoints_(std::move(checkpoints)) {
  if (!model_) throw std::invalid_argument("EpochEncoder needs a model");
}

StreamInfo EpochEncoder::configure(const StreamInfo& in) {
  if (in.shape.samples_per_channel != decoder::kFeatures || in.sample_rate_hz != 10.0) {
    throw std::runtime_error(fmt::format(
        "the model needs LFCC feature frames ({} values per channel, 10 per second); this "
        "stream has {} values per channel at {} Hz",
        decoder::kFeatures, in.shape.samples_per_channel, in.sample_rate_hz));
  }
  assembler_ = EpochAssembler(in.shape.channels);
  background_ = BackgroundLevel(in.shape.channels);
  frames_in_ = 0;
  return StreamInfo{
      in.stream_id,
      FrameShape{in.shape.channels, static_cast<std::uint16_t>(model_->encoding_size())}, 1.0};
}

bool EpochEncoder::process(std::span<const float> in, std::span<float> out) {
  if (checkpoints_) checkpoints_->reach(frames_in_, [this] { return background_.state_digest(); });
  ++frames_in_;
  if (model_->background_relative()) {
    relative_.resize(in.size());
    background_.process(in, relative_);
    in = relative_;
  }
  if (!assembler_.push(in)) return false;
  model_->encode_epochs(assembler_.epoch(), assembler_.channels(), out);
  return true;
}

}  // namespace streamdx

#include "stages/decoder/SeizureDecoder.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "stages/eeg/LfccParameters.hpp"

namespace streamdx {

// DecoderShape.hpp repeats these so that the LibTorch plugin needs no feature headers.
static_assert(decoder::kFeatures == lfcc::kFeatures, "the model's input is the LFCC vector");
static_assert(decoder::kFramesPerEpoch * lfcc::kFrameSamples ==
                  static_cast<std::size_t>(lfcc::kSampleRateHz),
              "an epoch is 1 s of frames");

SeizureDecoder::SeizureDecoder(std::shared_ptr<SeizureModel> model) : model_(std::move(model)) {
  if (!model_) throw std::invalid_argument("SeizureDecoder needs a model");
}

StreamInfo SeizureDecoder::configure(const StreamInfo& in) {
  if (in.shape.samples_per_channel != decoder::kFeatures || in.sample_rate_hz != 10.0) {
    throw std::runtime_error(fmt::format(
        "the decoder needs LFCC feature frames ({} values per channel, 10 per second); this "
        "stream has {} values per channel at {} Hz",
        decoder::kFeatures, in.shape.samples_per_channel, in.sample_rate_hz));
  }
  windows_ = EpochWindows(in.shape.channels, *model_);
  return StreamInfo{in.stream_id,
                    FrameShape{in.shape.channels, static_cast<std::uint16_t>(decoder::kClasses)},
                    1.0};
}

bool SeizureDecoder::process(std::span<const float> in, std::span<float> out) {
  if (!windows_.push(in)) return false;
  model_->decode_windows(windows_.windows(), windows_.channels(), out);
  return true;
}

}  // namespace streamdx
